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
