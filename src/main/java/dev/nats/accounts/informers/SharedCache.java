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
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informers of one kind, label selector and set of namespaces (one informer per namespace, as
 * RBAC limited to namespaces requires, or one for all), read as one cache. Several readers add the
 * same index under the same name: the first adds it, the others find it there.
 *
 * <p>When the controller of that kind watches exactly these objects, the cache {@linkplain #adopt
 * adopts} the controller's own informer instead of opening a second watch: every event of the kind
 * was otherwise decoded twice, the largest share of the operator's CPU after the JIT
 * (bench/README).
 */
public final class SharedCache<R extends HasMetadata> implements IndexerResourceCache<R> {
  /** As long as JOSDK waits for its own informers to sync before it gives up on starting. */
  static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

  private static final String ALL = "";
  private static final Logger LOG = LoggerFactory.getLogger(SharedCache.class);

  private final Class<R> type;
  private final Map<String, SharedIndexInformer<R>> informers = new LinkedHashMap<>();
  private final Map<String, Function<R, List<String>>> indexers = new LinkedHashMap<>();
  private final List<ResourceEventHandler<R>> relayedTo = new CopyOnWriteArrayList<>();
  private volatile ManagedInformerEventSource<R, ?, ?> adopted;
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
   * Reads {@code controllerCache} (a controller's own informer, {@code
   * EventSourceContext.getPrimaryCache()}) instead of informers of its own; the controller relays
   * its events through the returned event source, which it must register. Only before the cache
   * started, and only a JOSDK informer: otherwise the cache keeps its own watch and the relay
   * passes nothing on.
   */
  public synchronized <P extends HasMetadata> ControllerRelay<R, P> adopt(
      IndexerResourceCache<R> controllerCache, String relayName) {
    ControllerRelay<R, P> relay = new ControllerRelay<>(type, relayName, this);
    if (!started
        && adopted == null
        && controllerCache instanceof ManagedInformerEventSource<R, ?, ?> source) {
      if (!indexers.isEmpty()) {
        source.addIndexers(new LinkedHashMap<>(indexers));
      }
      adopted = source;
      relay.passing = true;
    }
    return relay;
  }

  /**
   * Whether a controller's informer backs this cache (for tests: the sharing is what they check).
   */
  public boolean adopted() {
    return adopted != null;
  }

  /**
   * An event of the adopted informer, to every handler; under the same lock as {@link
   * #addHandler}'s replay, so a handler added meanwhile sees the newest copy last. A handler that
   * throws is logged and the others still hear of it, as fabric8 treats its own handlers: JOSDK
   * relays before it queues the controller's own event, which an exception here would lose.
   */
  synchronized void relay(Consumer<ResourceEventHandler<R>> event) {
    for (ResourceEventHandler<R> h : relayedTo) {
      try {
        event.accept(h);
      } catch (RuntimeException e) {
        LOG.warn("a reader of {} failed on an event: {}", type.getSimpleName(), e.toString());
      }
    }
  }

  /**
   * Starts the informers the first time a reader needs them and waits until they listed everything:
   * a reconcile must not read a half-filled cache.
   */
  public void start() {
    if (adopted != null) {
      awaitAdoptedSynced(); // not under the lock: the relay takes it for the first events
      return;
    }
    startOwnInformers();
  }

  private synchronized void startOwnInformers() {
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

  /**
   * The controller starts its informer on a thread of its own, at the same time as the other
   * controllers start theirs (JOSDK starts them all at once), and is running once it has listed
   * everything.
   */
  private void awaitAdoptedSynced() {
    long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
    while (!adopted.isRunning()) {
      if (System.nanoTime() - deadline > 0) {
        throw new OperatorException(
            "the controller's informer of "
                + type.getSimpleName()
                + " did not list within "
                + SYNC_TIMEOUT);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperatorException("interrupted while listing " + type.getSimpleName(), e);
      }
    }
  }

  /** Listens from now on, after a replay of what the cache holds as additions (as fabric8 does). */
  public void addHandler(ResourceEventHandler<R> handler) {
    if (adopted == null) {
      informers.values().forEach(i -> i.addEventHandler(handler));
      return;
    }
    synchronized (this) {
      relayedTo.add(handler);
      adopted.list(r -> true).forEach(handler::onAdd);
    }
  }

  public void removeHandler(ResourceEventHandler<R> handler) {
    relayedTo.remove(handler);
    informers.values().forEach(i -> i.removeEventHandler(handler));
  }

  /** As JOSDK judges its own informers: running, listed, and watching now. */
  public boolean healthy() {
    if (adopted != null) {
      return adopted.getStatus() == Status.HEALTHY;
    }
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
    if (adopted != null) {
      return adopted.get(id);
    }
    String ns = id.getNamespace().orElse(null);
    return informerFor(ns == null ? ALL : ns)
        .map(i -> i.getStore().getByKey(Cache.namespaceKeyFunc(ns, id.getName())));
  }

  @Override
  public Stream<ResourceID> keys() {
    if (adopted != null) {
      return adopted.keys();
    }
    return informers.values().stream()
        .flatMap(i -> i.getStore().list().stream())
        .map(ResourceID::fromResource);
  }

  @Override
  public Stream<R> list(Predicate<R> predicate) {
    if (adopted != null) {
      return adopted.list(predicate);
    }
    return informers.values().stream().flatMap(i -> i.getStore().list().stream()).filter(predicate);
  }

  @Override
  public Stream<R> list(String namespace, Predicate<R> predicate) {
    if (namespace == null) {
      return list(predicate);
    }
    if (adopted != null) {
      return adopted.list(namespace, predicate);
    }
    return informerFor(namespace).stream()
        .flatMap(i -> i.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream())
        .filter(predicate);
  }

  @Override
  public List<R> byIndex(String indexName, String indexKey) {
    if (adopted != null) {
      return adopted.byIndex(indexName, indexKey);
    }
    return informers.values().stream()
        .flatMap(i -> i.getIndexer().byIndex(indexName, indexKey).stream())
        .toList();
  }

  @Override
  public synchronized void addIndexers(Map<String, Function<R, List<String>>> added) {
    Map<String, Function<R, List<String>>> missing = new LinkedHashMap<>(added);
    missing.keySet().removeAll(indexers.keySet());
    if (missing.isEmpty()) {
      return;
    }
    indexers.putAll(missing);
    if (adopted != null) {
      adopted.addIndexers(missing);
    } else {
      informers.values().forEach(i -> i.addIndexers(missing));
    }
  }
}
