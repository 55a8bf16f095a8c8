package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredRevocationsTest {
  @Test
  void mergeKeepsEveryKeyAtTheLaterTime() {
    assertEquals(
        Map.of("UA", 20L, "UB", 5L, "UC", 7L),
        StoredRevocations.merge(Map.of("UA", 10L, "UB", 5L), Map.of("UA", 20L, "UC", 7L)));
    assertEquals(Map.of("UA", 20L), StoredRevocations.merge(Map.of("UA", 20L), Map.of("UA", 10L)));
  }

  @Test
  void writtenAndParsedBackUnreadableIsEmpty() {
    Map<String, Long> r = Map.of("UB", 5L, "UA", 10L);
    assertEquals(r, StoredRevocations.parse(StoredRevocations.write(r)));
    assertEquals(
        "{\"UA\":10,\"UB\":5}",
        StoredRevocations.write(r),
        "sorted, so an unchanged map writes nothing");
    assertEquals(Map.of(), StoredRevocations.parse("not json"));
    assertEquals(Map.of(), StoredRevocations.parse(null));
  }
}
