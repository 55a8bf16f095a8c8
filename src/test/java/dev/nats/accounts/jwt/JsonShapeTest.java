package dev.nats.accounts.jwt;

import static dev.nats.accounts.jwt.TestKeys.ACCOUNT;
import static dev.nats.accounts.jwt.TestKeys.ACCOUNT_B;
import static dev.nats.accounts.jwt.TestKeys.ACCOUNT_SK;
import static dev.nats.accounts.jwt.TestKeys.OPERATOR;
import static dev.nats.accounts.jwt.TestKeys.OPERATOR_SK;
import static dev.nats.accounts.jwt.TestKeys.SYS;
import static dev.nats.accounts.jwt.TestKeys.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact payload JSON of every claim type for a fixed iat and fixed keys. These texts are the
 * contract with nats-server; a change here must be deliberate.
 */
class JsonShapeTest {
  static final long IAT = 1700000000L;

  /** Replaces key placeholders with the fixed test keys. */
  static String expand(String template) {
    return template
        .replace("$OSK", OPERATOR_SK.publicKey())
        .replace("$O", OPERATOR.publicKey())
        .replace("$ASK", ACCOUNT_SK.publicKey())
        .replace("$A", ACCOUNT.publicKey())
        .replace("$B", ACCOUNT_B.publicKey())
        .replace("$U", USER.publicKey())
        .replace("$SYS", SYS.publicKey());
  }

  /**
   * Payload JSON with the leading {"jti":"…", removed, after checking that jti is the hash of the
   * rest.
   */
  static String withoutJti(String jwt) throws Exception {
    String json = TestKeys.payloadJson(jwt);
    assertTrue(json.startsWith("{\"jti\":\""), json);
    String jti = json.substring(8, 60);
    assertEquals("\",", json.substring(60, 62));
    String rest = "{" + json.substring(62);
    byte[] digest =
        MessageDigest.getInstance("SHA-512/256").digest(rest.getBytes(StandardCharsets.UTF_8));
    assertEquals(NKeys.base32(digest), jti, "jti must be base32(SHA-512/256(payload without jti))");
    return rest;
  }

  @Test
  void operator() throws Exception {
    OperatorClaims c =
        OperatorClaims.of("op", OPERATOR.publicKey())
            .withSigningKeys(List.of(OPERATOR_SK.publicKey()))
            .withSystemAccount(SYS.publicKey())
            .withServiceUrls(List.of("nats://n:4222"), "nats://n:4222")
            .withStrictSigningKeyUsage(true)
            .withAssertServerVersion("2.9.0");
    assertEquals(
        expand(
            "{\"iat\":1700000000,\"iss\":\"$O\",\"name\":\"op\",\"sub\":\"$O\",\"nats\":{"
                + "\"signing_keys\":[\"$OSK\"],\"account_server_url\":\"nats://n:4222\","
                + "\"operator_service_urls\":[\"nats://n:4222\"],\"system_account\":\"$SYS\","
                + "\"assert_server_version\":\"2.9.0\",\"strict_signing_key_usage\":true,\"type\":\"operator\",\"version\":2}}"),
        withoutJti(JwtEncoder.encode(c, OPERATOR, IAT)));
  }

  @Test
  void minimalAccountCarriesExplicitUnlimitedLimits() throws Exception {
    assertEquals(
        expand(
            "{\"iat\":1700000000,\"iss\":\"$OSK\",\"name\":\"A\",\"sub\":\"$A\",\"nats\":{"
                + "\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,\"exports\":-1,\"wildcards\":true,"
                + "\"disallow_bearer\":false,\"conn\":-1,\"leaf\":-1,\"mem_storage\":0,\"disk_storage\":0,\"streams\":0,"
                + "\"consumer\":0,\"max_ack_pending\":0,\"mem_max_stream_bytes\":0,\"disk_max_stream_bytes\":0,"
                + "\"max_bytes_required\":false},\"type\":\"account\",\"version\":2}}"),
        withoutJti(
            JwtEncoder.encode(
                AccountClaims.builder("A", ACCOUNT.publicKey()).build(), OPERATOR_SK, IAT)));
  }

  @Test
  void fullAccount() throws Exception {
    String act =
        JwtEncoder.encode(
            new ActivationClaims(
                "act", ACCOUNT.publicKey(), "priv.>", ExportType.SERVICE, null, 1800000000L),
            ACCOUNT_B,
            IAT);
    AccountClaims c =
        AccountClaims.builder("A", ACCOUNT.publicKey())
            .addExport(
                Export.service("help", "help")
                    .withResponseType(ResponseType.SINGLETON)
                    .withLatency(new ServiceLatency("50", "lat.help"))
                    .withResponseThreshold(Duration.ofSeconds(5)))
            .addExport(
                Export.stream("ev", "ev.*.x")
                    .withTokenReq(true)
                    .withAccountTokenPosition(2)
                    .withRevocations(Map.of(ACCOUNT_B.publicKey(), 1690000000L)))
            .addImport(
                Import.service("ph", "priv.help", ACCOUNT_B.publicKey())
                    .withToken(act)
                    .withLocalSubject("b.help"))
            .addImport(
                Import.stream("s", "feed.>", ACCOUNT_B.publicKey()).withLocalSubject("in.feed.>"))
            .limits(AccountLimits.UNLIMITED.withTiered(Map.of("R1", JetStreamLimits.UNLIMITED)))
            .addSigningKey(ACCOUNT_SK.publicKey())
            .addSigningKey(
                new SigningKey.Scoped(
                    TestKeys.ACCOUNT_C.publicKey(),
                    "app",
                    UserPermissionLimits.of(
                        new Permissions(new Permission(List.of("app.>"), null), null, null)),
                    null))
            .revoke(USER.publicKey(), 1690000000L)
            .defaultPermissions(
                new Permissions(null, new Permission(null, List.of("secret.>")), null))
            .addMapping(
                "m.a", List.of(new Mapping("m.b", 60, null), new Mapping("m.c", 40, "east")))
            .description("d")
            .infoUrl("https://x.io/a")
            .addTag("env:prod")
            .expires(1800000000L)
            .build();
    assertEquals(
        expand(
            "{\"iat\":1700000000,\"iss\":\"$O\",\"name\":\"A\",\"sub\":\"$A\",\"exp\":1800000000,\"nats\":{"
                + "\"imports\":[{\"name\":\"s\",\"subject\":\"feed.>\",\"account\":\"$B\",\"local_subject\":\"in.feed.>\","
                + "\"type\":\"stream\"},{\"name\":\"ph\",\"subject\":\"priv.help\",\"account\":\"$B\",\"token\":\""
                + act
                + "\",\"local_subject\":\"b.help\",\"type\":\"service\"}],"
                + "\"exports\":[{\"name\":\"ev\",\"subject\":\"ev.*.x\",\"type\":\"stream\",\"token_req\":true,"
                + "\"revocations\":{\"$B\":1690000000},\"account_token_position\":2},"
                + "{\"name\":\"help\",\"subject\":\"help\",\"type\":\"service\",\"response_type\":\"Singleton\","
                + "\"response_threshold\":5000000000,\"service_latency\":{\"sampling\":50,\"results\":\"lat.help\"}}],"
                + "\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,\"exports\":-1,\"wildcards\":true,"
                + "\"disallow_bearer\":false,\"conn\":-1,\"leaf\":-1,\"mem_storage\":0,\"disk_storage\":0,\"streams\":0,"
                + "\"consumer\":0,\"max_ack_pending\":0,\"mem_max_stream_bytes\":0,\"disk_max_stream_bytes\":0,"
                + "\"max_bytes_required\":false,\"tiered_limits\":{\"R1\":{\"mem_storage\":-1,\"disk_storage\":-1,"
                + "\"streams\":-1,\"consumer\":-1,\"max_ack_pending\":-1,\"mem_max_stream_bytes\":0,"
                + "\"disk_max_stream_bytes\":0,\"max_bytes_required\":false}}},"
                + "\"signing_keys\":[\"$ASK\",{\"kind\":\"user_scope\",\"key\":\""
                + TestKeys.ACCOUNT_C.publicKey()
                + "\",\"role\":\"app\",\"template\":{\"pub\":{\"allow\":[\"app.>\"]},\"subs\":-1,\"data\":-1,\"payload\":-1}}],"
                + "\"revocations\":{\"$U\":1690000000},"
                + "\"default_permissions\":{\"sub\":{\"deny\":[\"secret.>\"]}},"
                + "\"mappings\":{\"m.a\":[{\"subject\":\"m.b\",\"weight\":60},{\"subject\":\"m.c\",\"weight\":40,\"cluster\":\"east\"}]},"
                + "\"description\":\"d\",\"info_url\":\"https://x.io/a\",\"tags\":[\"env:prod\"],\"type\":\"account\",\"version\":2}}"),
        withoutJti(JwtEncoder.encode(c, OPERATOR, IAT)));
  }

  @Test
  void user() throws Exception {
    UserPermissionLimits p =
        UserPermissionLimits.of(
                new Permissions(
                    new Permission(List.of("a.>"), null),
                    new Permission(List.of("_INBOX.>", "w.* q"), List.of("x")),
                    new ResponsePermission(1, Duration.ZERO)))
            .withSourceNetworks(List.of("10.0.0.0/8"))
            .withTimes(List.of(new TimeRange("08:00:00", "18:00:00")), "Europe/Berlin")
            .withAllowedConnectionTypes(List.of("STANDARD"));
    UserClaims c =
        UserClaims.of("u", USER.publicKey(), p)
            .withIssuerAccount(ACCOUNT.publicKey())
            .withExpires(1800000000L);
    assertEquals(
        expand(
            "{\"iat\":1700000000,\"iss\":\"$ASK\",\"name\":\"u\",\"sub\":\"$U\",\"exp\":1800000000,\"nats\":{"
                + "\"pub\":{\"allow\":[\"a.>\"]},\"sub\":{\"allow\":[\"_INBOX.>\",\"w.* q\"],\"deny\":[\"x\"]},"
                + "\"resp\":{\"max\":1,\"ttl\":0},\"src\":[\"10.0.0.0/8\"],\"times\":[{\"start\":\"08:00:00\",\"end\":\"18:00:00\"}],"
                + "\"times_location\":\"Europe/Berlin\",\"subs\":-1,\"data\":-1,\"payload\":-1,"
                + "\"allowed_connection_types\":[\"STANDARD\"],\"issuer_account\":\"$A\",\"type\":\"user\",\"version\":2}}"),
        withoutJti(JwtEncoder.encode(c, ACCOUNT_SK, IAT)));
  }

  @Test
  void scopedUserCarriesNothing() throws Exception {
    UserClaims c =
        UserClaims.of("u", USER.publicKey(), UserPermissionLimits.EMPTY)
            .withIssuerAccount(ACCOUNT.publicKey());
    assertEquals(
        expand(
            "{\"iat\":1700000000,\"iss\":\"$ASK\",\"name\":\"u\",\"sub\":\"$U\",\"nats\":{"
                + "\"issuer_account\":\"$A\",\"type\":\"user\",\"version\":2}}"),
        withoutJti(JwtEncoder.encode(c, ACCOUNT_SK, IAT)));
  }

  @Test
  void activation() throws Exception {
    ActivationClaims c =
        new ActivationClaims(
            "grant",
            ACCOUNT_B.publicKey(),
            "priv.help",
            ExportType.SERVICE,
            ACCOUNT.publicKey(),
            null);
    assertEquals(
        expand(
            "{\"iat\":1700000000,\"iss\":\"$ASK\",\"name\":\"grant\",\"sub\":\"$B\",\"nats\":{"
                + "\"subject\":\"priv.help\",\"kind\":\"service\",\"issuer_account\":\"$A\",\"type\":\"activation\",\"version\":2}}"),
        withoutJti(JwtEncoder.encode(c, ACCOUNT_SK, IAT)));
  }

  @Test
  void deleteRequest() throws Exception {
    assertEquals(
        expand(
            "{\"iat\":1700000000,\"iss\":\"$O\",\"sub\":\"$O\",\"nats\":{\"accounts\":[\"$A\",\"$B\"],\"version\":2}}"),
        withoutJti(
            JwtEncoder.encode(
                new DeleteRequest(
                    OPERATOR.publicKey(), List.of(ACCOUNT.publicKey(), ACCOUNT_B.publicKey())),
                OPERATOR,
                IAT)));
  }

  @Test
  void stringsAreEscaped() throws Exception {
    AccountClaims c = AccountClaims.builder("quote\" back\\ nl\n ü", ACCOUNT.publicKey()).build();
    String json = withoutJti(JwtEncoder.encode(c, OPERATOR, IAT));
    assertTrue(json.contains("\"name\":\"quote\\\" back\\\\ nl\\n ü\""), json);
    assertEquals(c.name(), JwtDecoder.decode(JwtEncoder.encode(c, OPERATOR, IAT)).name());
  }

  @Test
  void jtiDiffersWhenContentDiffersInTheSameSecond() {
    AccountClaims a = AccountClaims.builder("A", ACCOUNT.publicKey()).build();
    AccountClaims b = a.toBuilder().addExport(Export.service("x", "x")).build();
    assertNotEquals(
        JwtDecoder.decode(JwtEncoder.encode(a, OPERATOR, IAT)).id(),
        JwtDecoder.decode(JwtEncoder.encode(b, OPERATOR, IAT)).id());
    // and equal content hashes equal regardless of export order
    AccountClaims c1 =
        a.toBuilder()
            .addExport(Export.service("x", "x"))
            .addExport(Export.service("y", "y"))
            .build();
    AccountClaims c2 =
        a.toBuilder()
            .addExport(Export.service("y", "y"))
            .addExport(Export.service("x", "x"))
            .build();
    assertEquals(ClaimsHash.of(c1), ClaimsHash.of(c2));
    assertNotEquals(ClaimsHash.of(a), ClaimsHash.of(c1));
    assertEquals(52, ClaimsHash.of(a).length());
  }
}
