package dev.nats.accounts.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.ActivationClaims;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.IssuedAt;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.OperatorClaims;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.SigningKey;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserPermissionLimits;
import dev.nats.accounts.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nsc describe jwt -f FILE} (the real nsc, tools/versions.env) reads every kind of JWT our
 * library signs and shows what we put in: subject and issuer keys, signing keys (plain and scoped),
 * exports (public and private), imports (with an activation token), revocations, activations and
 * users, and a creds file.
 *
 * <p>Both outputs are checked. The table is nsc's typed decode through the official JWT library
 * (nsc decodes the claims with {@code jwt.Decode*Claims} and renders them); {@code --json} (-J) is
 * the JWT body nsc read, re-indented, and carries what the table summarises (the revoked keys
 * behind the table's revocation count).
 */
class NscDescribeJwtTest {
  @TempDir Path dir;
  Nsc nsc;

  final KeyPair operator = KeyPair.create(KeyType.OPERATOR);
  final KeyPair operatorSk = KeyPair.create(KeyType.OPERATOR);
  final KeyPair sys = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair account = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair accountSk = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair scopedSk = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair exporter = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair exporterSk = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair feeder = KeyPair.create(KeyType.ACCOUNT);
  final KeyPair user = KeyPair.create(KeyType.USER);
  final KeyPair scopedUser = KeyPair.create(KeyType.USER);
  final KeyPair revokedUser = KeyPair.create(KeyType.USER);
  final long iat = IssuedAt.next(0);

  String activation;
  AccountClaims accountClaims;

  @BeforeEach
  void setUp() {
    nsc = new Nsc(dir.resolve("nsc"));
    // The tutorial's private service, seen from the importer: the exporter's signing key grants our
    // account private.help.<our key>; our account imports it under the local subject private.help.
    activation =
        JwtEncoder.encode(
            new ActivationClaims(
                "private.help." + account.publicKey(),
                account.publicKey(),
                "private.help." + account.publicKey(),
                ExportType.SERVICE,
                exporter.publicKey(),
                iat + 3600),
            exporterSk,
            iat);
    accountClaims =
        AccountClaims.builder("A", account.publicKey())
            .addExport(Export.service("help", "help"))
            .addExport(
                Export.service("private.help.*", "private.help.*")
                    .withTokenReq(true)
                    .withRevocations(Map.of(feeder.publicKey(), iat - 10)))
            .addExport(Export.stream("events", "events.>"))
            .addImport(
                Import.service("b-help", "help", exporter.publicKey()).withLocalSubject("b.help"))
            .addImport(
                Import.service(
                        "private.help", "private.help." + account.publicKey(), exporter.publicKey())
                    .withToken(activation)
                    .withLocalSubject("private.help"))
            .addImport(
                Import.stream("feed", "feed.>", feeder.publicKey()).withLocalSubject("in.feed.>"))
            .addSigningKey(accountSk.publicKey())
            .addSigningKey(
                new SigningKey.Scoped(
                    scopedSk.publicKey(),
                    "apps",
                    UserPermissionLimits.of(
                        new Permissions(
                            new Permission(List.of("apps.{{name()}}.>"), null),
                            new Permission(List.of("_INBOX.>"), null),
                            null)),
                    "app users"))
            .revoke(revokedUser.publicKey(), iat - 100)
            .build();
  }

  @Test
  void operatorJwt() {
    String jwt =
        JwtEncoder.encode(
            OperatorClaims.of("O", operator.publicKey())
                .withSigningKeys(List.of(operatorSk.publicKey()))
                .withSystemAccount(sys.publicKey())
                .withStrictSigningKeyUsage(true),
            operator,
            iat);

    Nsc.Tables t = describe("operator.jwt", jwt);
    assertEquals("Operator Details", t.rows().get(0).get(0));
    assertEquals("O", t.value("Name"));
    assertEquals(operator.publicKey(), t.value("Operator ID"));
    assertEquals(operator.publicKey(), t.value("Issuer ID"));
    assertEquals(sys.publicKey(), t.value("System Account"));
    assertEquals("true", t.value("Require Signing Keys"));
    assertEquals(List.of(operatorSk.publicKey()), t.values("Signing Keys"));

    JsonNode j = describeJson("operator.jwt");
    assertEquals(operator.publicKey(), j.path("sub").asText());
    assertEquals("operator", j.path("nats").path("type").asText());
    assertEquals(operatorSk.publicKey(), j.path("nats").path("signing_keys").path(0).asText());
  }

  @Test
  void accountJwtWithExportsImportsRevocationsAndSigningKeys() {
    String jwt = JwtEncoder.encode(accountClaims, operatorSk, iat);

    Nsc.Tables t = describe("account.jwt", jwt);
    assertEquals("A", t.value("Name"));
    assertEquals(account.publicKey(), t.value("Account ID"));
    assertEquals(operatorSk.publicKey(), t.value("Issuer ID"));
    assertEquals(
        List.of(accountSk.publicKey(), scopedSk.publicKey()).stream().sorted().toList(),
        t.values("Signing Keys").stream().sorted().toList());
    assertEquals("1", t.value("Revocations"), "the table counts the account's revocations");
    assertEquals("Unlimited", t.value("Max Connections"));

    List<Map<String, String>> exports = t.table("Exports");
    assertEquals(3, exports.size(), "exports: " + exports);
    assertExport(row(exports, "help"), "Service", "help", "Yes", "0");
    assertExport(row(exports, "private.help.*"), "Service", "private.help.*", "No", "1");
    assertExport(row(exports, "events"), "Stream", "events.>", "Yes", "0");

    List<Map<String, String>> imports = t.table("Imports");
    assertEquals(3, imports.size(), "imports: " + imports);
    assertImport(row(imports, "b-help"), "Service", "help", "b.help", exporter.publicKey(), "Yes");
    assertImport(
        row(imports, "private.help"),
        "Service",
        "private.help." + account.publicKey(),
        "private.help",
        exporter.publicKey(),
        "No");
    // nsc decodes the activation token to show its expiry: a token it could not read shows "error
    // decoding".
    String expires = row(imports, "private.help").get("Expires");
    assertTrue(
        expires.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC"),
        "activation expiry: " + expires);
    assertImport(row(imports, "feed"), "Stream", "feed.>", "in.feed.>", feeder.publicKey(), "Yes");

    List<Map<String, String>> scoped = t.details("Scoped Signing Key - Details");
    assertEquals(1, scoped.size(), "one scoped key: " + scoped);
    assertEquals(scopedSk.publicKey(), scoped.get(0).get("Key"));
    assertEquals("apps", scoped.get(0).get("Role"));
    assertEquals("app users", scoped.get(0).get("Description"));
    assertEquals("apps.{{name()}}.>", scoped.get(0).get("Pub Allow"));

    JsonNode j = describeJson("account.jwt");
    JsonNode nats = j.path("nats");
    assertEquals(account.publicKey(), j.path("sub").asText());
    assertEquals(operatorSk.publicKey(), j.path("iss").asText());
    assertEquals(
        iat - 100,
        nats.path("revocations").path(revokedUser.publicKey()).asLong(),
        "the revoked user key: " + nats.path("revocations"));
    JsonNode privateExport = element(nats.path("exports"), "private.help.*");
    assertEquals(iat - 10, privateExport.path("revocations").path(feeder.publicKey()).asLong());
    assertTrue(privateExport.path("token_req").asBoolean());
    List<String> keys = new ArrayList<>();
    for (JsonNode k : nats.path("signing_keys")) {
      keys.add(k.isTextual() ? k.asText() : k.path("key").asText() + " " + k.path("role").asText());
    }
    assertEquals(List.of(accountSk.publicKey(), scopedSk.publicKey() + " apps"), keys);
    assertEquals(activation, element(nats.path("imports"), "private.help").path("token").asText());
  }

  @Test
  void userJwtsPlainAndScopedAndTheCredsFile() {
    String plain =
        JwtEncoder.encode(
            UserClaims.of(
                    "u",
                    user.publicKey(),
                    UserPermissionLimits.of(
                        new Permissions(
                            new Permission(List.of("help", "private.help"), null),
                            new Permission(List.of("_INBOX.>"), null),
                            null)))
                .withIssuerAccount(account.publicKey()),
            accountSk,
            accountClaims,
            iat);
    Nsc.Tables t = describe("user.jwt", plain);
    assertEquals("User", t.rows().get(0).get(0));
    assertEquals("u", t.value("Name"));
    assertEquals(user.publicKey(), t.value("User ID"));
    assertEquals(accountSk.publicKey(), t.value("Issuer ID"));
    assertEquals(account.publicKey(), t.value("Issuer Account"));
    assertEquals(List.of("help", "private.help"), t.values("Pub Allow"));
    assertEquals(List.of("_INBOX.>"), t.values("Sub Allow"));

    String scoped =
        JwtEncoder.encode(
            UserClaims.of("s", scopedUser.publicKey(), UserPermissionLimits.EMPTY)
                .withIssuerAccount(account.publicKey()),
            scopedSk,
            accountClaims,
            iat);
    Nsc.Tables s = describe("scoped.jwt", scoped);
    assertEquals(scopedUser.publicKey(), s.value("User ID"));
    assertEquals(scopedSk.publicKey(), s.value("Issuer ID"));
    assertEquals("Yes", s.value("Issuer Scoped"));

    // "Describe a jwt/creds file": nsc finds the user JWT inside our creds format.
    Nsc.Tables c = describe("u.creds", Creds.format(plain, user.seed()));
    assertEquals(user.publicKey(), c.value("User ID"));
    assertEquals(account.publicKey(), c.value("Issuer Account"));
  }

  @Test
  void activationJwt() {
    Nsc.Tables t = describe("activation.jwt", activation);
    assertEquals("Activation", t.rows().get(0).get(0));
    assertEquals("private.help." + account.publicKey(), t.value("Name"));
    assertEquals(account.publicKey(), t.value("Account ID"));
    assertEquals(exporterSk.publicKey(), t.value("Issuer ID"));
    assertEquals(exporter.publicKey(), t.value("Issuer Account"));
    assertEquals("Service", t.value("Import Type"));
    assertEquals("private.help." + account.publicKey(), t.value("Import Subject"));
    assertTrue(t.value("Hash ID").matches("[A-Z2-7]{52}=*"), "hash: " + t.value("Hash ID"));

    JsonNode j = describeJson("activation.jwt");
    assertEquals("activation", j.path("nats").path("type").asText());
    assertEquals(exporter.publicKey(), j.path("nats").path("issuer_account").asText());
  }

  private Nsc.Tables describe(String file, String token) {
    Path f = Cli.writePrivate(dir.resolve(file), token);
    Cli.Result r = nsc.run("describe", "jwt", "--long-ids", "-f", f);
    assertFalse(r.output().contains("error"), "nsc reported an error: " + r);
    Nsc.Tables t = Nsc.Tables.parse(r.stdout());
    assertFalse(t.rows().isEmpty(), "no table in: " + r);
    return t;
  }

  private JsonNode describeJson(String file) {
    assertTrue(Files.exists(dir.resolve(file)));
    return nsc.describeJson("describe", "jwt", "-f", dir.resolve(file));
  }

  private static Map<String, String> row(List<Map<String, String>> rows, String name) {
    return rows.stream()
        .filter(r -> name.equals(r.get("Name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + name + " in " + rows));
  }

  private static JsonNode element(JsonNode array, String name) {
    for (JsonNode e : array) {
      if (name.equals(e.path("name").asText())) {
        return e;
      }
    }
    throw new AssertionError("no " + name + " in " + array);
  }

  private static void assertExport(
      Map<String, String> row, String type, String subject, String pub, String revocations) {
    assertEquals(type, row.get("Type"), "export " + row);
    assertEquals(subject, row.get("Subject"), "export " + row);
    assertEquals(pub, row.get("Public"), "export " + row);
    assertEquals(revocations, row.get("Revocations"), "export " + row);
  }

  private static void assertImport(
      Map<String, String> row, String type, String remote, String local, String from, String pub) {
    assertEquals(type, row.get("Type"), "import " + row);
    assertEquals(remote, row.get("Remote"), "import " + row);
    assertEquals(local, row.get("Local"), "import " + row);
    assertEquals(from, row.get("From Account"), "import " + row);
    assertEquals(pub, row.get("Public"), "import " + row);
  }
}
