package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ObjectRef;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.OperatorSpec;
import dev.nats.accounts.api.v1alpha1.ResolverType;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPERATOR_NAMESPACES=nats: Operators elsewhere are not reconciled, and the Accounts that refer to
 * one say so instead of waiting; Accounts themselves are still reconciled (and, under a memory
 * resolver, preloaded) in every namespace.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorNamespacesTest {
  KubernetesClient client;
  @TempDir Path dir;

  private static final OperatorSettings NATS_ONLY =
      OperatorSettings.forTests().withOperatorNamespaces(Set.of(OperatorHarness.OPERATOR_NS));

  /**
   * Stalled with a message naming the Operator and the setting, then Ready as soon as the Account
   * points at an Operator the process does reconcile.
   */
  @Test
  void anAccountUnderAnOperatorOutsideTheListSaysSoAndRecoversWhenRepointed() throws Exception {
    try (OperatorHarness h = OperatorHarness.start(client, dir, NATS_ONLY)) {
      Operator stray = new Operator();
      stray.setMetadata(
          new ObjectMetaBuilder().withName("stray").withNamespace("tenant-b").build());
      stray.setSpec(new OperatorSpec());
      h.create(stray);
      Account a = Fixtures.account("tenant-b", "b");
      a.getSpec().setOperatorRef(ref("tenant-b", "stray"));
      h.create(a);
      Account reported =
          h.awaitCondition(
              Account.class,
              "tenant-b",
              "b",
              ConditionType.READY,
              Conditions.FALSE,
              Reason.OPERATOR_NOT_MANAGED);
      String message =
          Conditions.message(reported.getStatus().getConditions(), ConditionType.READY);
      assertTrue(
          message.contains("Operator tenant-b/stray")
              && message.contains("OPERATOR_NAMESPACES (nats)"),
          message);
      assertTrue(
          Conditions.isTrue(reported.getStatus().getConditions(), ConditionType.STALLED),
          "only a change of the setting or the reference helps");
      assertNull(reported.getStatus().getPublicKey(), "no keys made for an unsignable Account");
      assertNull(h.get(Operator.class, "tenant-b", "stray").getStatus(), "never reconciled");
      assertNull(client.configMaps().inNamespace("tenant-b").withName("stray-server-config").get());

      Account cur = h.get(Account.class, "tenant-b", "b");
      cur.getSpec().setOperatorRef(ref(OperatorHarness.OPERATOR_NS, OperatorHarness.OPERATOR_NAME));
      h.updateSpec(cur);
      h.awaitReady(Account.class, "tenant-b", "b");
    }
  }

  /**
   * The Operator controller runs in nats only, yet its memory resolver config still preloads an
   * Account of tenant-a: the Accounts it reads are watched where Accounts are reconciled.
   */
  @Test
  void aMemoryResolverStillPreloadsAccountsOfOtherNamespaces() throws Exception {
    try (OperatorHarness h = OperatorHarness.start(client, dir, NATS_ONLY, ResolverType.MEMORY)) {
      h.create(Fixtures.account("tenant-a", "a"));
      String key = h.awaitReady(Account.class, "tenant-a", "a").getStatus().getPublicKey();
      await().atMost(OperatorHarness.WAIT).until(() -> h.resolverConf().contains(key + ": "));
      assertEquals(
          1,
          client.configMaps().inAnyNamespace().list().getItems().size(),
          "one server config, next to nats/main");
    }
  }

  private static ObjectRef ref(String ns, String name) {
    ObjectRef ref = new ObjectRef();
    ref.setName(name);
    ref.setNamespace(ns);
    return ref;
  }
}
