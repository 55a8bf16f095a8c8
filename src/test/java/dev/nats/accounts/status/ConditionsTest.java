package dev.nats.accounts.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final Conditions conditions =
      new Conditions(
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now.get();
            }
          });

  @Test
  void transitionTimeMovesOnlyWhenStatusFlips() {
    List<Condition> c =
        conditions.set(null, ConditionType.READY, "False", Reason.PENDING, "waiting", 1L);
    assertEquals("2026-01-01T00:00:00Z", c.get(0).getLastTransitionTime());

    now.set(Instant.parse("2026-01-01T00:05:00Z"));
    c = conditions.set(c, ConditionType.READY, "False", Reason.OPERATOR_NOT_FOUND, "gone", 2L);
    assertEquals(
        "2026-01-01T00:00:00Z", c.get(0).getLastTransitionTime(), "same status keeps time");
    assertEquals("OperatorNotFound", c.get(0).getReason());
    assertEquals(2L, c.get(0).getObservedGeneration());

    now.set(Instant.parse("2026-01-01T00:10:00Z"));
    c = conditions.set(c, ConditionType.READY, "True", Reason.RECONCILED, "", 2L);
    assertEquals("2026-01-01T00:10:00Z", c.get(0).getLastTransitionTime());
    assertTrue(Conditions.isTrue(c, ConditionType.READY));
  }

  @Test
  void keepsOtherConditionsInOrder() {
    List<Condition> c =
        conditions.set(null, ConditionType.KEYS_READY, "True", Reason.KEYS_CREATED, "", 1L);
    c = conditions.set(c, ConditionType.READY, "False", Reason.PENDING, "", 1L);
    c = conditions.set(c, ConditionType.KEYS_READY, "False", Reason.SEED_LOST, "x", 1L);
    assertEquals(List.of("KeysReady", "Ready"), c.stream().map(Condition::getType).toList());
    assertFalse(Conditions.isTrue(c, ConditionType.KEYS_READY));
    assertEquals(Reason.SEED_LOST, Conditions.reason(c, ConditionType.KEYS_READY));
    assertEquals(null, Conditions.reason(c, ConditionType.PUSHED));
  }

  /**
   * kstatus reads Stalled=True as Failed: it follows Ready, for the reasons only a change can
   * resolve.
   */
  @Test
  void stalledFollowsReadyForReasonsOnlyAChangeResolves() {
    List<Condition> c =
        conditions.set(
            null, ConditionType.READY, "False", Reason.NOT_GRANTED, "no grant for Account b", 3L);
    assertEquals(List.of("Ready", "Stalled"), c.stream().map(Condition::getType).toList());
    Condition stalled = Conditions.find(c, ConditionType.STALLED).orElseThrow();
    assertEquals("True", stalled.getStatus());
    assertEquals("NotGranted", stalled.getReason());
    assertEquals("no grant for Account b", stalled.getMessage());
    assertEquals(3L, stalled.getObservedGeneration());

    c = conditions.set(c, ConditionType.READY, "False", Reason.ACCOUNT_NOT_FOUND, "not yet", 3L);
    assertFalse(
        Conditions.find(c, ConditionType.STALLED).isPresent(),
        "a reference may appear by itself: not stalled");
    c = conditions.set(c, ConditionType.READY, "False", Reason.SEED_LOST, "restore it", 3L);
    assertTrue(Conditions.isTrue(c, ConditionType.STALLED));
    c = conditions.set(c, ConditionType.READY, "True", Reason.RECONCILED, "", 4L);
    assertEquals(List.of("Ready"), c.stream().map(Condition::getType).toList(), "gone once Ready");
    c = conditions.set(c, ConditionType.READY, "Unknown", Reason.PENDING, "waiting", 4L);
    assertFalse(Conditions.find(c, ConditionType.STALLED).isPresent());
  }
}
