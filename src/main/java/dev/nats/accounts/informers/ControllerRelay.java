package dev.nats.accounts.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;

/**
 * Registered with the controller whose informer a {@link SharedCache} adopted: JOSDK tells the
 * event sources of a controller that implement {@link ResourceEventAware} of every event of its own
 * informer, before its own filters, and this passes each on to the cache's readers. It wakes
 * nothing in its own controller.
 */
public final class ControllerRelay<R extends HasMetadata, P extends HasMetadata>
    extends AbstractEventSource<R, P> implements ResourceEventAware<R> {
  private final SharedCache<R> cache;

  /** False when the cache keeps its own informers: their events reach its readers already. */
  volatile boolean passing;

  ControllerRelay(Class<R> type, String name, SharedCache<R> cache) {
    super(type, name);
    this.cache = cache;
  }

  /** Whether the events of the controller's informer go to the shared cache's readers. */
  public boolean passing() {
    return passing;
  }

  @Override
  public void onResourceCreated(R resource) {
    if (passing) {
      cache.relay(h -> h.onAdd(resource));
    }
  }

  @Override
  public void onResourceUpdated(R now, R was) {
    if (passing) {
      cache.relay(h -> h.onUpdate(was, now));
    }
  }

  @Override
  public void onResourceDeleted(R resource) {
    if (passing) {
      cache.relay(h -> h.onDelete(resource, false));
    }
  }

  @Override
  public Set<R> getSecondaryResources(P primary) {
    throw new UnsupportedOperationException(name() + " relays events; it holds no resources");
  }
}
