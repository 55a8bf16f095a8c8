package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A confirmed push counts only for the same JWT, the same connection epoch, and within its age. */
class PushTrackerTest {
  private static final Duration MAX_AGE = Duration.ofSeconds(60);
  private static final Duration FIRST_PUSH_HOLD = Duration.ofSeconds(10);

  private MovableClock clock;
  private PushTracker tracker;

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-01-02T03:04:05Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void setUp() {
    clock = new MovableClock();
    tracker = new PushTracker(clock, FIRST_PUSH_HOLD);
  }

  @Test
  void aFirstPushIsHeldFromItsFirstWaitUntilTheLimitThenNotAgain() {
    assertEquals(FIRST_PUSH_HOLD, tracker.firstPushHeld("A").orElseThrow());
    clock.advance(Duration.ofSeconds(4));
    assertEquals(Duration.ofSeconds(6), tracker.firstPushHeld("A").orElseThrow());
    assertEquals(FIRST_PUSH_HOLD, tracker.firstPushHeld("B").orElseThrow(), "timed per account");
    clock.advance(Duration.ofSeconds(6));
    assertTrue(tracker.firstPushHeld("A").isEmpty(), "held long enough: pushed");
    assertTrue(tracker.remembered().contains("A"));

    tracker.firstPushDone("A");
    tracker.forget("B");
    assertFalse(tracker.remembered().contains("A"), "signed: nothing kept");
    assertFalse(tracker.remembered().contains("B"), "deleted: nothing kept");
  }

  @Test
  void nothingIsCurrentBeforeAConfirmation() {
    assertFalse(tracker.isCurrent("A", "h1", 1, MAX_AGE));
  }

  @Test
  void confirmedHashOnTheSameEpochIsCurrent() {
    tracker.confirm("A", "h1", 1);

    assertTrue(tracker.isCurrent("A", "h1", 1, MAX_AGE));
    assertFalse(tracker.isCurrent("A", "h2", 1, MAX_AGE), "another JWT");
    assertFalse(tracker.isCurrent("A", "h1", 2, MAX_AGE), "a reconnect since");
    assertFalse(tracker.isCurrent("B", "h1", 1, MAX_AGE), "another account");
  }

  @Test
  void confirmationExpiresExactlyAtMaxAge() {
    tracker.confirm("A", "h1", 1);

    clock.advance(MAX_AGE.minusMillis(1));
    assertTrue(tracker.isCurrent("A", "h1", 1, MAX_AGE));
    clock.advance(Duration.ofMillis(1));
    assertFalse(tracker.isCurrent("A", "h1", 1, MAX_AGE));
  }

  @Test
  void reconfirmingRefreshesTheAgeAndReplacesTheHash() {
    tracker.confirm("A", "h1", 1);
    clock.advance(Duration.ofSeconds(50));
    tracker.confirm("A", "h2", 1);
    clock.advance(Duration.ofSeconds(50));

    assertTrue(tracker.isCurrent("A", "h2", 1, MAX_AGE));
    assertFalse(tracker.isCurrent("A", "h1", 1, MAX_AGE));
  }

  @Test
  void forgetDropsTheConfirmation() {
    tracker.confirm("A", "h1", 1);
    tracker.confirm("B", "h1", 1);
    tracker.forget("A");

    assertFalse(tracker.isCurrent("A", "h1", 1, MAX_AGE));
    assertTrue(tracker.isCurrent("B", "h1", 1, MAX_AGE));
  }

  @Test
  void aFailureStreakCountsUntilAConfirmationAndIsForgottenWithTheAccount() {
    assertEquals(1, tracker.failed("A"));
    assertEquals(2, tracker.failed("A"));
    tracker.confirm("A", "h1", 1);
    assertEquals(1, tracker.failed("A"), "a confirmation ends the streak");
    tracker.failed("B");
    assertEquals(java.util.Set.of("A", "B"), tracker.remembered());

    tracker.forget("A");
    tracker.forget("B");

    assertEquals(java.util.Set.of(), tracker.remembered(), "nothing left of deleted accounts");
  }

  @Test
  void onlyAJwtBothLastSentAndConfirmedIsSettled() {
    assertTrue(tracker.settled("A").isEmpty(), "nothing known after a restart");
    tracker.confirm("A", "h1", 1);
    assertEquals("h1", tracker.settled("A").orElseThrow());
    tracker.sending("A", "h2");
    assertTrue(tracker.settled("A").isEmpty(), "h2 may have reached a server: h1 is stale");
    tracker.failed("A");
    assertTrue(tracker.settled("A").isEmpty(), "still, after the send failed");
    tracker.confirm("A", "h2", 1);
    assertEquals("h2", tracker.settled("A").orElseThrow());
  }

  @Test
  void anAccountKnownAbsentIsSoOnlyOnThatEpochAndUntilConfirmed() {
    tracker.absent("A", 3);
    assertTrue(tracker.knownAbsent("A", 3));
    assertFalse(tracker.knownAbsent("A", 4));
    assertFalse(tracker.knownAbsent("B", 3));
    tracker.confirm("A", "h1", 3);
    assertFalse(tracker.knownAbsent("A", 3), "pushed since");
  }

  @Test
  void forgettingAnAccountForgetsWhatItSentAndItsLock() {
    tracker.confirm("A", "h1", 1);
    tracker.absent("A", 2);
    var lock = tracker.lock("A");
    assertSame(lock, tracker.lock("A"));
    assertTrue(tracker.remembered().contains("A"));
    tracker.forget("A");
    assertTrue(tracker.remembered().isEmpty(), tracker.remembered().toString());
    assertTrue(tracker.settled("A").isEmpty());
  }
}
