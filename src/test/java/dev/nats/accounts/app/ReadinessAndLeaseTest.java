package dev.nats.accounts.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.MockLeaseAccess;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * /healthz and /readyz as the kubelet sees them, for a leader and a standby; a stop that hands the
 * Lease over at once (JOSDK itself never releases it, so a standby would wait out the lease
 * duration); and a stop told apart from a Lease taken by another holder, which is the only one that
 * may end the process.
 */
@EnableKubernetesMockClient(crud = true)
class ReadinessAndLeaseTest {
  static final String NS = "ops";
  KubernetesClient client;
  KubernetesMockServer server;

  record Answer(int status, String body) {}

  static Answer get(HealthServer health, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  @Test
  void aLeaderAndAStandbyAreReadyAndAStopHandsTheLeaseOverAtOnce() throws Exception {
    // JOSDK asks for its Lease permissions before electing; the mock has no authorizer.
    MockLeaseAccess.grant(server);
    Crds.register(client);
    OperatorSettings settings =
        OperatorSettings.forTests().toBuilder()
            .pushTimeout(Duration.ofSeconds(1))
            .leaderElectionNamespace(NS)
            .shutdownTimeout(Duration.ofSeconds(5))
            .build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorApp a = OperatorApp.start(client, settings, OperatorMetrics.inMemory());
    AtomicBoolean aLost = new AtomicBoolean();
    a.onLostLease(() -> aLost.set(true));
    HealthServer healthA = HealthServer.start(0, registry, a::readiness);
    OperatorApp b = null;
    HealthServer healthB = null;
    try {
      await().atMost(Duration.ofSeconds(30)).until(a::isLeading);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(healthA, "/readyz"), r -> r.status() == 200);
      assertEquals(new Answer(200, "ready: leading; informers synced\n"), get(healthA, "/readyz"));
      assertEquals(new Answer(200, "ok\n"), get(healthA, "/healthz"));
      assertEquals(200, get(healthA, "/metrics").status());

      b = OperatorApp.start(client, settings, OperatorMetrics.inMemory());
      healthB = HealthServer.start(0, registry, b::readiness);
      HealthServer hb = healthB;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(hb, "/readyz"), r -> r.status() == 200);
      assertEquals(
          new Answer(200, "ready: standby; " + a.identity() + " leads\n"), get(healthB, "/readyz"));
      assertTrue(!b.isLeading());

      a.close();
      assertEquals(new Answer(503, "not ready: stopping\n"), get(healthA, "/readyz"));
      Lease released = client.leases().inNamespace(NS).withName(OperatorSettings.LEASE_NAME).get();
      assertTrue(
          released.getSpec().getHolderIdentity() == null
              || released.getSpec().getHolderIdentity().equals(b.identity()),
          "released: " + released.getSpec());
      OperatorApp standby = b;
      // The release just checked is what lets the standby in at once; a leader that dies without
      // one is LeaderHandoverTest's.
      await().atMost(Duration.ofSeconds(30)).until(standby::isLeading);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(hb, "/readyz").body().equals("ready: leading; informers synced\n"));
      assertEquals(
          b.identity(),
          client
              .leases()
              .inNamespace(NS)
              .withName(OperatorSettings.LEASE_NAME)
              .get()
              .getSpec()
              .getHolderIdentity());
      assertFalse(aLost.get(), "a stop is not a lost Lease (JOSDK reports both the same way)");

      // Another holder takes the Lease from b: that is a lost Lease, which in a pod ends the
      // process.
      AtomicBoolean bLost = new AtomicBoolean();
      b.onLostLease(() -> bLost.set(true));
      client
          .leases()
          .inNamespace(NS)
          .withName(OperatorSettings.LEASE_NAME)
          .edit(
              l -> {
                l.getSpec().setHolderIdentity("another-replica");
                l.getSpec().setRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
                return l;
              });
      await().atMost(Duration.ofSeconds(30)).untilTrue(bLost);
      assertFalse(b.isLeading());
    } finally {
      healthA.stop();
      a.close();
      if (b != null) {
        healthB.stop();
        b.close();
      }
    }
  }
}
