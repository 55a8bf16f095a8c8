package dev.nats.accounts.reconciler.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.KeyRotation;
import dev.nats.accounts.api.v1alpha1.KeyRotationStatus;
import dev.nats.accounts.reconciler.InvalidSpecException;
import dev.nats.accounts.reconciler.user.UserKeyRotation.Plan;
import dev.nats.accounts.reconciler.user.UserKeyRotation.Policy;
import dev.nats.accounts.reconciler.user.UserKeyRotation.Why;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserKeyRotationTest {
  static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  static final Policy DAILY = new Policy(Duration.ofHours(24), Duration.ofHours(1));
  static final String OLD = "UOLD";
  static final String CUR = "UCUR";

  @Test
  void withoutRotationNothingIsPlannedAndNoStatusIsWritten() {
    Plan p = UserKeyRotation.plan(Policy.NONE, Map.of(), null, CUR, CUR, T0);
    assertFalse(p.newKey());
    assertNull(p.status());
    assertNull(p.wakeAt());
    assertTrue(p.retire().isEmpty());
  }

  @Test
  void theFirstKeyStartsTheScheduleAndCountsEarlierRequestsAsDone() {
    Plan p =
        UserKeyRotation.plan(DAILY, Map.of(UserKeyRotation.REQUEST, "1"), null, null, null, T0);
    assertFalse(p.newKey());
    assertEquals(T0.toString(), p.status().getRotatedAt());
    assertEquals(T0.plus(Duration.ofHours(24)).toString(), p.status().getNextRotationAt());
    assertEquals("1", p.status().getHandledRequest());
    assertEquals(T0.plus(Duration.ofHours(24)), p.wakeAt());
  }

  @Test
  void aDueScheduleIssuesANewKeyAndTheOldOneWorksForTheOverlap() {
    KeyRotationStatus last = rotated(T0);
    Instant before = T0.plus(Duration.ofHours(23));
    assertFalse(UserKeyRotation.plan(DAILY, Map.of(), last, CUR, CUR, before).newKey());

    Instant due = T0.plus(Duration.ofHours(24));
    Plan p = UserKeyRotation.plan(DAILY, Map.of(), last, CUR, CUR, due);
    assertTrue(p.newKey());
    assertEquals(Why.SCHEDULED, p.why());
    assertEquals(CUR, p.status().getPreviousKey());
    assertEquals(due.plus(Duration.ofHours(1)).toString(), p.status().getPreviousKeyRevokedAt());
    assertTrue(p.retire().isEmpty(), "the old key still works");
    assertEquals(due.plus(Duration.ofHours(1)), p.wakeAt(), "wakes when the overlap ends");

    // The overlap over: the old key is retired, once.
    Instant later = due.plus(Duration.ofHours(1));
    Plan end = UserKeyRotation.plan(DAILY, Map.of(), p.status(), "UNEW", "UNEW", later);
    assertFalse(end.newKey());
    assertEquals(Map.of(CUR, later.getEpochSecond()), end.retire());
    assertNull(end.status().getPreviousKey());
    assertEquals(due.plus(Duration.ofHours(24)), end.wakeAt());
  }

  @Test
  void aNewRequestValueRotatesOnceAndTheSameValueNotAgain() {
    KeyRotationStatus last = rotated(T0);
    Map<String, String> asked = Map.of(UserKeyRotation.REQUEST, "2026-11-30");
    Plan p = UserKeyRotation.plan(Policy.NONE, asked, last, CUR, CUR, T0.plusSeconds(60));
    assertTrue(p.newKey());
    assertEquals(Why.REQUESTED, p.why());
    assertEquals("2026-11-30", p.status().getHandledRequest());

    Plan again = UserKeyRotation.plan(Policy.NONE, asked, p.status(), "UNEW", "UNEW", T0);
    assertFalse(again.newKey());
  }

  @Test
  void anEmergencyRevokesTheReplacedKeyAndAnyOlderOneAtOnce() {
    KeyRotationStatus last = rotated(T0);
    last.setPreviousKey(OLD);
    last.setPreviousKeyRevokedAt(T0.plusSeconds(3600).toString());
    Instant now = T0.plusSeconds(60);
    Plan p =
        UserKeyRotation.plan(DAILY, Map.of(UserKeyRotation.EMERGENCY, "leak"), last, CUR, CUR, now);
    assertTrue(p.newKey());
    assertEquals(Why.EMERGENCY, p.why());
    assertEquals(Map.of(CUR, now.getEpochSecond(), OLD, now.getEpochSecond()), p.retire());
    assertNull(p.status().getPreviousKey());
    assertEquals("leak", p.status().getHandledEmergency());
  }

  @Test
  void aSecondRotationWithinTheOverlapRetiresTheFirstReplacedKeyAtOnce() {
    KeyRotationStatus last = rotated(T0);
    last.setPreviousKey(OLD);
    last.setPreviousKeyRevokedAt(T0.plusSeconds(3600).toString());
    Instant now = T0.plusSeconds(60);
    Plan p = UserKeyRotation.plan(DAILY, Map.of(UserKeyRotation.REQUEST, "x"), last, CUR, CUR, now);
    assertTrue(p.newKey());
    assertEquals(Map.of(OLD, now.getEpochSecond()), p.retire(), "only one old key works");
    assertEquals(CUR, p.status().getPreviousKey());
  }

  @Test
  void aCredsSecretHoldingAnotherKeyReplacesTheStatusKeyAndRevokesItAtOnce() {
    // Also without any rotation configured: a key no Secret holds must not work forever.
    Plan p = UserKeyRotation.plan(Policy.NONE, Map.of(), null, OLD, CUR, T0);
    assertFalse(p.newKey(), "the Secret's key is the new one");
    assertEquals(Why.REPLACED, p.why());
    assertEquals(Map.of(OLD, T0.getEpochSecond()), p.retire());
  }

  @Test
  void aRotationWrittenToTheSecretButNotToStatusFinishesAsThatRotation() {
    // The process died after writing the new key for a request: the request is handled by it.
    KeyRotationStatus last = rotated(T0);
    Plan p =
        UserKeyRotation.plan(
            DAILY, Map.of(UserKeyRotation.REQUEST, "r1"), last, OLD, CUR, T0.plusSeconds(5));
    assertFalse(p.newKey());
    assertEquals(Why.REQUESTED, p.why());
    assertEquals(OLD, p.status().getPreviousKey(), "the overlap still applies");
    assertTrue(p.retire().isEmpty());
    assertEquals("r1", p.status().getHandledRequest());
  }

  @Test
  void policiesThatCannotWorkNameTheirField() {
    InvalidSpecException zero =
        assertThrows(InvalidSpecException.class, () -> Policy.of(rotation("0s", null)));
    assertTrue(zero.getMessage().contains("spec.rotation.every"), zero.getMessage());
    InvalidSpecException longOverlap =
        assertThrows(InvalidSpecException.class, () -> Policy.of(rotation("1h", "2h")));
    assertTrue(
        longOverlap.getMessage().contains("spec.rotation.overlap"), longOverlap.getMessage());
    assertEquals(new Policy(null, Duration.ofHours(1)), Policy.of(rotation(null, null)));
    assertEquals(
        new Policy(Duration.ofHours(720), Duration.ofHours(24)),
        Policy.of(rotation("720h", "24h")));
  }

  private static KeyRotation rotation(String every, String overlap) {
    KeyRotation r = new KeyRotation();
    r.setEvery(every);
    r.setOverlap(overlap);
    return r;
  }

  private static KeyRotationStatus rotated(Instant at) {
    KeyRotationStatus s = new KeyRotationStatus();
    s.setRotatedAt(at.toString());
    return s;
  }
}
