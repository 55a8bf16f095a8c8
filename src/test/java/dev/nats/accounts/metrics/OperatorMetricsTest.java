package dev.nats.accounts.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metrics the chart's alerts need beyond the counters: reconcile errors by kind and a small
 * fixed set of error classes (an unbounded label, such as an exception message, would make one
 * series per failure), and the leader gauge. The names and labels as Prometheus reads them come
 * from a scrape.
 */
class OperatorMetricsTest {

  @Test
  void reconcileErrorsAreCountedByKindAndErrorClass() {
    OperatorMetrics m = OperatorMetrics.inMemory();
    Metrics hook = m.reconcileMetrics();
    Account a = new Account();
    a.setMetadata(new ObjectMetaBuilder().withName("a").withNamespace("t").build());
    hook.reconcileCustomResource(a, null, Map.of());
    hook.reconcileCustomResource(a, null, Map.of());
    m.reconcileFailed(
        "Account",
        "ApiServerError",
        new KubernetesClientException("Operation cannot be fulfilled", 409, null));
    m.reconcileFailed(
        "Account",
        "ApiServerError",
        new IllegalStateException(
            "wrapped", new KubernetesClientException("forbidden", 403, null)));
    m.reconcileFailed(
        "Account", "ApiServerError", new KubernetesClientException("gone", 500, null));
    m.reconcileFailed("Account", "ReconcileError", new NullPointerException());

    assertEquals(2, m.reconciliations("Account"));
    assertEquals(1, m.reconcileErrors("Account", "conflict"));
    assertEquals(
        1, m.reconcileErrors("Account", "forbidden"), "the cause decides, not the wrapper");
    assertEquals(1, m.reconcileErrors("Account", "api"));
    assertEquals(1, m.reconcileErrors("Account", "other"));
    String scrape = m.scrape();
    assertEquals(4, m.reconcileErrors("Account"));
    assertTrue(
        scrape.contains(
            "nats_operator_reconcile_errors_total{error=\"conflict\",kind=\"Account\",reason=\"ApiServerError\"} 1.0"),
        scrape);
    assertTrue(
        scrape.contains("nats_operator_reconciliations_total{kind=\"Account\"} 2.0"), scrape);
  }

  @Test
  void theLeaderGaugeFollowsTheLeaseCallbacks() {
    OperatorMetrics m = OperatorMetrics.inMemory();
    assertTrue(m.scrape().contains("nats_operator_leader 0.0"), "a replica starts as standby");
    m.leaderCallbacks().onStartLeading();
    assertTrue(m.isLeader());
    assertTrue(m.scrape().contains("nats_operator_leader 1.0"), m.scrape());
    m.leaderCallbacks().onStopLeading();
    assertFalse(m.isLeader());
    assertTrue(m.scrape().contains("nats_operator_leader 0.0"));
  }
}
