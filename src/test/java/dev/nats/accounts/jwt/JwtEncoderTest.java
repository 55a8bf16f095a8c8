package dev.nats.accounts.jwt;

import static dev.nats.accounts.jwt.TestKeys.ACCOUNT;
import static dev.nats.accounts.jwt.TestKeys.OPERATOR;
import static dev.nats.accounts.jwt.TestKeys.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwtEncoderTest {

  @Test
  void envelopeHasFixedHeaderAndValidSignature() {
    String jwt =
        JwtEncoder.encode(
            AccountClaims.builder("a", ACCOUNT.publicKey()).build(), OPERATOR, 1700000000L);
    String[] parts = jwt.split("\\.");
    assertEquals(3, parts.length);
    assertEquals("eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ", parts[0]);
    assertEquals(
        "{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}",
        new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    assertTrue(
        KeyPair.verify(OPERATOR.publicKey(), signed, Base64.getUrlDecoder().decode(parts[2])));
  }

  @Test
  void jtiIsHashOfPayloadAndChangesWithContent() {
    long iat = 1700000000L;
    String a =
        JwtEncoder.encode(AccountClaims.builder("a", ACCOUNT.publicKey()).build(), OPERATOR, iat);
    String b =
        JwtEncoder.encode(
            AccountClaims.builder("a", ACCOUNT.publicKey())
                .addExport(Export.service("s", "svc.a"))
                .build(),
            OPERATOR,
            iat);
    String jtiA = TestKeys.payload(a).get("jti").asText();
    String jtiB = TestKeys.payload(b).get("jti").asText();
    assertEquals(52, jtiA.length());
    assertTrue(jtiA.matches("[A-Z2-7]{52}"));
    assertNotEquals(jtiA, jtiB);
    // the same content at the same iat is the same token content (deterministic)
    assertEquals(
        jtiA,
        TestKeys.payload(
                JwtEncoder.encode(
                    AccountClaims.builder("a", ACCOUNT.publicKey()).build(), OPERATOR, iat))
            .get("jti")
            .asText());
  }

  @Test
  void rejectsWrongSignerType() {
    AccountClaims c = AccountClaims.builder("a", ACCOUNT.publicKey()).build();
    InvalidClaimsException e =
        assertThrows(InvalidClaimsException.class, () -> JwtEncoder.encode(c, USER, 1L));
    assertEquals("signer", e.violations().get(0).field());
  }
}
