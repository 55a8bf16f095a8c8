package dev.nats.accounts.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.inspect.Report.Field;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.AccountLimits;
import dev.nats.accounts.jwt.ActivationClaims;
import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.JetStreamLimits;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtException;
import dev.nats.accounts.jwt.OperatorClaims;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.SigningKey;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserLimits;
import dev.nats.accounts.jwt.UserPermissionLimits;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any NATS JWT (operator, account, user, activation) or a creds file, decoded and checked, as the
 * tables {@code nsc describe jwt} prints, plus what nsc leaves to the reader: whether the signature
 * holds, whether the signer may speak for the issuer ({@link Trust}, where known), and the state of
 * every activation token an account carries. A token that fails a check is still described (the
 * claims are what the user needs to see to find out why), and the failure is a problem of the
 * report.
 *
 * <p>A creds file's seed is never read.
 */
public final class JwtDescription {
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern ARMORED_JWT =
      Pattern.compile("(?m)^eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");

  private final Clock clock;
  private final List<String> problems = new ArrayList<>();
  private final List<Report.Section> sections = new ArrayList<>();

  private JwtDescription(Clock clock) {
    this.clock = clock;
  }

  /**
   * The JWT in {@code text}: a bare token, or the first JWT of an armored file (a creds file, or
   * nsc's {@code -----BEGIN NATS ACTIVATION JWT-----}). The seed section of a creds file is not
   * read at all.
   */
  public static String token(String text) {
    String t = text == null ? "" : text.strip();
    if (t.contains("-----BEGIN")) {
      Matcher m = ARMORED_JWT.matcher(t);
      if (!m.find()) {
        throw new JwtException("the file has no JWT section");
      }
      return m.group();
    }
    return t;
  }

  public static Report describe(String text, Clock clock) {
    return describe(text, clock, null);
  }

  /**
   * @param trust who may sign it, or null when the issuer is not known here
   */
  public static Report describe(String text, Clock clock, Trust trust) {
    JwtDescription d = new JwtDescription(clock);
    String token;
    try {
      token = token(text);
    } catch (JwtException e) {
      d.problems.add("not a JWT or creds file: " + e.getMessage());
      return d.report();
    }
    d.describeToken(token, trust);
    return d.report();
  }

  private Report report() {
    return new Report(sections, problems);
  }

  private void describeToken(String token, Trust trust) {
    DecodedJwt jwt;
    String signature;
    try {
      jwt = JwtDecoder.decodeIgnoringTime(token);
      signature = "verified (Ed25519, by the issuer key)";
    } catch (JwtException e) {
      jwt = unverified(token);
      if (jwt == null) {
        problems.add("not a JWT: " + e.getMessage());
        return;
      }
      signature = "FAILED: " + e.getMessage();
      problems.add(jwt.type() + " " + jwt.subject() + ": " + e.getMessage());
    }
    switch (jwt.type()) {
      case "operator" -> operator(jwt, signature);
      case "account" -> account(jwt, signature, trust);
      case "user" -> user(jwt, signature, trust);
      case "activation" -> activation(jwt, signature, trust);
      default -> generic(jwt, signature);
    }
  }

  /** The claims of a token whose checks failed, so they can still be shown; null if unreadable. */
  static DecodedJwt unverified(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    try {
      JsonNode p = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
      if (p == null || !p.isObject()) {
        return null;
      }
      String type = p.path("nats").path("type").asText("generic");
      if (!Set.of("operator", "account", "user", "activation").contains(type)) {
        type = "generic";
      }
      JsonNode exp = p.get("exp");
      return new DecodedJwt(
          p.path("iss").asText(""),
          p.path("sub").asText(""),
          p.path("iat").asLong(0),
          exp == null || exp.isNull() ? null : exp.asLong(),
          p.path("jti").asText(null),
          type,
          p.path("name").asText(null),
          p,
          token);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private void operator(DecodedJwt jwt, String signature) {
    OperatorClaims c = jwt.operator();
    List<Field> f = new ArrayList<>();
    f.add(new Field("Name", jwt.name()));
    f.add(new Field("Operator ID", jwt.subject()));
    f.add(new Field("Issuer ID", jwt.issuer()));
    times(jwt, f);
    f.add(new Field("Signature", signature));
    Trust self = new Trust("operator " + jwt.name(), jwt.subject(), Set.copyOf(c.signingKeys()));
    f.add(new Field("Issuer Chain", chain(jwt, self, "operator", "self-signed: ")));
    f.add(new Field("JWT ID", jwt.id()));
    f.add(Field.SEPARATOR);
    f.add(new Field("System Account", c.systemAccount()));
    f.add(new Field("Require Signing Keys", String.valueOf(c.strictSigningKeyUsage())));
    f.add(new Field("Account JWT Server", c.accountServerUrl()));
    f.add(new Field("Operator Service URLs", String.join("\n", c.operatorServiceUrls())));
    f.add(new Field("Assert Server Version", c.assertServerVersion()));
    f.add(Field.SEPARATOR);
    list(f, "Signing Keys", c.signingKeys());
    sections.add(new Report.Fields("Operator Details", f));
  }

  private void account(DecodedJwt jwt, String signature, Trust trust) {
    AccountClaims c = jwt.account();
    List<Field> f = new ArrayList<>();
    f.add(new Field("Name", jwt.name()));
    f.add(new Field("Account ID", jwt.subject()));
    f.add(new Field("Issuer ID", jwt.issuer()));
    times(jwt, f);
    f.add(new Field("Signature", signature));
    f.add(new Field("Issuer Chain", chain(jwt, trust, "account", "")));
    f.add(new Field("JWT ID", jwt.id()));
    f.add(Field.SEPARATOR);
    list(
        f,
        "Signing Keys",
        c.signingKeys().stream()
            .map(
                k ->
                    k instanceof SigningKey.Scoped s
                        ? s.key() + " (scoped, role " + s.role() + ")"
                        : k.key())
            .toList());
    f.add(new Field("Revocations", String.valueOf(c.revocations().size())));
    f.add(Field.SEPARATOR);
    AccountLimits l = c.limits();
    f.add(new Field("Max Connections", limit(l.conn())));
    f.add(new Field("Max Leaf Node Connections", limit(l.leaf())));
    f.add(new Field("Max Data", limit(l.data())));
    f.add(new Field("Max Exports", limit(l.exports())));
    f.add(new Field("Max Imports", limit(l.imports())));
    f.add(new Field("Max Msg Payload", limit(l.payload())));
    f.add(new Field("Max Subscriptions", limit(l.subs())));
    f.add(new Field("Exports Allows Wildcards", l.wildcards() ? "True" : "False"));
    f.add(new Field("Disallow Bearer Token", l.disallowBearer() ? "True" : "False"));
    f.add(Field.SEPARATOR);
    f.add(new Field("Jetstream", jetStream(l)));
    sections.add(new Report.Fields("Account Details", f));

    List<List<String>> keys = new ArrayList<>();
    for (SigningKey k : c.signingKeys()) {
      if (k instanceof SigningKey.Scoped s) {
        Permissions p = s.template().permissions();
        keys.add(
            List.of(
                s.key(),
                s.role() == null ? "" : s.role(),
                allow(p == null ? null : p.pub()),
                allow(p == null ? null : p.sub())));
      } else {
        keys.add(List.of(k.key(), "", "(not scoped)", ""));
      }
    }
    sections.add(
        new Report.Rows("Signing Keys", List.of("Key", "Role", "Pub Allow", "Sub Allow"), keys));

    List<List<String>> exports = new ArrayList<>();
    for (Export e : c.exports()) {
      exports.add(
          List.of(
              nz(e.name()),
              e.type().toString().charAt(0) + e.type().toString().substring(1).toLowerCase(),
              e.subject(),
              e.tokenReq() ? "No" : "Yes",
              String.valueOf(e.revocations().size())));
    }
    sections.add(
        new Report.Rows(
            "Exports", List.of("Name", "Type", "Subject", "Public", "Revocations"), exports));

    List<List<String>> imports = new ArrayList<>();
    for (Import i : c.imports()) {
      imports.add(
          List.of(
              nz(i.name()),
              i.type().toString().charAt(0) + i.type().toString().substring(1).toLowerCase(),
              i.subject(),
              nz(i.localSubject()),
              i.account(),
              i.token() == null ? "Yes" : "No",
              tokenState(i, jwt.subject())));
    }
    sections.add(
        new Report.Rows(
            "Imports",
            List.of("Name", "Type", "Remote", "Local", "From Account", "Public", "Token"),
            imports));

    List<List<String>> revoked = new ArrayList<>();
    c.revocations().forEach((k, v) -> revoked.add(List.of(k, time(v))));
    for (Export e : c.exports()) {
      e.revocations()
          .forEach((k, v) -> revoked.add(List.of(k, time(v) + " (export " + e.subject() + ")")));
    }
    sections.add(new Report.Rows("Revocations", List.of("Public Key", "Issued Before"), revoked));
  }

  /** Whether an import's activation token would let the server accept it, in one cell. */
  private String tokenState(Import i, String importer) {
    if (i.token() == null) {
      return "-";
    }
    DecodedJwt t;
    try {
      t = JwtDecoder.decodeIgnoringTime(i.token());
    } catch (JwtException e) {
      problems.add("import " + i.subject() + ": activation token " + e.getMessage());
      return "invalid: " + e.getMessage();
    }
    ActivationClaims a = t.activation();
    String exporter = a.issuerAccount() == null ? t.issuer() : a.issuerAccount();
    String state;
    if (!exporter.equals(i.account())) {
      state = "issued by " + exporter + ", not the exporter";
    } else if (!a.subject().equals(importer) && !"*".equals(a.subject())) {
      state = "granted to " + a.subject() + ", not this account";
    } else if (t.expires() != null && t.expires() > 0 && now() > t.expires()) {
      state = "expired " + time(t.expires());
    } else {
      return "valid"
          + (t.expires() == null || t.expires() == 0 ? "" : " until " + time(t.expires()))
          + ", jti "
          + t.id();
    }
    problems.add("import " + i.subject() + ": activation token " + state);
    return state;
  }

  private void user(DecodedJwt jwt, String signature, Trust trust) {
    UserClaims c = jwt.user();
    List<Field> f = new ArrayList<>();
    f.add(new Field("Name", jwt.name()));
    f.add(new Field("User ID", jwt.subject()));
    f.add(new Field("Issuer ID", jwt.issuer()));
    f.add(new Field("Issuer Account", c.issuerAccount()));
    times(jwt, f);
    f.add(new Field("Signature", signature));
    f.add(new Field("Issuer Chain", chain(jwt, trust, "user", "")));
    f.add(new Field("JWT ID", jwt.id()));
    UserPermissionLimits p = c.perms();
    f.add(new Field("Issuer Scoped", p.isEmpty() ? "Yes" : "No"));
    f.add(new Field("Bearer Token", p.bearerToken() ? "Yes" : "No"));
    f.add(Field.SEPARATOR);
    Permissions perms =
        p.permissions() == null ? new Permissions(null, null, null) : p.permissions();
    list(f, "Pub Allow", perms.pub().allow());
    list(f, "Pub Deny", perms.pub().deny());
    list(f, "Sub Allow", perms.sub().allow());
    list(f, "Sub Deny", perms.sub().deny());
    f.add(
        new Field(
            "Response Permissions",
            perms.resp() == null
                ? "Not Set"
                : "max " + perms.resp().max() + ", ttl " + perms.resp().ttl()));
    f.add(Field.SEPARATOR);
    UserLimits l = p.limits();
    f.add(new Field("Max Msg Payload", limit(l.payload())));
    f.add(new Field("Max Data", limit(l.data())));
    f.add(new Field("Max Subs", limit(l.subs())));
    f.add(
        new Field(
            "Network Src",
            p.sourceNetworks().isEmpty() ? "Any" : String.join("\n", p.sourceNetworks())));
    f.add(
        new Field(
            "Connection Types",
            p.allowedConnectionTypes().isEmpty()
                ? "Any"
                : String.join("\n", p.allowedConnectionTypes())));
    sections.add(new Report.Fields("User", f));
  }

  private void activation(DecodedJwt jwt, String signature, Trust trust) {
    ActivationClaims c = jwt.activation();
    List<Field> f = new ArrayList<>();
    f.add(new Field("Name", jwt.name()));
    f.add(new Field("Account ID", jwt.subject()));
    f.add(new Field("Issuer ID", jwt.issuer()));
    f.add(new Field("Issuer Account", c.issuerAccount()));
    times(jwt, f);
    f.add(new Field("Signature", signature));
    f.add(new Field("Issuer Chain", chain(jwt, trust, "activation", "")));
    f.add(new Field("JWT ID", jwt.id()));
    f.add(Field.SEPARATOR);
    f.add(
        new Field(
            "Import Type",
            c.kind().toString().charAt(0) + c.kind().toString().substring(1).toLowerCase()));
    f.add(new Field("Import Subject", c.importSubject()));
    f.add(new Field("Hash ID", hashId(jwt.issuer(), jwt.subject(), c.importSubject())));
    sections.add(new Report.Fields("Activation", f));
  }

  private void generic(DecodedJwt jwt, String signature) {
    List<Field> f = new ArrayList<>();
    f.add(new Field("Subject", jwt.subject()));
    f.add(new Field("Issuer ID", jwt.issuer()));
    times(jwt, f);
    f.add(new Field("Signature", signature));
    f.add(new Field("JWT ID", jwt.id()));
    f.add(new Field("Claims", jwt.payload().path("nats").toString()));
    sections.add(new Report.Fields("Generic JWT", f));
  }

  /**
   * The signer against who may sign; an unknown issuer is said so, not counted as a failure (the
   * signature was still checked).
   */
  private String chain(DecodedJwt jwt, Trust trust, String type, String prefix) {
    if (trust == null) {
      String issuerAccount = jwt.payload().path("nats").path("issuer_account").asText("");
      if (!issuerAccount.isEmpty()) {
        return "signed on behalf of account " + issuerAccount + " (its keys not known here)";
      }
      return Set.of("user", "activation").contains(type)
          ? "signed by account " + jwt.issuer() + " with its identity key"
          : "issuer not known here (verify checks it against the cluster; for a file, --issuer FILE)";
    }
    String role = trust.role(jwt.issuer());
    if (role == null) {
      problems.add(
          type
              + " "
              + jwt.subject()
              + ": issued by "
              + jwt.issuer()
              + ", which is neither the identity nor a signing key of "
              + trust.who());
      return "FAILED: " + jwt.issuer() + " is not a key of " + trust.who();
    }
    String issuerAccount = jwt.payload().path("nats").path("issuer_account").asText("");
    if (role.startsWith("signing") && Set.of("user", "activation").contains(type)) {
      if (!trust.identity().equals(issuerAccount)) {
        problems.add(type + " " + jwt.subject() + ": issuer_account is not " + trust.identity());
        return "FAILED: signed by a signing key but issuer_account is \"" + issuerAccount + "\"";
      }
    }
    return prefix + role;
  }

  private void times(DecodedJwt jwt, List<Field> f) {
    f.add(new Field("Issued", jwt.issuedAt() == 0 ? "" : time(jwt.issuedAt())));
    Long exp = jwt.expires();
    String expires = exp == null || exp == 0 ? "" : time(exp);
    if (exp != null && exp > 0 && now() > exp) {
      expires += " (EXPIRED)";
      problems.add(jwt.type() + " " + jwt.subject() + ": expired at " + time(exp));
    }
    f.add(new Field("Expires", expires));
    long nbf = jwt.payload().path("nbf").asLong(0);
    if (nbf > 0) {
      f.add(new Field("Not Before", time(nbf)));
      if (nbf > now()) {
        problems.add(jwt.type() + " " + jwt.subject() + ": not valid before " + time(nbf));
      }
    }
  }

  /** nsc's "Hash ID" of an activation: see {@link dev.nats.accounts.jwt.ActivationHashId}. */
  static String hashId(String issuer, String subject, String importSubject) {
    return dev.nats.accounts.jwt.ActivationHashId.of(issuer, subject, importSubject);
  }

  static String base32Padded(byte[] data) {
    return dev.nats.accounts.jwt.ActivationHashId.base32Padded(data);
  }

  private long now() {
    return clock.millis() / 1000;
  }

  static String time(long unixSeconds) {
    return TIME.format(Instant.ofEpochSecond(unixSeconds));
  }

  private static String limit(long v) {
    return v == -1 ? "Unlimited" : String.valueOf(v);
  }

  private static String jetStream(AccountLimits l) {
    if (l.jetStream().isEnabled()) {
      JetStreamLimits j = l.jetStream();
      return "Enabled: memory "
          + limit(j.memStorage())
          + ", disk "
          + limit(j.diskStorage())
          + ", streams "
          + limit(j.streams())
          + ", consumers "
          + limit(j.consumer());
    }
    Set<String> tiers = new HashSet<>();
    for (Map.Entry<String, JetStreamLimits> t : l.tiered().entrySet()) {
      if (t.getValue().isEnabled()) {
        tiers.add(t.getKey());
      }
    }
    return tiers.isEmpty() ? "Disabled" : "Enabled, tiers " + String.join(", ", tiers);
  }

  private static String allow(Permission p) {
    return p == null ? "" : String.join(", ", p.allow());
  }

  private static void list(List<Field> f, String label, List<String> values) {
    if (!values.isEmpty()) {
      f.add(new Field(label, String.join("\n", values)));
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
