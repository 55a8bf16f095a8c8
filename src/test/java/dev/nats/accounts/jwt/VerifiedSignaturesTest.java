package dev.nats.accounts.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerifiedSignaturesTest {
  private final AtomicInteger asked = new AtomicInteger();

  private boolean ask(boolean answer) {
    asked.incrementAndGet();
    return answer;
  }

  @Test
  void aTokenThatVerifiedIsNotVerifiedAgain() {
    VerifiedSignatures v = new VerifiedSignatures(10);
    assertTrue(v.verifies("a.b.c", () -> ask(true)));
    assertTrue(v.verifies("a.b.c", () -> ask(false)), "remembered: not asked again");
    assertEquals(1, asked.get());
  }

  @Test
  void aTokenThatFailedIsAskedEveryTimeAndNeverRemembered() {
    VerifiedSignatures v = new VerifiedSignatures(10);
    assertFalse(v.verifies("a.b.c", () -> ask(false)));
    assertFalse(v.verifies("a.b.c", () -> ask(false)));
    assertEquals(2, asked.get());
    assertEquals(0, v.size());
  }

  @Test
  void aTokenDifferingInOneCharacterIsVerifiedAfresh() {
    VerifiedSignatures v = new VerifiedSignatures(10);
    assertTrue(v.verifies("a.b.c", () -> ask(true)));
    assertFalse(v.verifies("a.b.d", () -> ask(false)));
    assertFalse(v.verifies("a.c.c", () -> ask(false)));
    assertEquals(3, asked.get());
  }

  @Test
  void theLeastRecentlyUsedGoesFirstBeyondCapacity() {
    VerifiedSignatures v = new VerifiedSignatures(2);
    v.verifies("t1", () -> ask(true));
    v.verifies("t2", () -> ask(true));
    v.verifies("t1", () -> ask(true)); // t1 used: t2 is now the eldest
    v.verifies("t3", () -> ask(true));
    assertEquals(2, v.size());
    assertEquals(3, asked.get());
    v.verifies("t1", () -> ask(true));
    assertEquals(3, asked.get(), "t1 stayed");
    v.verifies("t2", () -> ask(true));
    assertEquals(4, asked.get(), "t2 went out and is asked again");
  }
}
