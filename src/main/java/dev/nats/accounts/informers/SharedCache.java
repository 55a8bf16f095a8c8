package dev.nats.accounts.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The informers of one kind, label selector and set of namespaces (one informer per namespace, as
 * RBAC limited to namespaces requires, or one for all), read as one cache. Several readers add the
 * same index under the same name: the first adds it, the others find it there.
 */
public final class SharedCache<R extends HasMetadata> implements IndexerResourceCache<R> {
  /** As long as JOSDK waits for its own informers to sync before it gives up on starting. */
  static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

  private static final String ALL = "";

  private final Class<R> type;
  private final Map<String, SharedIndexInformer<R>> informers = new LinkedHashMap<>();
  private boolean started;

  SharedCache(
      KubernetesClient client, Class<R> type, String labelSelector, Set<String> namespaces) {
    this.type = type;
    boolean namespaced = Namespaced.class.isAssignableFrom(type);
    if (!namespaced || namespaces.isEmpty()) {
      informers.put(ALL, informer(client, type, labelSelector, namespaced ? ALL : null));
    } else {
      namespaces.stream()
          .sorted()
          .forEach(ns -> informers.put(ns, informer(client, type, labelSelector, ns)));
    }
  }

  private static <R extends HasMetadata> SharedIndexInformer<R> informer(
      KubernetesClient client, Class<R> type, String labelSelector, String namespace) {
    var all = client.resources(type);
    FilterWatchListDeletable<R, ? extends KubernetesResourceList<R>, Resource<R>> where =
        namespace == null
            ? all
            : namespace.isEmpty() ? all.inAnyNamespace() : all.inNamespace(namespace);
    if (labelSelector != null && !labelSelector.isBlank()) {
      where = where.withLabelSelector(labelSelector);
    }
    return where.runnableInformer(0).itemStore(CachedCopies.store());
  }

  public Class<R> type() {
    return type;
  }

  /**
   * Starts the informers the first time a reader needs them and waits until they listed everything:
   * a reconcile must not read a half-filled cache.
   */
  public synchronized void start() {
    if (started) {
      return;
    }
    CompletableFuture<?>[] synced =
        informers.values().stream()
            .map(i -> i.start().toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(synced).get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException("interrupted while listing " + type.getSimpleName(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new OperatorException(
          "the informer of "
              + type.getSimpleName()
              + " did not list within "
              + SYNC_TIMEOUT
              + ": "
              + (e.getCause() == null ? e : e.getCause()),
          e);
    }
    started = true;
  }

  /** Listens from now on; fabric8 first replays what the cache holds as additions. */
  public void addHandler(ResourceEventHandler<R> handler) {
    informers.values().forEach(i -> i.addEventHandler(handler));
  }

  public void removeHandler(ResourceEventHandler<R> handler) {
    informers.values().forEach(i -> i.removeEventHandler(handler));
  }

  /** As JOSDK judges its own informers: running, listed, and watching now. */
  public boolean healthy() {
    return informers.values().stream()
        .allMatch(i -> i.isRunning() && i.hasSynced() && i.isWatching());
  }

  void close() {
    informers.values().forEach(SharedIndexInformer::stop);
  }

  private Optional<SharedIndexInformer<R>> informerFor(String namespace) {
    SharedIndexInformer<R> all = informers.get(ALL);
    return Optional.ofNullable(all != null ? all : informers.get(namespace));
  }

  @Override
  public Optional<R> get(ResourceID id) {
    String ns = id.getNamespace().orElse(null);
    return informerFor(ns == null ? ALL : ns)
        .map(i -> i.getStore().getByKey(Cache.namespaceKeyFunc(ns, id.getName())));
  }

  @Override
  public Stream<ResourceID> keys() {
    return informers.values().stream()
        .flatMap(i -> i.getStore().list().stream())
        .map(ResourceID::fromResource);
  }

  @Override
  public Stream<R> list(Predicate<R> predicate) {
    return informers.values().stream().flatMap(i -> i.getStore().list().stream()).filter(predicate);
  }

  @Override
  public Stream<R> list(String namespace, Predicate<R> predicate) {
    if (namespace == null) {
      return list(predicate);
    }
    return informerFor(namespace).stream()
        .flatMap(i -> i.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream())
        .filter(predicate);
  }

  @Override
  public List<R> byIndex(String indexName, String indexKey) {
    return informers.values().stream()
        .flatMap(i -> i.getIndexer().byIndex(indexName, indexKey).stream())
        .toList();
  }

  @Override
  public synchronized void addIndexers(Map<String, Function<R, List<String>>> indexers) {
    Map<String, Function<R, List<String>>> missing = new LinkedHashMap<>(indexers);
    informers.values().stream()
        .findFirst()
        .ifPresent(i -> missing.keySet().removeAll(i.getIndexer().getIndexers().keySet()));
    if (!missing.isEmpty()) {
      informers.values().forEach(i -> i.addIndexers(missing));
    }
  }
}
