package dev.nats.accounts.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.nats.accounts.metrics.ResourceStatusMetrics.Series;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesGaugesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SeriesGauges gauges = new SeriesGauges(registry, Map.of("m", "help of m"));

  private static Series ready(String name, String status) {
    return new Series("m", Map.of("resource_name", name, "status", status), 1);
  }

  private Gauge gauge(String name, String status) {
    return registry.find("m").tag("resource_name", name).tag("status", status).gauge();
  }

  @Test
  void aResourceShowsItsSeriesAndAChangedLabelReplacesTheGauge() {
    gauges.update("a", List.of(ready("a", "False")));
    gauges.update("b", List.of(ready("b", "True")));
    assertEquals(1.0, gauge("a", "False").value());
    assertEquals("help of m", gauge("a", "False").getId().getDescription());

    gauges.update("a", List.of(ready("a", "True")));

    assertNull(gauge("a", "False"), "the old series is gone");
    assertEquals(1.0, gauge("a", "True").value());
    assertEquals(1.0, gauge("b", "True").value(), "another resource's series stay");
    assertEquals(2, registry.getMeters().size());
  }

  @Test
  void aChangedValueKeepsItsGauge() {
    Series one = new Series("m", Map.of("resource_name", "a"), 1);
    Series two = new Series("m", Map.of("resource_name", "a"), 2);
    gauges.update("a", List.of(one));
    Gauge g = registry.find("m").gauge();
    gauges.update("a", List.of(two));
    assertSame(g, registry.find("m").gauge());
    assertEquals(2.0, g.value());
  }

  @Test
  void aDeletedResourceLeavesNoSeries() {
    gauges.update("a", List.of(ready("a", "True")));
    gauges.update("a", List.of());
    assertEquals(0, registry.getMeters().size());
    assertEquals(0, gauges.size());
  }

  @Test
  void aClearedInstanceLeavesTheRegistryToTheNextOne() {
    gauges.update("a", List.of(new Series("m", Map.of("resource_name", "a"), 1)));
    gauges.clear();
    assertEquals(0, registry.getMeters().size());
    SeriesGauges next = new SeriesGauges(registry, Map.of("m", "help of m"));
    next.update("a", List.of(new Series("m", Map.of("resource_name", "a"), 5)));
    assertEquals(5.0, registry.find("m").gauge().value(), "the next instance's value, not ours");
  }
}
