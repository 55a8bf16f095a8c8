package dev.nats.accounts.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's own counters. They are the evidence that resyncs and restarts cause no churn: a
 * platform team alerts on signs and pushes that keep growing while nothing changes, and the tests
 * assert on the same numbers.
 *
 * <p>Besides these, the alerts of the Helm chart's PrometheusRule need: reconcile errors
 * (exceptions a reconciler did not turn into a condition; JOSDK retries them, nobody sees them
 * without a metric), whether this replica holds the leader Lease (an operator without a leader
 * signs and pushes nothing, silently), and the per-resource gauges of {@link ResourceStatusMetrics}
 * (conditions, resolver acknowledgements, expiry). Metric names are part of the contract of the
 * chart's alerts and dashboard; {@code AlertRulesTest} checks them against a real scrape.
 */
public final class OperatorMetrics {
  public static final String JWT_SIGNED = "nats_operator_jwt_signed";
  public static final String KEYS_GENERATED = "nats_operator_keys_generated";
  public static final String KEY_ROTATIONS = "nats_operator_key_rotations";
  public static final String PUSHES = "nats_operator_resolver_pushes";
  public static final String PUSH_LATENCY = "nats_operator_resolver_push_duration";
  public static final String LOOKUPS = "nats_operator_resolver_lookups";
  public static final String SWEEPS = "nats_operator_resolver_sweep_duration";
  public static final String RECONCILIATIONS = "nats_operator_reconciliations";
  public static final String RECONCILE_ERRORS = "nats_operator_reconcile_errors";
  public static final String LEADER = "nats_operator_leader";
  public static final String STATUS_WRITES = "nats_operator_status_writes";
  public static final String WAKEUPS = "nats_operator_wakeups";

  private final MeterRegistry registry;
  private final AtomicInteger leader = new AtomicInteger();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(LEADER, leader, AtomicInteger::get)
        .description(
            "1 while this replica holds the leader Lease and reconciles (always 1 without leader election)")
        .register(registry);
  }

  /**
   * A private registry, for tests and the demo. A Prometheus one, so that tests can scrape exactly
   * the text a Prometheus server would read from /metrics.
   */
  public static OperatorMetrics inMemory() {
    return new OperatorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition, as served on /metrics. */
  public String scrape() {
    if (registry instanceof PrometheusMeterRegistry p) {
      return p.scrape();
    }
    throw new IllegalStateException("not a Prometheus registry: " + registry.getClass().getName());
  }

  /**
   * Marks this replica as leader (1) or standby (0). Without leader election the one replica is the
   * leader.
   */
  public void leading(boolean isLeader) {
    leader.set(isLeader ? 1 : 0);
  }

  public boolean isLeader() {
    return leader.get() == 1;
  }

  /**
   * Callbacks for JOSDK's leader election; JOSDK runs its own as well (start and stop the
   * controllers).
   */
  public LeaderCallbacks leaderCallbacks() {
    return new LeaderCallbacks(() -> leading(true), () -> leading(false), identity -> {});
  }

  /**
   * JOSDK's monitoring hook: counts reconciliations by kind. Failures are counted by the error path
   * ({@link #reconcileFailed}), not here: JOSDK calls its failure hook only when it schedules a
   * retry, and not when an event that arrived during the failed attempt supersedes it, so under
   * load it misses most of them.
   */
  public Metrics reconcileMetrics() {
    return new Metrics() {
      @Override
      public void reconcileCustomResource(
          HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        counter(RECONCILIATIONS, "kind", resource.getKind()).increment();
      }
    };
  }

  /**
   * Counts a reconcile that ended in an exception, which the error path turned into a Ready=False
   * condition. {@code reason} is that condition's reason ({@code InvalidSpec}, {@code
   * ApiServerError}, {@code ReconcileError}, ...), {@code error} a small fixed set (an unbounded
   * label, such as an exception message, would make one series per failure).
   */
  public void reconcileFailed(String kind, String reason, Throwable exception) {
    Counter.builder(RECONCILE_ERRORS)
        .tag("kind", kind)
        .tag("reason", reason)
        .tag("error", errorClass(exception))
        .register(registry)
        .increment();
  }

  /** conflict (HTTP 409), forbidden (403), api (another API error), other. */
  static String errorClass(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        return switch (k.getCode()) {
          case 409 -> "conflict";
          case 403 -> "forbidden";
          default -> "api";
        };
      }
    }
    return "other";
  }

  /** Failed reconciles of {@code kind} with error class {@code error}, every reason. */
  public double reconcileErrors(String kind, String error) {
    return registry.find(RECONCILE_ERRORS).tag("kind", kind).tag("error", error).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  public double reconciliations(String kind) {
    return count(RECONCILIATIONS, "kind", kind);
  }

  /** kind: operator, account, user, activation. */
  public void jwtSigned(String kind) {
    counter(JWT_SIGNED, "kind", kind).increment();
  }

  /** kind: operator, account, user, system-account, system-user. */
  public void keyGenerated(String kind) {
    counter(KEYS_GENERATED, "kind", kind).increment();
  }

  /**
   * kind: user, operator-signing-key; why: scheduled, requested, emergency, replaced (the creds
   * Secret was changed).
   */
  public void keyRotated(String kind, String why) {
    Counter.builder(KEY_ROTATIONS).tag("kind", kind).tag("why", why).register(registry).increment();
  }

  /** A status written to the API server; reason: its Ready condition's. */
  public void statusWritten(String kind, String reason) {
    Counter.builder(STATUS_WRITES)
        .tag("kind", kind)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /**
   * Reconciles of {@code kind} asked for by a change of a {@code from} object (an Account's change
   * wakes its Users, a Secret's its owner): what, besides a resource's own changes, makes
   * reconciles per resource.
   */
  public void wokenUp(String kind, String from, int resources) {
    Counter.builder(WAKEUPS)
        .tag("kind", kind)
        .tag("from", from)
        .register(registry)
        .increment(resources);
  }

  public double statusWrites(String kind, String reason) {
    Counter c = registry.find(STATUS_WRITES).tag("kind", kind).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  /** result: ok or failed. */
  public void pushed(String result, Duration took) {
    counter(PUSHES, "result", result).increment();
    Timer.builder(PUSH_LATENCY).register(registry).record(took);
  }

  /**
   * A lookup of an account's JWT on a resolver; result: current (it holds ours), absent, or
   * different. Allowed at steady state and on restart, where they replace pushes; counted so that a
   * figure shows what they cost.
   */
  public void lookedUp(String result) {
    counter(LOOKUPS, "result", result).increment();
  }

  public double lookups(String result) {
    return count(LOOKUPS, "result", result);
  }

  /**
   * One sweep of a (re)connected resolver connection (see {@code ResolverSweep}); result: done, or
   * skipped when the servers' account lists could not be had and every Account checks itself.
   */
  public void swept(String result, Duration took) {
    Timer.builder(SWEEPS).tag("result", result).register(registry).record(took);
  }

  public long sweeps(String result) {
    Timer t = registry.find(SWEEPS).tag("result", result).timer();
    return t == null ? 0 : t.count();
  }

  /** Failed reconciles of {@code kind}, every reason. */
  public double reconcileErrors(String kind) {
    return registry.find(RECONCILE_ERRORS).tag("kind", kind).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  public double signed(String kind) {
    return count(JWT_SIGNED, "kind", kind);
  }

  public double keysGenerated(String kind) {
    return count(KEYS_GENERATED, "kind", kind);
  }

  public double pushes(String result) {
    return count(PUSHES, "result", result);
  }

  private Counter counter(String name, String tag, String value) {
    return Counter.builder(name).tag(tag, value).register(registry);
  }

  private double count(String name, String tag, String value) {
    Counter c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }
}
