package dev.nats.accounts.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.DeletionPolicy;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Deleting while no NATS server can be reached lets nothing go before NATS has acknowledged it: an
 * Account with {@code deletionPolicy: Delete} keeps its keys (a live identity without keys could
 * never be updated or revoked again), a User keeps its creds Secret until a server took the JWT
 * revoking it. Both say why (DeletePending, a Warning Event) and finish by themselves once a server
 * is back.
 */
class DeleteWhileNatsUnreachableTest extends OnMockApi {
  static final String NS = "tenant-a";

  @Test
  void anAccountWithDeletionPolicyDeleteKeepsItsKeysUntilTheResolverAcknowledgedTheDelete()
      throws Exception {
    Account a = Fixtures.account(NS, "a");
    a.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    h.create(a);
    String identity = h.awaitReady(Account.class, NS, "a").getStatus().getPublicKey();
    Path held = h.resolverDir(0).resolve(identity + ".jwt");
    assertTrue(Files.exists(held), "the resolver holds the account");

    h.stopNats(0);
    client.resources(Account.class).inNamespace(NS).withName("a").delete();

    Account pending =
        h.awaitCondition(
            Account.class, NS, "a", ConditionType.READY, Conditions.FALSE, Reason.DELETE_PENDING);
    assertNotNull(pending.getMetadata().getDeletionTimestamp());
    assertNotNull(
        h.secretValue(NS, Names.accountKeys("a"), "identity"), "the key Secret is still there");
    await().atMost(OperatorHarness.WAIT).until(() -> warnings("a", Reason.DELETE_PENDING) > 0);

    h.startNats(0);
    await().atMost(OperatorHarness.WAIT).until(() -> h.get(Account.class, NS, "a") == null);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> client.secrets().inNamespace(NS).withName(Names.accountKeys("a")).get() == null);
    assertFalse(Files.exists(held), "the resolver dropped the account");
  }

  @Test
  void aUserDeletedWhileNoServerAnswersKeepsItsCredsUntilItsRevocationIsTaken() throws Exception {
    h.create(Fixtures.account(NS, "a"));
    h.awaitReady(Account.class, NS, "a");
    h.create(Fixtures.user(NS, "u", "a"));
    h.awaitReady(User.class, NS, "u");

    h.stopNats(0);
    client.resources(User.class).inNamespace(NS).withName("u").delete();

    h.awaitCondition(
        User.class, NS, "u", ConditionType.READY, Conditions.FALSE, Reason.DELETE_PENDING);
    assertNotNull(
        h.secretValue(NS, Names.userCreds("u"), "user.creds"),
        "the creds Secret stays while no server knows they are revoked");

    h.startNats(0);
    await().atMost(OperatorHarness.WAIT).until(() -> h.get(User.class, NS, "u") == null);
    assertNull(client.secrets().inNamespace(NS).withName(Names.userCreds("u")).get());
  }

  private long warnings(String name, Reason reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter((Event e) -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Warning".equals(e.getType()) && reason.value().equals(e.getReason()))
        .count();
  }
}
