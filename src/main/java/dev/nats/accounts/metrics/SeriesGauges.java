package dev.nats.accounts.metrics;

import dev.nats.accounts.metrics.ResourceStatusMetrics.Series;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gauges of each resource's series, kept in step one resource at a time: a changed resource
 * costs the registry only the series it gained, lost or changed. Rebuilding every series of every
 * resource on each change (what a multi-gauge does) cost 4% of the operator's CPU at 300 tenants in
 * bench/scale, and grows with the number of resources. Not thread-safe: one thread updates.
 */
final class SeriesGauges {
  private final MeterRegistry registry;
  private final Map<String, String> descriptions;
  private final Map<Object, Map<SeriesId, Shown>> shown = new HashMap<>();

  /** {@code descriptions}: each metric's help text, by metric name. */
  SeriesGauges(MeterRegistry registry, Map<String, String> descriptions) {
    this.registry = registry;
    this.descriptions = Map.copyOf(descriptions);
  }

  /** A series without its value: what names one gauge. */
  private record SeriesId(String metric, Map<String, String> labels) {}

  /** A registered gauge and the value it reads. */
  private record Shown(Gauge gauge, Value value) {}

  /** Read by the registry's scrapes, written by the updating thread. */
  private static final class Value {
    private volatile double current;
  }

  /** The resource named {@code key} now shows {@code series} (none: it is gone). */
  void update(Object key, List<Series> series) {
    Map<SeriesId, Shown> had = shown.getOrDefault(key, Map.of());
    Map<SeriesId, Shown> now = new HashMap<>();
    for (Series s : series) {
      SeriesId id = new SeriesId(s.metric(), s.labels());
      Shown g = had.get(id);
      if (g == null) {
        g = now.containsKey(id) ? now.get(id) : register(id);
      }
      g.value().current = s.value();
      now.put(id, g);
    }
    had.forEach(
        (id, g) -> {
          if (!now.containsKey(id)) {
            registry.remove(g.gauge());
          }
        });
    if (now.isEmpty()) {
      shown.remove(key);
    } else {
      shown.put(key, now);
    }
  }

  /**
   * Removes every gauge shown. A registry keeps a gauge by name and tags: one registered again for
   * the same series by a later instance would otherwise come back as ours, reading our last value.
   */
  void clear() {
    shown.values().forEach(series -> series.values().forEach(g -> registry.remove(g.gauge())));
    shown.clear();
  }

  /** How many series are shown, for tests. */
  int size() {
    return shown.values().stream().mapToInt(Map::size).sum();
  }

  private Shown register(SeriesId id) {
    Value value = new Value();
    Gauge gauge =
        Gauge.builder(id.metric(), value, v -> v.current)
            .description(descriptions.get(id.metric()))
            .tags(
                Tags.of(
                    id.labels().entrySet().stream()
                        .map(e -> Tag.of(e.getKey(), e.getValue()))
                        .toList()))
            .strongReference(true)
            .register(registry);
    return new Shown(gauge, value);
  }
}
