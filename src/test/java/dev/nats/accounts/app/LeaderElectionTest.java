package dev.nats.accounts.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.testing.MockLeaseAccess;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
  KubernetesClient client;
  KubernetesMockServer server;
  @TempDir Path dir;

  private void grantLeaseAccess() {
    MockLeaseAccess.grant(server);
  }

  @Test
  void withAnElectionNamespaceTheOperatorHoldsALeaseAndReconciles() throws Exception {
    OperatorSettings elected =
        OperatorSettings.forTests().withLeaderElection("nats-account-operator");
    grantLeaseAccess();
    try (OperatorHarness h = OperatorHarness.start(client, dir, elected)) {
      h.create(Fixtures.account("tenant-a", "a"));
      h.awaitReady(Account.class, "tenant-a", "a");
      Lease lease =
          await()
              .atMost(OperatorHarness.WAIT)
              .until(
                  () ->
                      client
                          .leases()
                          .inNamespace("nats-account-operator")
                          .withName(OperatorSettings.LEASE_NAME)
                          .get(),
                  l -> l != null);
      assertNotNull(lease.getSpec().getHolderIdentity());
    }
  }
}
