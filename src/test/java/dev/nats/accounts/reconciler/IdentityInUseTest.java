package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.OperatorSpec;
import dev.nats.accounts.api.v1alpha1.SecretKeyRef;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.ErrorPathScenarios;
import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One NATS identity belongs to at most one Account: a second Account adopting the same seed (a
 * backup restored twice, one nsc account brought into two namespaces) is refused with IdentityInUse
 * and signs and pushes nothing, so the first Account's JWT on the resolver stays its own. Once the
 * holder is deleted, the claimant takes the identity.
 */
class IdentityInUseTest extends OnMockApi {

  @Test
  void aSecondAccountAdoptingTheSameSeedIsRefusedAndChangesNothing() throws Exception {
    KeyPair identity = KeyPair.create(KeyType.ACCOUNT);
    restored(identity, "tenant-a", "tenant-b");
    Account first = h.create(adopting("tenant-a", "a"));
    first = h.awaitReady(Account.class, "tenant-a", "a");
    assertEquals(identity.publicKey(), first.getStatus().getPublicKey());
    double signed = h.metrics().signed("account");

    Account second = h.create(adopting("tenant-b", "b"));
    Account refused =
        h.awaitCondition(
            Account.class,
            "tenant-b",
            "b",
            ConditionType.READY,
            Conditions.FALSE,
            Reason.IDENTITY_IN_USE);
    String message = Conditions.message(refused.getStatus().getConditions(), ConditionType.READY);
    assertTrue(
        message.contains("Account tenant-a/a") && message.contains(identity.publicKey()), message);
    assertTrue(
        Conditions.isTrue(refused.getStatus().getConditions(), ConditionType.STALLED),
        "a human must act");
    assertNull(
        refused.getStatus().getPublicKey(), "the identity is not published by a second resource");
    assertNull(refused.getStatus().getJwt(), "nothing is signed for it");
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> !ErrorPathScenarios.warnings(h, second, Reason.IDENTITY_IN_USE).isEmpty());

    Account still = h.get(Account.class, "tenant-a", "a");
    assertEquals(
        first.getStatus().getJwt(), still.getStatus().getJwt(), "the holder's JWT is untouched");
    assertEquals(
        signed, h.metrics().signed("account"), "no account JWT signed for the identity again");
    assertTrue(Conditions.isTrue(still.getStatus().getConditions(), ConditionType.READY));

    // The holder goes (Retain keeps its keys, not its claim): the claimant takes the identity over.
    client.resources(Account.class).inNamespace("tenant-a").withName("a").delete();
    await().atMost(OperatorHarness.WAIT).until(() -> h.get(Account.class, "tenant-a", "a") == null);
    // It waits for a change (Stalled); a human acts on the Stalled claimant, here by editing its
    // spec.
    Account edit = h.get(Account.class, "tenant-b", "b");
    edit.getSpec().setDisplayName("B");
    h.updateSpec(edit);
    Account taken = h.awaitReady(Account.class, "tenant-b", "b");
    assertEquals(identity.publicKey(), taken.getStatus().getPublicKey());
  }

  @Test
  void aSecondOperatorAdoptingTheSameSeedIsRefused() throws Exception {
    Operator main =
        h.get(Operator.class, OperatorHarness.OPERATOR_NS, OperatorHarness.OPERATOR_NAME);
    String seed =
        h.secretValue(
            OperatorHarness.OPERATOR_NS,
            Names.operatorKeys(OperatorHarness.OPERATOR_NAME),
            KeySecrets.IDENTITY);
    client
        .secrets()
        .inNamespace("other")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("copied")
                .withNamespace("other")
                .endMetadata()
                .withStringData(Map.of("seed", seed))
                .build())
        .create();
    Operator copy = new Operator();
    copy.setMetadata(new ObjectMetaBuilder().withNamespace("other").withName("copy").build());
    copy.setSpec(new OperatorSpec());
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("copied");
    copy.getSpec().setIdentitySecretRef(ref);
    h.create(copy);

    Operator refused =
        h.awaitCondition(
            Operator.class,
            "other",
            "copy",
            ConditionType.READY,
            Conditions.FALSE,
            Reason.IDENTITY_IN_USE);
    String message = Conditions.message(refused.getStatus().getConditions(), ConditionType.READY);
    assertTrue(message.contains("Operator nats/main"), message);
    assertNull(refused.getStatus().getJwt(), "no second operator JWT for one identity");
    assertEquals(
        main.getStatus().getJwt(),
        h.get(Operator.class, OperatorHarness.OPERATOR_NS, OperatorHarness.OPERATOR_NAME)
            .getStatus()
            .getJwt());
  }

  /**
   * Two claimants reconciled at the same moment (applied while the operator was down, so its first
   * reconciles of both run side by side): neither finds the other in the caches, and still only one
   * publishes, signs and pushes.
   */
  @Test
  void twoAccountsAdoptingTheSameSeedAtTheSameMomentYieldOneHolder() throws Exception {
    KeyPair identity = KeyPair.create(KeyType.ACCOUNT);
    String[] namespaces = {"tenant-a", "tenant-b", "tenant-c", "tenant-d"};
    restored(identity, namespaces);
    h.stopOperator();
    for (String ns : namespaces) {
      h.create(adopting(ns, "x"));
    }
    h.startOperator();

    java.util.List<Account> settled =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () ->
                    java.util.Arrays.stream(namespaces)
                        .map(ns -> h.get(Account.class, ns, "x"))
                        .toList(),
                all ->
                    all.stream()
                        .allMatch(
                            a ->
                                a.getStatus() != null
                                    && Conditions.find(
                                            a.getStatus().getConditions(), ConditionType.READY)
                                        .map(c -> !"Unknown".equals(c.getStatus()))
                                        .orElse(false)));
    java.util.List<Account> holders =
        settled.stream()
            .filter(a -> Conditions.isTrue(a.getStatus().getConditions(), ConditionType.READY))
            .toList();
    assertEquals(1, holders.size(), "one holder");
    for (Account a : settled) {
      if (a != holders.get(0)) {
        assertEquals(
            Reason.IDENTITY_IN_USE,
            Conditions.reason(a.getStatus().getConditions(), ConditionType.READY));
        assertNull(a.getStatus().getPublicKey(), "never published");
        assertNull(a.getStatus().getJwt(), "never signed");
      }
    }
    assertEquals(1.0, h.metrics().signed("account"), "one account JWT signed for the identity");
    assertEquals(1.0, h.metrics().pushes("ok"), "and pushed once");
  }

  /** The seed restored by hand into Secret "restored" of each namespace (from a backup, nsc). */
  private void restored(KeyPair identity, String... namespaces) {
    for (String ns : namespaces) {
      client
          .secrets()
          .inNamespace(ns)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("restored")
                  .withNamespace(ns)
                  .endMetadata()
                  .withStringData(Map.of("seed", identity.seed()))
                  .build())
          .create();
    }
  }

  static Account adopting(String ns, String name) {
    Account a = Fixtures.account(ns, name);
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("restored");
    a.getSpec().setIdentitySecretRef(ref);
    return a;
  }
}
