package dev.nats.accounts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CommonPoolTest {
  @Test
  void twoThreadsWhenTheDefaultWouldBeOne() {
    assertEquals("2", CommonPool.parallelism(null, 1));
    assertEquals("2", CommonPool.parallelism(null, 2));
  }

  @Test
  void theJdkDefaultWhenItIsAlreadyTwoOrMore() {
    assertNull(CommonPool.parallelism(null, 3));
    assertNull(CommonPool.parallelism(null, 16));
  }

  @Test
  void aValueGivenOnTheCommandLineStays() {
    assertNull(CommonPool.parallelism("1", 2));
    assertNull(CommonPool.parallelism("8", 2));
  }
}
