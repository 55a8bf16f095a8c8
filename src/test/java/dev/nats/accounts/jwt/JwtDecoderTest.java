package dev.nats.accounts.jwt;

import static dev.nats.accounts.jwt.TestKeys.ACCOUNT;
import static dev.nats.accounts.jwt.TestKeys.ACCOUNT_B;
import static dev.nats.accounts.jwt.TestKeys.ACCOUNT_SK;
import static dev.nats.accounts.jwt.TestKeys.OPERATOR;
import static dev.nats.accounts.jwt.TestKeys.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtDecoderTest {
  static final long IAT = 1700000000L;
  static final Clock AT_IAT = Clock.fixed(Instant.ofEpochSecond(IAT), ZoneOffset.UTC);

  /**
   * Signs arbitrary payload JSON, bypassing claim checks, to build tokens our encoder refuses to
   * make.
   */
  static String rawToken(String payloadJson, KeyPair signer) {
    return JwtEncoder.sign(signer, payloadJson.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void roundTripsEveryClaimType() {
    AccountClaims account =
        AccountClaims.builder("A", ACCOUNT.publicKey())
            .addExport(
                Export.service("a", "a.*")
                    .withAccountTokenPosition(2)
                    .withLatency(new ServiceLatency("headers", "lat"))
                    .withResponseThreshold(Duration.ofMillis(5))
                    .withResponseType(ResponseType.CHUNKED))
            .addExport(
                Export.stream("b", "b.>").withTokenReq(true).withRevocations(Map.of("*", 5L)))
            .addImport(Import.stream("i", "e.>", ACCOUNT_B.publicKey()).withLocalSubject("in.>"))
            .addSigningKey(ACCOUNT_SK.publicKey())
            .addSigningKey(
                new SigningKey.Scoped(
                    TestKeys.ACCOUNT_C.publicKey(), "r", UserPermissionLimits.UNLIMITED, null))
            .limits(AccountLimits.UNLIMITED.withJetStream(JetStreamLimits.UNLIMITED))
            .addMapping("m", List.of(new Mapping("n", 100, "c")))
            .expires(IAT + 10)
            .build();
    DecodedJwt d = JwtDecoder.decode(JwtEncoder.encode(account, OPERATOR, IAT), AT_IAT);
    assertEquals("account", d.type());
    assertEquals(OPERATOR.publicKey(), d.issuer());
    assertEquals(IAT, d.issuedAt());
    assertEquals(account, d.account());

    OperatorClaims op =
        OperatorClaims.of("op", OPERATOR.publicKey())
            .withSystemAccount(ACCOUNT.publicKey())
            .withTags(List.of("t"));
    assertEquals(op, JwtDecoder.decode(JwtEncoder.encode(op, OPERATOR, IAT)).operator());

    UserClaims user =
        UserClaims.of(
                "u",
                USER.publicKey(),
                UserPermissionLimits.of(
                    new Permissions(
                        new Permission(List.of("a"), List.of("b")),
                        null,
                        new ResponsePermission(2, Duration.ofSeconds(3)))))
            .withIssuerAccount(ACCOUNT.publicKey());
    assertEquals(user, JwtDecoder.decode(JwtEncoder.encode(user, ACCOUNT_SK, IAT)).user());

    ActivationClaims act =
        new ActivationClaims("g", ACCOUNT_B.publicKey(), "x.y", ExportType.STREAM, null, null);
    assertEquals(act, JwtDecoder.decode(JwtEncoder.encode(act, ACCOUNT, IAT)).activation());

    DeleteRequest del = new DeleteRequest(OPERATOR.publicKey(), List.of(ACCOUNT.publicKey()));
    DecodedJwt dd = JwtDecoder.decode(JwtEncoder.encode(del, OPERATOR, IAT));
    assertEquals("generic", dd.type());
    assertEquals(del, dd.deleteRequest());
    JwtException wrong = assertThrows(JwtException.class, dd::account);
    assertEquals("expected account JWT but got generic JWT", wrong.getMessage());
  }

  @Test
  void rejectsTamperedPayloadAndSignature() {
    String jwt =
        JwtEncoder.encode(AccountClaims.builder("A", ACCOUNT.publicKey()).build(), OPERATOR, IAT);
    // The good token's signature verified first (and remembered): its tampered copies still fail.
    assertEquals(ACCOUNT.publicKey(), JwtDecoder.decode(jwt).subject());
    String[] p = jwt.split("\\.");
    String payload = TestKeys.payloadJson(jwt).replace("\"conn\":-1", "\"conn\":9");
    String tampered =
        p[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + p[2];
    assertEquals(
        "JWT signature verification failed for issuer " + OPERATOR.publicKey(),
        assertThrows(JwtException.class, () -> JwtDecoder.decode(tampered)).getMessage());
    byte[] sig = Base64.getUrlDecoder().decode(p[2]);
    sig[10] ^= 1;
    String badSig =
        p[0] + "." + p[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    assertThrows(JwtException.class, () -> JwtDecoder.decode(badSig));
    assertThrows(JwtException.class, () -> JwtDecoder.decode(badSig), "not remembered either");
    assertEquals(ACCOUNT.publicKey(), JwtDecoder.decode(jwt).subject());
    assertEquals(
        "JWT must have 3 dot-separated parts",
        assertThrows(JwtException.class, () -> JwtDecoder.decode(p[0] + "." + p[1])).getMessage());
  }

  @Test
  void rejectsWrongIssuerTypePerClaimType() {
    String userByOperator =
        rawToken(
            "{\"iat\":1,\"iss\":\""
                + OPERATOR.publicKey()
                + "\",\"sub\":\""
                + USER.publicKey()
                + "\",\"nats\":{\"type\":\"user\",\"version\":2}}",
            OPERATOR);
    assertEquals(
        "user JWT must not be issued by an operator key (" + OPERATOR.publicKey() + ")",
        assertThrows(JwtException.class, () -> JwtDecoder.decode(userByOperator)).getMessage());
    String operatorByAccount =
        rawToken(
            "{\"iat\":1,\"iss\":\""
                + ACCOUNT.publicKey()
                + "\",\"sub\":\""
                + ACCOUNT.publicKey()
                + "\",\"nats\":{\"type\":\"operator\",\"version\":2}}",
            ACCOUNT);
    assertEquals(
        "operator JWT must not be issued by an account key (" + ACCOUNT.publicKey() + ")",
        assertThrows(JwtException.class, () -> JwtDecoder.decode(operatorByAccount)).getMessage());
    String accountByUser =
        rawToken(
            "{\"iat\":1,\"iss\":\""
                + USER.publicKey()
                + "\",\"sub\":\""
                + ACCOUNT.publicKey()
                + "\",\"nats\":{\"type\":\"account\",\"version\":2}}",
            USER);
    assertThrows(JwtException.class, () -> JwtDecoder.decode(accountByUser));
  }

  @Test
  void rejectsExpiredAndNotYetValid() {
    String jwt =
        JwtEncoder.encode(
            UserClaims.of("u", USER.publicKey(), UserPermissionLimits.UNLIMITED)
                .withExpires(IAT + 60),
            ACCOUNT,
            IAT);
    assertEquals(USER.publicKey(), JwtDecoder.decode(jwt, AT_IAT).subject());
    Clock later = Clock.fixed(Instant.ofEpochSecond(IAT + 61), ZoneOffset.UTC);
    assertEquals(
        "user JWT for "
            + USER.publicKey()
            + " expired at "
            + (IAT + 60)
            + " (now "
            + (IAT + 61)
            + ")",
        assertThrows(JwtException.class, () -> JwtDecoder.decode(jwt, later)).getMessage());
    assertEquals(IAT + 60, JwtDecoder.decodeIgnoringTime(jwt).expires());
    String nbf =
        rawToken(
            "{\"iat\":1,\"nbf\":"
                + (IAT + 100)
                + ",\"iss\":\""
                + ACCOUNT.publicKey()
                + "\",\"sub\":\""
                + USER.publicKey()
                + "\",\"nats\":{\"type\":\"user\",\"version\":2}}",
            ACCOUNT);
    assertThrows(JwtException.class, () -> JwtDecoder.decode(nbf, AT_IAT));
  }

  @Test
  void rejectsV1AndMissingVersion() {
    String noVersion =
        rawToken(
            "{\"iat\":1,\"iss\":\""
                + OPERATOR.publicKey()
                + "\",\"sub\":\""
                + ACCOUNT.publicKey()
                + "\",\"nats\":{\"type\":\"account\"}}",
            OPERATOR);
    assertEquals(
        "nats.version must be 2, got 0",
        assertThrows(JwtException.class, () -> JwtDecoder.decode(noVersion)).getMessage());
    String v1Header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                "{\"typ\":\"JWT\",\"alg\":\"ed25519\"}".getBytes(StandardCharsets.UTF_8));
    String v2 =
        JwtEncoder.encode(AccountClaims.builder("A", ACCOUNT.publicKey()).build(), OPERATOR, IAT);
    String v1 = v1Header + v2.substring(v2.indexOf('.'));
    assertEquals(
        "JWT header alg must be ed25519-nkey (v2), got \"ed25519\"",
        assertThrows(JwtException.class, () -> JwtDecoder.decode(v1)).getMessage());
  }

  @Test
  void rejectsLegacyToOnImport() {
    String jwt =
        rawToken(
            "{\"iat\":1,\"iss\":\""
                + OPERATOR.publicKey()
                + "\",\"sub\":\""
                + ACCOUNT.publicKey()
                + "\",\"nats\":{\"imports\":[{\"subject\":\"a\",\"to\":\"b\",\"account\":\""
                + ACCOUNT_B.publicKey()
                + "\",\"type\":\"service\"}],\"type\":\"account\",\"version\":2}}",
            OPERATOR);
    DecodedJwt d = JwtDecoder.decode(jwt);
    assertEquals(
        "import of \"a\" uses the deprecated 'to' field, which is not supported; use local_subject",
        assertThrows(JwtException.class, d::account).getMessage());
  }

  @Test
  void absentLimitsReadAsZeroLikeTheServer() {
    String jwt =
        rawToken(
            "{\"iat\":1,\"iss\":\""
                + OPERATOR.publicKey()
                + "\",\"sub\":\""
                + ACCOUNT.publicKey()
                + "\",\"nats\":{\"type\":\"account\",\"version\":2}}",
            OPERATOR);
    AccountLimits l = JwtDecoder.decode(jwt).account().limits();
    assertEquals(0, l.conn());
    assertEquals(0, l.subs());
  }
}
