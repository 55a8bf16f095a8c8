package dev.nats.accounts.jwt;

/**
 * Activation token: the exporter grants {@code subject} (the importing account) access to {@code
 * importSubject} of a private export.
 *
 * @param issuerAccount the exporter identity key when an exporter signing key signs, else null
 * @param expires unix seconds, null = never
 */
public record ActivationClaims(
    String name,
    String subject,
    String importSubject,
    ExportType kind,
    String issuerAccount,
    Long expires) {
  public ActivationClaims {
    issuerAccount = Lists.blankToNull(issuerAccount);
  }
}
