package dev.nats.accounts.jwt;

/**
 * One entry of an account's {@code imports}. {@code subject} is always the exporter-side subject
 * and {@code localSubject} the importer-side name; the deprecated {@code to} field is deliberately
 * not representable, because its meaning flips between services and streams.
 *
 * @param token inline activation JWT for private exports, else null
 */
public record Import(
    String name,
    String subject,
    String account,
    String token,
    String localSubject,
    ExportType type,
    boolean share) {

  public static Import service(String name, String subject, String account) {
    return new Import(name, subject, account, null, null, ExportType.SERVICE, false);
  }

  public static Import stream(String name, String subject, String account) {
    return new Import(name, subject, account, null, null, ExportType.STREAM, false);
  }

  public Import withToken(String v) {
    return new Import(name, subject, account, v, localSubject, type, share);
  }

  public Import withLocalSubject(String v) {
    return new Import(name, subject, account, token, v, type, share);
  }

  public Import withShare(boolean v) {
    return new Import(name, subject, account, token, localSubject, type, v);
  }

  /** Short form for logs: the token is left out because it is long, not because it is secret. */
  @Override
  public String toString() {
    return "Import["
        + type
        + " "
        + subject
        + (localSubject == null ? "" : " -> " + localSubject)
        + " from "
        + account
        + (token == null ? "" : " (token)")
        + "]";
  }
}
