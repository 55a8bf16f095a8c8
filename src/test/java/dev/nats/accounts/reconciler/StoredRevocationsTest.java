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

  @Test
  void exportRevocationsMergeOneWayPerTypeAndSubject() {
    StoredRevocations.Exports stored =
        StoredRevocations.Exports.NONE
            .with("service", "help.*", Map.of("AB", 10L, "AC", 30L))
            .with("stream", "feed", Map.of("AB", 40L));

    StoredRevocations.Exports merged =
        stored.merge(
            StoredRevocations.Exports.NONE
                .with("service", "help.*", Map.of("AB", 20L, "AC", 5L))
                .with("service", "other", Map.of("AD", 1L)));

    assertEquals(Map.of("AB", 20L, "AC", 30L), merged.of("service", "help.*"), "later time wins");
    assertEquals(Map.of("AD", 1L), merged.of("service", "other"));
    assertEquals(Map.of("AB", 40L), merged.of("stream", "feed"));
    assertEquals(Map.of(), merged.of("stream", "help.*"), "a stream's subject is not a service's");
    assertEquals(Map.of(), merged.of("service", null));
    assertEquals(merged, merged.merge(stored), "merging what is already kept changes nothing");
  }

  @Test
  void exportRevocationsWrittenAndParsedBackUnreadableIsEmpty() {
    StoredRevocations.Exports r =
        StoredRevocations.Exports.NONE
            .with("stream", "feed", Map.of("AB", 40L))
            .with("service", "help.*", Map.of("AC", 30L, "AB", 10L));
    assertEquals(r, StoredRevocations.Exports.parse(r.write()));
    assertEquals(
        "{\"service\":{\"help.*\":{\"AB\":10,\"AC\":30}},\"stream\":{\"feed\":{\"AB\":40}}}",
        r.write(),
        "sorted, so an unchanged set writes nothing");
    assertEquals(StoredRevocations.Exports.NONE, StoredRevocations.Exports.parse("[1]"));
    assertEquals(StoredRevocations.Exports.NONE, StoredRevocations.Exports.parse(null));
    assertEquals(
        StoredRevocations.Exports.NONE,
        StoredRevocations.Exports.parse("{\"service\":{\"help\":{}, \"x\":null},\"stream\":null}"),
        "empty and null entries revoke nothing");
  }
}
