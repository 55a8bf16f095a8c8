package dev.nats.accounts.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * What an informer keeps of each object. {@code metadata.managedFields} (server-side apply's record
 * of who set which field) is a tree of maps in every cached copy, about a quarter of the heap at a
 * few thousand resources (bench/README.md), and nothing here reads it: our status writes are JSON
 * patches and our updates never send it, so the API server keeps it whole. Kubernetes' own
 * controller manager drops it from its caches for the same reason.
 */
public final class CachedCopies {
  private CachedCopies() {}

  /** A store for one informer: every object put into it loses its managed fields first. */
  public static <R extends HasMetadata> ItemStore<R> store() {
    return new TransformingItemStore<>(CachedCopies::trimmed);
  }

  static <R extends HasMetadata> R trimmed(R resource) {
    resource.getMetadata().setManagedFields(null);
    return resource;
  }
}
