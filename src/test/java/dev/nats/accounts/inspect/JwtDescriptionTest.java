package dev.nats.accounts.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.ActivationClaims;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.OperatorClaims;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.SigningKey;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserPermissionLimits;
import dev.nats.accounts.logging.Seeds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** describe jwt on tokens our library signs: what is shown, what is checked, what fails. */
class JwtDescriptionTest {
  static final long IAT = 1_790_000_000L;
  static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(IAT + 60), ZoneOffset.UTC);

  final KeyPair operator = KeyPair.create(KeyType.OPERATOR);
  final KeyPair operatorSk = KeyPair.create(KeyType.OPERATOR);
  final KeyPair a = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair aSk = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair b = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair bScoped = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair user = KeyPair.create(KeyType.USER);
  final KeyPair revoked = KeyPair.create(KeyType.USER);

  final Trust operatorTrust =
      new Trust("operator O", operator.publicKey(), Set.of(operatorSk.publicKey()));

  String activation(long expires) {
    return JwtEncoder.encode(
        new ActivationClaims(
            "private.help." + b.publicKey(),
            b.publicKey(),
            "private.help." + b.publicKey(),
            ExportType.SERVICE,
            a.publicKey(),
            expires),
        aSk,
        IAT);
  }

  String accountB(String token) {
    return JwtEncoder.encode(
        AccountClaims.builder("B", b.publicKey())
            .addImport(Import.service("help", "help", a.publicKey()))
            .addImport(
                Import.service("private.help", "private.help." + b.publicKey(), a.publicKey())
                    .withToken(token)
                    .withLocalSubject("private.help"))
            .addExport(Export.stream("events", "events.>"))
            .addSigningKey(
                new SigningKey.Scoped(
                    bScoped.publicKey(),
                    "apps",
                    UserPermissionLimits.of(
                        new Permissions(new Permission(List.of("apps.>"), null), null, null)),
                    null))
            .revoke(revoked.publicKey(), IAT - 5)
            .build(),
        operatorSk,
        IAT);
  }

  static Map<String, String> fields(Report r, String title) {
    Report.Fields f =
        (Report.Fields)
            r.sections().stream().filter(s -> s.title().equals(title)).findFirst().orElseThrow();
    Map<String, String> m = new java.util.LinkedHashMap<>();
    f.rows().stream().filter(x -> x.label() != null).forEach(x -> m.put(x.label(), x.value()));
    return m;
  }

  static Report.Rows rows(Report r, String title) {
    return (Report.Rows)
        r.sections().stream().filter(s -> s.title().equals(title)).findFirst().orElseThrow();
  }

  @Test
  void anAccountWithImportsExportsScopedKeysAndRevocationsCheckedAgainstItsOperator() {
    String token = accountB(activation(IAT + 3600));
    Report r = JwtDescription.describe(token, NOW, operatorTrust);
    assertEquals(List.of(), r.problems());
    Map<String, String> d = fields(r, "Account Details");
    assertEquals("B", d.get("Name"));
    assertEquals(b.publicKey(), d.get("Account ID"));
    assertEquals(operatorSk.publicKey(), d.get("Issuer ID"));
    assertEquals("signing key of operator O", d.get("Issuer Chain"));
    assertTrue(d.get("Signature").startsWith("verified"), d.get("Signature"));
    assertEquals("1", d.get("Revocations"));
    assertEquals("Unlimited", d.get("Max Connections"));
    assertTrue(d.get("JWT ID").matches("[A-Z2-7]+"), d.get("JWT ID"));
    assertEquals("2026-09-21 14:13:20 UTC", d.get("Issued"));

    List<List<String>> imports = rows(r, "Imports").rows();
    assertEquals("-", imports.get(0).get(6), "a public import has no token");
    assertTrue(
        imports.get(1).get(6).startsWith("valid until 2026-09-21 15:13:20 UTC, jti "),
        imports.get(1).toString());
    assertEquals(
        List.of(bScoped.publicKey(), "apps", "apps.>", ""), rows(r, "Signing Keys").rows().get(0));
    assertEquals(revoked.publicKey(), rows(r, "Revocations").rows().get(0).get(0));
    assertEquals(
        List.of("events", "Stream", "events.>", "Yes", "0"), rows(r, "Exports").rows().get(0));
  }

  @Test
  void anExpiredActivationTokenAndAForeignSignerAreProblems() {
    Report expired = JwtDescription.describe(accountB(activation(IAT + 1)), NOW, operatorTrust);
    assertEquals(1, expired.problems().size(), expired.problems().toString());
    assertTrue(expired.problems().get(0).contains("expired"), expired.problems().toString());

    Trust other = new Trust("operator X", KeyPair.create(KeyType.OPERATOR).publicKey(), Set.of());
    Report foreign = JwtDescription.describe(accountB(activation(IAT + 3600)), NOW, other);
    assertFalse(foreign.ok());
    assertTrue(fields(foreign, "Account Details").get("Issuer Chain").startsWith("FAILED"));
  }

  @Test
  void aTamperedTokenIsStillShownButNotVerified() {
    String token = accountB(activation(IAT + 3600));
    String[] parts = token.split("\\.");
    String payload =
        new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
            .replace("\"name\":\"B\"", "\"name\":\"C\"");
    String forged =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
            + "."
            + parts[2];
    Report r = JwtDescription.describe(forged, NOW, operatorTrust);
    assertFalse(r.ok());
    assertEquals("C", fields(r, "Account Details").get("Name"));
    assertTrue(fields(r, "Account Details").get("Signature").startsWith("FAILED"));
  }

  @Test
  void anOperatorIsCheckedAgainstItselfAndAUserFromACredsFileWithoutItsSeed() throws Exception {
    String op =
        JwtEncoder.encode(
            OperatorClaims.of("O", operator.publicKey())
                .withSigningKeys(List.of(operatorSk.publicKey())),
            operator,
            IAT);
    Map<String, String> o = fields(JwtDescription.describe(op, NOW), "Operator Details");
    assertEquals("self-signed: identity key of operator O", o.get("Issuer Chain"));
    assertEquals(operatorSk.publicKey(), o.get("Signing Keys"));

    AccountClaims aClaims =
        AccountClaims.builder("A", a.publicKey()).addSigningKey(aSk.publicKey()).build();
    String u =
        JwtEncoder.encode(
            UserClaims.of(
                    "u",
                    user.publicKey(),
                    UserPermissionLimits.of(
                        new Permissions(new Permission(List.of("help"), null), null, null)))
                .withIssuerAccount(a.publicKey()),
            aSk,
            aClaims,
            IAT);
    String creds = Creds.format(u, user.seed());
    Trust accountTrust = new Trust("account A", a.publicKey(), Set.of(aSk.publicKey()));
    Report r = JwtDescription.describe(creds, NOW, accountTrust);
    assertEquals(List.of(), r.problems());
    Map<String, String> f = fields(r, "User");
    assertEquals(user.publicKey(), f.get("User ID"));
    assertEquals("signing key of account A", f.get("Issuer Chain"));
    assertEquals("help", f.get("Pub Allow"));
    for (Report.Format format : Report.Format.values()) {
      String out = r.render(format);
      assertFalse(Seeds.PATTERN.matcher(out).find(), format + " shows no seed:\n" + out);
      assertTrue(out.contains(user.publicKey()), out);
    }
    JsonNode json = new ObjectMapper().readTree(r.render(Report.Format.JSON));
    assertEquals(user.publicKey(), json.path("user").path("userId").asText());
    assertTrue(json.path("verified").asBoolean());
  }

  @Test
  void describeJwtReadsStdinAndUsageMistakesExitTwo() {
    String token = accountB(activation(IAT + 3600));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.util.function.Function<String, io.fabric8.kubernetes.client.KubernetesClient> noCluster =
        k -> {
          throw new AssertionError("no cluster for describe jwt");
        };
    int code =
        InspectCommand.run(
            "describe",
            List.of("jwt", "-", "-o", "yaml"),
            new java.io.ByteArrayInputStream(token.getBytes()),
            new java.io.PrintStream(out, true),
            new java.io.PrintStream(err, true),
            noCluster,
            NOW);
    assertEquals(InspectCommand.OK, code, err.toString());
    assertTrue(out.toString().contains("accountId: " + b.publicKey()), out.toString());
    for (List<String> bad :
        List.of(
            List.of("jwt", "-f"),
            List.of("jwt", "--frobnicate"),
            List.of("jwt", "a", "b"),
            List.of("nothing"))) {
      assertEquals(
          InspectCommand.USAGE,
          InspectCommand.run(
              "describe",
              bad,
              new java.io.ByteArrayInputStream(new byte[0]),
              new java.io.PrintStream(out, true),
              new java.io.PrintStream(err, true),
              noCluster,
              NOW),
          bad.toString());
    }
  }

  @Test
  void nscsActivationHashIdIsJwtsHashId() {
    // jwt v2 ActivationClaims.HashID: base32(sha256("iss.sub.<subject cut before its first
    // wildcard>"))
    assertEquals(
        JwtDescription.base32Padded(sha256("AISS.ASUB.private.help")),
        JwtDescription.hashId("AISS", "ASUB", "private.help.*"));
    assertEquals(
        JwtDescription.base32Padded(sha256("AISS.ASUB._")),
        JwtDescription.hashId("AISS", "ASUB", ">"));
    assertEquals("MZXW6===", JwtDescription.base32Padded("foo".getBytes()), "RFC 4648 test vector");
    assertEquals("MZXW6YTBOI======", JwtDescription.base32Padded("foobar".getBytes()));
  }

  static byte[] sha256(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void tablesLookLikeNscs() {
    Report r =
        new Report(
            List.of(
                new Report.Fields(
                    "User",
                    List.of(
                        new Report.Field("Name", "u"),
                        Report.Field.SEPARATOR,
                        new Report.Field("Pub Allow", "a\nb")))),
            List.of());
    assertEquals(
        """
        +---------------+
        |     User      |
        +-----------+---+
        | Name      | u |
        +-----------+---+
        | Pub Allow | a |
        |           | b |
        +-----------+---+
        """,
        r.render(Report.Format.TABLE));
  }
}
