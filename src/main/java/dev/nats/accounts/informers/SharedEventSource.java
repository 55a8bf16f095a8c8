package dev.nats.accounts.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A controller's view of a {@link SharedCache}: the events of the shared informer, filtered as
 * JOSDK's own informer event sources filter, wake the primaries {@code mapper} names, and reads go
 * to the shared cache. An update wakes the primaries of the old object too, so a reference moved
 * from one primary to another wakes both.
 *
 * <p>Secondary resources are read from the cache by the reconcilers' own lookups (indexes), never
 * through JOSDK's {@code Context.getSecondaryResources}, which this source does not answer.
 */
public final class SharedEventSource<R extends HasMetadata, P extends HasMetadata>
    extends AbstractEventSource<R, P> implements IndexerResourceCache<R> {
  private final SharedCache<R> cache;
  private final Function<R, Set<ResourceID>> mapper;
  private java.util.function.IntConsumer woken = n -> {};
  private final ResourceEventHandler<R> handler =
      new ResourceEventHandler<>() {
        @Override
        public void onAdd(R r) {
          if (accepted(r) && (onAddFilter == null || onAddFilter.accept(r))) {
            wake(mapper.apply(r));
          }
        }

        @Override
        public void onUpdate(R was, R now) {
          if (Objects.equals(
                  was.getMetadata().getResourceVersion(), now.getMetadata().getResourceVersion())
              || !accepted(now)
              || (onUpdateFilter != null && !onUpdateFilter.accept(now, was))) {
            return;
          }
          Set<ResourceID> ids = new HashSet<>(mapper.apply(now));
          ids.addAll(mapper.apply(was));
          wake(ids);
        }

        @Override
        public void onDelete(R r, boolean finalStateUnknown) {
          if (accepted(r)
              && (onDeleteFilter == null || onDeleteFilter.accept(r, finalStateUnknown))) {
            wake(mapper.apply(r));
          }
        }
      };

  public SharedEventSource(String name, SharedCache<R> cache, Function<R, Set<ResourceID>> mapper) {
    super(cache.type(), name);
    this.cache = cache;
    this.mapper = mapper;
  }

  private boolean accepted(R r) {
    return genericFilter == null || genericFilter.accept(r);
  }

  private void wake(Set<ResourceID> ids) {
    if (isRunning() && !ids.isEmpty()) {
      ids.forEach(id -> getEventHandler().handleEvent(new Event(id)));
      woken.accept(ids.size());
    }
  }

  /** Told how many primaries each event woke (for the wake-up metric). */
  public void countWakeUps(java.util.function.IntConsumer counter) {
    this.woken = Objects.requireNonNull(counter);
  }

  @Override
  public void start() throws OperatorException {
    cache.start();
    super.start();
    cache.addHandler(handler);
  }

  @Override
  public void stop() throws OperatorException {
    cache.removeHandler(handler);
    super.stop();
  }

  @Override
  public Status getStatus() {
    return cache.healthy() ? Status.HEALTHY : Status.UNHEALTHY;
  }

  @Override
  public Set<R> getSecondaryResources(P primary) {
    throw new UnsupportedOperationException(
        name() + " is read through its cache and indexes, not Context.getSecondaryResources");
  }

  @Override
  public Optional<R> get(ResourceID id) {
    return cache.get(id);
  }

  @Override
  public Stream<ResourceID> keys() {
    return cache.keys();
  }

  @Override
  public Stream<R> list(Predicate<R> predicate) {
    return cache.list(predicate);
  }

  @Override
  public Stream<R> list(String namespace, Predicate<R> predicate) {
    return cache.list(namespace, predicate);
  }

  @Override
  public List<R> byIndex(String indexName, String indexKey) {
    return cache.byIndex(indexName, indexKey);
  }

  @Override
  public void addIndexers(Map<String, Function<R, List<String>>> indexers) {
    cache.addIndexers(indexers);
  }
}
