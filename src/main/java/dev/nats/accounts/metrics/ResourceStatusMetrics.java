package dev.nats.accounts.metrics;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.api.v1alpha1.BaseStatus;
import dev.nats.accounts.api.v1alpha1.ExportStatus;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.informers.SharedCache;
import dev.nats.accounts.informers.SharedInformers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Per-resource gauges read from the status of every custom resource, for alerts that name the
 * resource: which Account lost its key Secret (SeedLost), which one the resolvers have not
 * acknowledged, whose creds or activation token is about to expire.
 *
 * <p>Why from the informer caches rather than from the reconcilers: the numbers are what the API
 * server holds, exactly what {@code kubectl get nats -A} shows, so an alert and the status it
 * points at never disagree; a deleted resource drops its series without any reconciler code; and
 * the reconcilers stay free of metrics book-keeping. The caches are the controllers' shared ones
 * ({@link SharedInformers}): no watch and no copy of their own. Every replica exports them, the
 * standby too, so the alerts aggregate with {@code max by}.
 *
 * <p>Labels name the resource {@code resource_namespace} and {@code resource_name}, not {@code
 * namespace}: a Prometheus target label {@code namespace} (the operator pod's) would otherwise
 * rename ours to {@code exported_namespace}.
 */
public final class ResourceStatusMetrics implements AutoCloseable {
  /**
   * 1 per condition of each resource: kind, resource_namespace, resource_name, type, status,
   * reason.
   */
  public static final String CONDITION = "nats_operator_resource_condition";

  /** Resolvers that acknowledged an Account's current JWT (the first number of status.servers). */
  public static final String RESOLVERS_ACKNOWLEDGED =
      "nats_operator_account_resolvers_acknowledged";

  /** Resolvers an Account's JWT is pushed to (the second number of status.servers). */
  public static final String RESOLVERS = "nats_operator_account_resolvers";

  /** A User's creds expiry (status.expiresAt), unix seconds; absent for creds that never expire. */
  public static final String CREDS_EXPIRY = "nats_operator_user_creds_expiry_timestamp_seconds";

  /**
   * An activation token's expiry (status.activations[].expiresAt of an export), unix seconds, per
   * grantee.
   */
  public static final String ACTIVATION_EXPIRY =
      "nats_operator_activation_expiry_timestamp_seconds";

  static final List<Class<? extends CustomResource<?, ? extends BaseStatus>>> KINDS =
      List.of(
          Operator.class,
          Account.class,
          User.class,
          ServiceExport.class,
          StreamExport.class,
          ServiceImport.class,
          StreamImport.class);

  private final List<SharedCache<? extends CustomResource<?, ?>>> caches = new ArrayList<>();
  private ResourceEventHandler<CustomResource<?, ?>> handler;

  /** The resources changed since the last pass, by kind/namespace/name; empty: deleted. */
  private final Map<String, Optional<CustomResource<?, ?>>> changed = new ConcurrentHashMap<>();

  private final SeriesGauges gauges;
  private final ScheduledExecutorService refresher;

  /** {@link System#nanoTime} before which no pass starts; written by the refresher thread only. */
  private volatile long nextRefresh = System.nanoTime();

  private ResourceStatusMetrics(MeterRegistry registry) {
    gauges =
        new SeriesGauges(
            registry,
            Map.of(
                CONDITION,
                "1 for each condition of each accounts.nats.dev resource, with its type, status and reason",
                RESOLVERS_ACKNOWLEDGED,
                "resolvers that acknowledged the Account's current JWT",
                RESOLVERS,
                "resolvers the Account's JWT is pushed to",
                CREDS_EXPIRY,
                "when the User's creds expire (unix seconds)",
                ACTIVATION_EXPIRY,
                "when an activation token of a private export expires (unix seconds)"));
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "resource-status-metrics");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts watching the seven kinds in {@code namespaces} (all when empty). Gauges follow changes
   * within a second: events only note which resource changed, and one thread updates the series of
   * those resources alone, so a burst of status writes to one resource costs one update. The next
   * pass still waits nineteen times as long as the last took, so the metrics never take more than a
   * twentieth of a core, however many resources change at once.
   */
  public static ResourceStatusMetrics start(
      SharedInformers informers, MeterRegistry registry, Set<String> namespaces) {
    ResourceStatusMetrics m = new ResourceStatusMetrics(registry);
    ResourceEventHandler<CustomResource<?, ?>> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(CustomResource<?, ?> obj) {
            m.changed.put(key(obj), Optional.of(obj));
          }

          @Override
          public void onUpdate(CustomResource<?, ?> oldObj, CustomResource<?, ?> newObj) {
            m.changed.put(key(newObj), Optional.of(newObj));
          }

          @Override
          public void onDelete(CustomResource<?, ?> obj, boolean deletedFinalStateUnknown) {
            m.changed.put(key(obj), Optional.empty());
          }
        };
    m.handler = handler;
    for (Class<? extends CustomResource<?, ? extends BaseStatus>> kind : KINDS) {
      m.caches.add(listen(informers.of(kind, null, namespaces), handler));
    }
    m.refresher.scheduleWithFixedDelay(
        () -> {
          if (System.nanoTime() - m.nextRefresh >= 0 && !m.changed.isEmpty()) {
            long start = System.nanoTime();
            m.refresh();
            long end = System.nanoTime();
            m.nextRefresh = end + 19 * (end - start);
          }
        },
        0,
        1,
        TimeUnit.SECONDS);
    return m;
  }

  private static String key(CustomResource<?, ?> r) {
    return r.getKind() + "/" + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T extends CustomResource<?, ?>> SharedCache<T> listen(
      SharedCache<T> cache, ResourceEventHandler<CustomResource<?, ?>> handler) {
    cache.start();
    cache.addHandler((ResourceEventHandler) handler);
    return cache;
  }

  /** Brings the gauges of every resource changed since the last pass up to date. */
  public synchronized void refresh() {
    for (String key : List.copyOf(changed.keySet())) {
      Optional<CustomResource<?, ?>> now = changed.remove(key);
      if (now != null) {
        gauges.update(key, now.map(r -> series(List.of(r))).orElse(List.of()));
      }
    }
  }

  /** One sample: a metric name, its labels and value. */
  record Series(String metric, Map<String, String> labels, double value) {
    @Override
    public String toString() {
      return metric + labels + " " + (long) value;
    }
  }

  /** The series for these resources; pure, so the mapping from status to series is tested alone. */
  static List<Series> series(Collection<? extends CustomResource<?, ?>> resources) {
    List<Series> out = new ArrayList<>();
    for (CustomResource<?, ?> r : resources) {
      if (!(r.getStatus() instanceof BaseStatus status)) {
        continue;
      }
      Map<String, String> resource =
          new TreeMap<>(
              Map.of(
                  "kind",
                  r.getKind(),
                  "resource_namespace",
                  r.getMetadata().getNamespace(),
                  "resource_name",
                  r.getMetadata().getName()));
      Map<String, String> named =
          new TreeMap<>(
              Map.of(
                  "resource_namespace",
                  r.getMetadata().getNamespace(),
                  "resource_name",
                  r.getMetadata().getName()));
      if (status.getConditions() != null) {
        for (Condition c : status.getConditions()) {
          out.add(
              new Series(
                  CONDITION,
                  with(
                      resource,
                      "type",
                      c.getType(),
                      "status",
                      c.getStatus(),
                      "reason",
                      c.getReason()),
                  1));
        }
      }
      if (r instanceof Account a && a.getStatus().getServers() != null) {
        String[] parts = a.getStatus().getServers().split("/");
        if (parts.length == 2 && parts[0].matches("\\d+") && parts[1].matches("\\d+")) {
          out.add(new Series(RESOLVERS_ACKNOWLEDGED, named, Integer.parseInt(parts[0])));
          out.add(new Series(RESOLVERS, named, Integer.parseInt(parts[1])));
        }
      }
      if (r instanceof User u) {
        Long expiry = epochSeconds(u.getStatus().getExpiresAt());
        if (expiry != null) {
          out.add(new Series(CREDS_EXPIRY, named, expiry));
        }
      }
      if (status instanceof ExportStatus e && e.getActivations() != null) {
        for (ActivationStatus act : e.getActivations()) {
          Long expiry = epochSeconds(act.getExpiresAt());
          if (expiry != null) {
            out.add(
                new Series(
                    ACTIVATION_EXPIRY, with(resource, "grantee", act.getPublicKey()), expiry));
          }
        }
      }
    }
    return out;
  }

  private static Map<String, String> with(Map<String, String> base, String... keyValues) {
    Map<String, String> m = new TreeMap<>(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], nz(keyValues[i + 1]));
    }
    return m;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static Long epochSeconds(String rfc3339) {
    if (rfc3339 == null || rfc3339.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(rfc3339).getEpochSecond();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void removeFrom(
      SharedCache<? extends CustomResource<?, ?>> cache,
      ResourceEventHandler<CustomResource<?, ?>> handler) {
    cache.removeHandler((ResourceEventHandler) handler);
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    caches.forEach(c -> removeFrom(c, handler));
    synchronized (this) {
      gauges.clear();
    }
  }
}
