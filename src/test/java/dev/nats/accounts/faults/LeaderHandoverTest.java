package dev.nats.accounts.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.app.OperatorApp;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.testing.ApiCut;
import dev.nats.accounts.testing.MockLeaseAccess;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas with leader election, and the leader dies without a word (its API connection gone,
 * so it cannot release the Lease): the standby takes over once the Lease runs out, finds everything
 * as the dead leader left it, and signs, generates and pushes nothing; the next change is its to
 * make, and it makes exactly that one.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderHandoverTest {
  static final String LEASE_NS = "nats-account-operator";

  KubernetesClient client;
  KubernetesMockServer server;
  @TempDir Path dir;

  @Test
  void whenTheLeaderIsKilledTheStandbyTakesOverAndSignsOnlyWhatChanges() throws Exception {
    MockLeaseAccess.grant(server);
    OperatorSettings elected = OperatorSettings.forTests().withLeaderElection(LEASE_NS);
    ApiCut leaderApi = new ApiCut();
    OperatorMetrics standbyMetrics = OperatorMetrics.inMemory();
    try (OperatorHarness h =
        OperatorHarness.startAs(client, leaderApi.client(client), dir, elected)) {
      SeedTutorial.applyAndVerify(h);
      OperatorApp standby = OperatorApp.start(client, elected, standbyMetrics);
      try {
        await().atMost(OperatorHarness.WAIT).until(() -> standby.readiness().ready());
        assertFalse(standby.isLeading(), "one leader at a time");

        leaderApi.cut();
        h.stopOperator();

        await().atMost(Duration.ofMinutes(2)).until(standby::isLeading);
        // It reconciles every resource once, as any new leader does...
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () ->
                    standbyMetrics.reconciliations("Account") >= 2
                        && standbyMetrics.reconciliations("User") >= 2
                        && standbyMetrics.reconciliations("ServiceImport") >= 2);
        SeedTutorial.verify(h);
        // ...and finds nothing to do.
        assertEquals(0, total(standbyMetrics, OperatorMetrics.JWT_SIGNED), "JWTs signed");
        assertEquals(0, total(standbyMetrics, OperatorMetrics.KEYS_GENERATED), "keys generated");
        assertEquals(0, standbyMetrics.pushes("ok"), "pushes by the new leader");

        // A change is the new leader's to sign: exactly once.
        Account a = h.get(Account.class, "tenant-a", "a");
        a.getSpec().setDescription("changed after the handover");
        h.updateSpec(a);
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get(Account.class, "tenant-a", "a").getStatus().getJwt(),
                jwt ->
                    "changed after the handover"
                        .equals(
                            JwtDecoder.decode(jwt)
                                .payload()
                                .path("nats")
                                .path("description")
                                .asText()));
        assertEquals(1, standbyMetrics.signed("account"));
        assertEquals(1, total(standbyMetrics, OperatorMetrics.JWT_SIGNED), "that one JWT only");
      } finally {
        standby.close();
      }
    }
  }

  /** A counter summed over all its tags (every kind). */
  private static double total(OperatorMetrics metrics, String counter) {
    return metrics.registry().find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
