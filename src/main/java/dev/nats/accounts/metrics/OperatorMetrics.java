package dev.nats.accounts.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/**
 * The operator's own counters. They are the evidence that resyncs and restarts cause no churn: a
 * platform team alerts on signs and pushes that keep growing while nothing changes, and the tests
 * assert on the same numbers.
 */
public final class OperatorMetrics {
  public static final String JWT_SIGNED = "nats_operator_jwt_signed";
  public static final String KEYS_GENERATED = "nats_operator_keys_generated";
  public static final String PUSHES = "nats_operator_resolver_pushes";
  public static final String PUSH_LATENCY = "nats_operator_resolver_push_duration";
  public static final String RECONCILE_ERRORS = "nats_operator_reconcile_errors";

  private final MeterRegistry registry;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A private registry, for tests and the demo. */
  public static OperatorMetrics inMemory() {
    return new OperatorMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** kind: operator, account, user, activation. */
  public void jwtSigned(String kind) {
    counter(JWT_SIGNED, "kind", kind).increment();
  }

  /** kind: operator, account, user, system-account, system-user. */
  public void keyGenerated(String kind) {
    counter(KEYS_GENERATED, "kind", kind).increment();
  }

  /** result: ok or failed. */
  public void pushed(String result, Duration took) {
    counter(PUSHES, "result", result).increment();
    Timer.builder(PUSH_LATENCY).register(registry).record(took);
  }

  /** A reconcile ended in an exception; kind: the resource kind, reason: the condition reason it became. */
  public void reconcileFailed(String kind, String reason) {
    Counter.builder(RECONCILE_ERRORS).tag("kind", kind).tag("reason", reason).register(registry).increment();
  }

  /** Failed reconciles of {@code kind}, every reason. */
  public double reconcileErrors(String kind) {
    return registry.find(RECONCILE_ERRORS).tag("kind", kind).counters().stream().mapToDouble(Counter::count).sum();
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
