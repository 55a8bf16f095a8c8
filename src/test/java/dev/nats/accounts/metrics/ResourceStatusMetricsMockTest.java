package dev.nats.accounts.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.informers.SharedInformers;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.testing.Crds;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;

/**
 * The gauges follow the caches one resource at a time: a resource that existed before the metrics
 * started shows, a changed condition replaces its series, a deleted resource leaves none.
 */
@EnableKubernetesMockClient(crud = true)
class ResourceStatusMetricsMockTest {
  KubernetesClient client;

  private Account withReady(Account a, String status, String reason) {
    AccountStatus st = new AccountStatus();
    st.setServers("1/1");
    st.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus(status)
                .withReason(reason)
                .withMessage("m")
                .build()));
    a.setStatus(st);
    return client.resource(a).updateStatus();
  }

  private static Gauge ready(SimpleMeterRegistry registry, String status, String reason) {
    return registry
        .find(ResourceStatusMetrics.CONDITION)
        .tag("resource_name", "a")
        .tag("status", status)
        .tag("reason", reason)
        .gauge();
  }

  /** Until {@code check} holds after a pass over what the caches have seen. */
  private static void settled(ResourceStatusMetrics metrics, ThrowingRunnable check) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              metrics.refresh();
              check.run();
            });
  }

  @Test
  void gaugesFollowCreationChangeAndDeletion() {
    Crds.register(client);
    Account a = client.resource(Fixtures.account("t", "a")).create();
    withReady(a, "False", "Pending");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (SharedInformers informers = new SharedInformers(client);
        ResourceStatusMetrics metrics =
            ResourceStatusMetrics.start(informers, registry, Set.of())) {
      settled(
          metrics,
          () -> assertNotNull(ready(registry, "False", "Pending"), "present before the start"));
      assertNotNull(
          registry.find(ResourceStatusMetrics.RESOLVERS).tag("resource_name", "a").gauge());

      withReady(
          client.resources(Account.class).inNamespace("t").withName("a").get(),
          "True",
          "Reconciled");
      settled(
          metrics,
          () -> {
            assertNotNull(ready(registry, "True", "Reconciled"));
            assertNull(ready(registry, "False", "Pending"), "the old series is gone");
          });

      client.resources(Account.class).inNamespace("t").withName("a").delete();
      settled(
          metrics,
          () -> {
            assertNull(ready(registry, "True", "Reconciled"));
            assertNull(
                registry.find(ResourceStatusMetrics.RESOLVERS).tag("resource_name", "a").gauge());
          });
    }
  }
}
