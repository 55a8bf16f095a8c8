package dev.nats.accounts.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LruTest {
  private final AtomicInteger computed = new AtomicInteger();

  private String compute(String key) {
    computed.incrementAndGet();
    return key.toUpperCase();
  }

  @Test
  void aValueIsComputedOnceAndThenKept() {
    Lru<String, String> lru = new Lru<>(10);
    assertEquals("A", lru.computeIfAbsent("a", this::compute));
    assertEquals("A", lru.computeIfAbsent("a", this::compute));
    assertEquals(1, computed.get());
  }

  @Test
  void aComputationThatThrowsKeepsNothing() {
    Lru<String, String> lru = new Lru<>(10);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            lru.computeIfAbsent(
                "a",
                k -> {
                  throw new IllegalArgumentException("bad");
                }));
    assertEquals(0, lru.size());
    assertEquals("A", lru.computeIfAbsent("a", this::compute));
  }

  @Test
  void theLeastRecentlyUsedGoesFirstBeyondCapacity() {
    Lru<String, String> lru = new Lru<>(2);
    lru.put("a", "1");
    lru.put("b", "2");
    lru.get("a"); // a used: b is now the eldest
    lru.put("c", "3");
    assertEquals(2, lru.size());
    assertEquals("1", lru.get("a"));
    assertNull(lru.get("b"));
    assertEquals("3", lru.get("c"));
  }
}
