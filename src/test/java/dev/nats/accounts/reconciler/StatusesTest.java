package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.SigningKeyStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Status bookkeeping: timestamps kept as RFC 3339 text, and JSON equality to skip no-op writes. */
class StatusesTest {

  @Test
  void epochSecondsOfRfc3339() {
    assertEquals(1_767_323_045L, Statuses.epochSeconds("2026-01-02T03:04:05Z"));
    assertEquals(
        1_767_323_045L, Statuses.epochSeconds("2026-01-02T03:04:05.900Z"), "fractions are dropped");
    assertEquals(0, Statuses.epochSeconds(null));
    assertEquals(0, Statuses.epochSeconds(""));
  }

  /** The direct read of the plain shape agrees with {@link java.time.Instant#parse} everywhere. */
  @Test
  void thePlainShapeIsReadAsInstantParseReadsIt() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 100_000; i++) {
      long s = random.nextLong(0, 7_258_118_400L); // 1970 .. 2200
      String text = java.time.Instant.ofEpochSecond(s).toString();
      assertEquals(s, Statuses.utcSeconds(text), text);
    }
    for (String text :
        List.of(
            "0000-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2024-02-29T12:00:00Z",
            "9999-12-31T23:59:59Z")) {
      assertEquals(java.time.Instant.parse(text).getEpochSecond(), Statuses.epochSeconds(text));
    }
  }

  /** Other shapes, and impossible fields, go to Instant.parse: read, or refused as before. */
  @Test
  void otherShapesFallBackToInstantParse() {
    assertEquals(Long.MIN_VALUE, Statuses.utcSeconds("2026-01-02T03:04:05.900Z"));
    assertEquals(Long.MIN_VALUE, Statuses.utcSeconds("2026-02-30T00:00:00Z"));
    assertEquals(Long.MIN_VALUE, Statuses.utcSeconds("2026-01-02T24:00:00Z"));
    assertEquals(Long.MIN_VALUE, Statuses.utcSeconds("2026-1-02T03:04:05Z "));
    assertEquals(Long.MIN_VALUE, Statuses.utcSeconds("2026-01-0xT03:04:05Z"));
    org.junit.jupiter.api.Assertions.assertThrows(
        java.time.format.DateTimeParseException.class,
        () -> Statuses.epochSeconds("2026-02-30T00:00:00Z"));
    org.junit.jupiter.api.Assertions.assertThrows(
        java.time.format.DateTimeParseException.class, () -> Statuses.epochSeconds("not a time"));
  }

  @Test
  void rfc3339OfEpochSeconds() {
    assertEquals("2026-01-02T03:04:05Z", Statuses.rfc3339(1_767_323_045L));
    assertEquals(
        "2026-01-02T03:00:00Z", Statuses.rfc3339(1_767_322_800L), "seconds are always written");
    assertEquals("1970-01-01T00:00:00Z", Statuses.rfc3339(0));
  }

  @Test
  void roundTrip() {
    for (long s : new long[] {1, 59, 1_700_000_000L, 1_767_322_800L, 4_102_444_800L}) {
      assertEquals(s, Statuses.epochSeconds(Statuses.rfc3339(s)));
    }
  }

  @Test
  void copyIsDeep() {
    AccountStatus a = status("AKEY", 3);
    a.setSigningKeys(new ArrayList<>(List.of(signingKey("default", "AK1"))));

    AccountStatus c = Statuses.copy(a, AccountStatus.class);
    assertNotSame(a, c);
    assertEquals(
        io.fabric8.kubernetes.client.utils.Serialization.asJson(a),
        io.fabric8.kubernetes.client.utils.Serialization.asJson(c));
    c.getSigningKeys().get(0).setPublicKey("CHANGED");
    c.getRevocations().put("UX", 9L);

    assertEquals("AK1", a.getSigningKeys().get(0).getPublicKey());
    assertEquals(Map.of("U1", 1L), a.getRevocations());
    assertNull(Statuses.copy(null, AccountStatus.class));
  }

  private static AccountStatus status(String key, int revoked) {
    AccountStatus s = new AccountStatus();
    s.setPublicKey(key);
    s.setRevokedUsers(revoked);
    s.setIssuedAt("2026-01-02T03:04:05Z");
    s.setRevocations(new TreeMap<>(Map.of("U1", 1L)));
    return s;
  }

  private static SigningKeyStatus signingKey(String name, String pub) {
    SigningKeyStatus k = new SigningKeyStatus();
    k.setName(name);
    k.setPublicKey(pub);
    return k;
  }
}
