package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountLimits;
import dev.nats.accounts.api.v1alpha1.ResolverType;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nats.client.Connection;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator with {@code resolver.type: memory}: accounts reach the server through the preload in
 * resolver.conf (a server learns them when it (re)loads its config), and later changes of a loaded
 * account go live through the per-account update subject.
 */
@EnableKubernetesMockClient(crud = true)
class MemoryResolverTest {
  KubernetesClient client;
  @TempDir Path dir;

  @Test
  void accountsArePreloadedAndLaterChangesArePushedToTheLoadedAccount() throws Exception {
    try (OperatorHarness h =
        OperatorHarness.start(client, dir, OperatorSettings.forTests(), ResolverType.MEMORY)) {
      assertTrue(h.resolverConf().contains("resolver: MEMORY"), h.resolverConf());
      h.create(Fixtures.account("tenant-a", "a"));
      h.create(Fixtures.user("tenant-a", "u", "a"));
      Account a = h.awaitReady(Account.class, "tenant-a", "a");
      h.awaitReady(User.class, "tenant-a", "u");
      String key = a.getStatus().getPublicKey();
      await().atMost(OperatorHarness.WAIT).until(() -> h.resolverConf().contains(key + ": "));

      h.restartNats(); // what a config reloader does when the ConfigMap changes
      String creds = h.secretValue("tenant-a", "u-creds", "user.creds");
      try (Connection first = h.connect(creds, null);
          Connection second = h.connect(creds, null)) {
        assertEquals(
            Connection.Status.CONNECTED, second.getStatus(), "the preloaded account is live");
      }

      // A change of the loaded account: pushed on $SYS.REQ.ACCOUNT.<key>.CLAIMS.UPDATE, live
      // without restart.
      String before = h.get(Account.class, "tenant-a", "a").getStatus().getJwt();
      Account cur = h.get(Account.class, "tenant-a", "a");
      AccountLimits limits = new AccountLimits();
      limits.setConnections(1L);
      cur.getSpec().setLimits(limits);
      h.updateSpec(cur);
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () -> {
                Account x = h.get(Account.class, "tenant-a", "a");
                return !before.equals(x.getStatus().getJwt())
                    && Conditions.isTrue(x.getStatus().getConditions(), ConditionType.PUSHED);
              });
      try (Connection first = h.connect(creds, null)) {
        assertThrows(
            IOException.class,
            () -> h.connect(creds, null).close(),
            "conn=1 applies to the running server");
        assertEquals(Connection.Status.CONNECTED, first.getStatus());
      }
      // And the preload follows, for the next restart.
      String newJwt = h.get(Account.class, "tenant-a", "a").getStatus().getJwt();
      await().atMost(OperatorHarness.WAIT).until(() -> h.resolverConf().contains(newJwt));
    }
  }
}
