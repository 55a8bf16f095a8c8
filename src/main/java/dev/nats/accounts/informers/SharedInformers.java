package dev.nats.accounts.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One informer per kind, label selector and set of namespaces for the whole process, however many
 * controllers read that kind. JOSDK 5.2 gives every controller informers of its own, so an Account
 * status write was decoded, and every Account cached, by eight of them (the profile in
 * bench/README.md): the largest CPU cost left and most of the heap a tenant takes. Controllers
 * reach these caches through {@link SharedEventSource}; the status metrics read them directly. A
 * cache of a kind a controller reconciles is that controller's own informer ({@link
 * SharedCache#adopt}), so each kind is watched once.
 */
public final class SharedInformers implements AutoCloseable {
  private final KubernetesClient client;
  private final Map<Key, SharedCache<?>> caches = new ConcurrentHashMap<>();

  private record Key(Class<?> type, String labelSelector, Set<String> namespaces) {}

  public SharedInformers(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The cache of {@code type} objects matching {@code labelSelector} (null: all) in {@code
   * namespaces} (empty: all), created on first use and started by its first reader.
   */
  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> SharedCache<R> of(
      Class<R> type, String labelSelector, Set<String> namespaces) {
    Key key = new Key(type, labelSelector == null ? "" : labelSelector, Set.copyOf(namespaces));
    return (SharedCache<R>)
        caches.computeIfAbsent(
            key, k -> new SharedCache<>(client, type, k.labelSelector(), k.namespaces()));
  }

  /** How many distinct informer sets exist (for tests: the sharing is what they check). */
  public int size() {
    return caches.size();
  }

  @Override
  public void close() {
    caches.values().forEach(SharedCache::close);
  }
}
