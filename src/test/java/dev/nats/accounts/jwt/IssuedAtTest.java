package dev.nats.accounts.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class IssuedAtTest {
  private static final Clock FIXED =
      Clock.fixed(Instant.ofEpochSecond(1700000000L), ZoneOffset.UTC);

  @Test
  void usesNowWhenPreviousIsOlder() {
    assertEquals(1700000000L, IssuedAt.next(0, FIXED));
    assertEquals(1700000000L, IssuedAt.next(1699999999L, FIXED));
  }

  @Test
  void strictlyIncreasesWithinTheSameSecond() {
    long a = IssuedAt.next(0, FIXED);
    long b = IssuedAt.next(a, FIXED);
    long c = IssuedAt.next(b, FIXED);
    assertEquals(a + 1, b);
    assertEquals(b + 1, c);
  }

  @Test
  void staysAheadOfAClockThatWentBackwards() {
    assertEquals(1700000101L, IssuedAt.next(1700000100L, FIXED));
    assertTrue(IssuedAt.next(0) > 1700000000L);
  }
}
