package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A new resource's first wait is held at most the limit, counted from the first time it was. */
class PendingHoldTest {
  final PushTrackerTest.MovableClock clock = new PushTrackerTest.MovableClock();
  final PendingHold hold = new PendingHold(clock, Duration.ofSeconds(10));

  @Test
  void heldFromTheFirstTimeUntilTheLimitThenWritten() {
    assertEquals(Optional.of(Duration.ofSeconds(10)), hold.remaining("u1"));
    clock.advance(Duration.ofSeconds(4));
    assertEquals(Optional.of(Duration.ofSeconds(6)), hold.remaining("u1"), "not restarted");
    assertEquals(Optional.of(Duration.ofSeconds(10)), hold.remaining("u2"), "timed per resource");
    clock.advance(Duration.ofSeconds(6));
    assertEquals(Optional.empty(), hold.remaining("u1"), "held long enough: written");
    assertEquals(Optional.of(Duration.ofSeconds(4)), hold.remaining("u2"));
  }

  @Test
  void aWriteOrADeletionEndsTheHoldAndALaterWaitIsTimedAfresh() {
    hold.remaining("u1");
    hold.remaining("u2");
    clock.advance(Duration.ofSeconds(20));
    hold.released("u1");
    hold.forget("u2");
    assertTrue(hold.remembered().isEmpty());
    assertEquals(Optional.of(Duration.ofSeconds(10)), hold.remaining("u1"));
    assertEquals(Set.of("u1"), hold.remembered());
  }

  /**
   * A User waits for its Account's keys, then for its push: each step is held up to the limit, so a
   * batch apply in which both waits end in time writes Ready once. Only so many steps are.
   */
  @Test
  void aNewStepOfTheWaitIsTimedAfreshAFewTimes() {
    hold.remaining("u1", "keys");
    clock.advance(Duration.ofSeconds(8));
    assertEquals(Optional.of(Duration.ofSeconds(2)), hold.remaining("u1", "keys"));
    assertEquals(
        Optional.of(Duration.ofSeconds(10)), hold.remaining("u1", "push"), "the next step");
    clock.advance(Duration.ofSeconds(9));
    assertEquals(Optional.of(Duration.ofSeconds(10)), hold.remaining("u1", "third"));
    clock.advance(Duration.ofSeconds(9));
    assertEquals(
        Optional.of(Duration.ofSeconds(1)),
        hold.remaining("u1", "fourth"),
        "after " + PendingHold.MAX_STEPS + " steps the time runs on");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Optional.empty(), hold.remaining("u1", "fifth"));
  }

  @Test
  void aLimitOfZeroHoldsNothing() {
    PendingHold none = new PendingHold(clock, Duration.ZERO);
    assertEquals(Optional.empty(), none.remaining("u1"));
    assertTrue(none.remembered().isEmpty());
  }
}
