package dev.nats.accounts.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.StoredRevocations;
import dev.nats.accounts.testing.ConflictInjector;
import dev.nats.accounts.testing.MockApiTest;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.SortedSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every write path meets a 409 Conflict on its first request (another writer got there first: a
 * second replica, kubectl, a GitOps controller) and the operator still gets everything right: the
 * seed tutorial works, a deletion revokes, each identity is the one in its key Secret (a conflict
 * never mints a second one), and each conflict went through the error path (counted, in a
 * condition) rather than being lost.
 */
class ConflictsTest extends MockApiTest {
  KubernetesMockServer server;

  @Test
  void aConflictOnTheFirstRequestOfEveryWritePathIsRetriedAndNothingIsLost() throws Exception {
    ConflictInjector conflicts = ConflictInjector.on(server);
    h = OperatorHarness.startAs(client, conflicts.client(client), dir, OperatorSettings.forTests());

    SeedTutorial.applyAndVerify(h);
    String userKey = h.awaitReady(User.class, "tenant-a", "u").getStatus().getPublicKey();
    client.resources(User.class).inNamespace("tenant-a").withName("u").delete();
    await().atMost(OperatorHarness.WAIT).until(() -> h.get(User.class, "tenant-a", "u") == null);
    Account a =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get(Account.class, "tenant-a", "a"),
                x ->
                    JwtDecoder.decode(x.getStatus().getJwt())
                        .payload()
                        .path("nats")
                        .path("revocations")
                        .has(userKey));
    assertTrue(
        StoredRevocations.parse(
                h.secretValue("tenant-a", Names.accountKeys("a"), StoredRevocations.ENTRY))
            .containsKey(userKey),
        "the revocation is stored with the identity despite the conflict on that Secret");

    // One identity each: the one its key Secret holds.
    assertEquals(
        a.getStatus().getPublicKey(),
        KeyPair.fromSeed(h.secretValue("tenant-a", Names.accountKeys("a"), "identity"))
            .publicKey());
    Account b = h.get(Account.class, "tenant-b", "b");
    assertEquals(
        b.getStatus().getPublicKey(),
        KeyPair.fromSeed(h.secretValue("tenant-b", Names.accountKeys("b"), "identity"))
            .publicKey());
    assertEquals(
        h.get(dev.nats.accounts.api.v1alpha1.Operator.class, "nats", "main")
            .getStatus()
            .getPublicKey(),
        KeyPair.fromSeed(h.secretValue("nats", Names.operatorKeys("main"), "identity"))
            .publicKey());
    h.awaitReady(ServiceExport.class, "tenant-a", "private-help");

    SortedSet<String> hit = conflicts.conflicted();
    for (String path :
        List.of(
            "POST /api/v1/namespaces/nats/secrets",
            "POST /api/v1/namespaces/nats/configmaps",
            "POST /api/v1/namespaces/tenant-a/secrets",
            "POST /api/v1/namespaces/tenant-a/events",
            "PUT /api/v1/namespaces/tenant-a/secrets/" + Names.accountKeys("a"),
            "DELETE /api/v1/namespaces/tenant-a/secrets/u-creds",
            "PATCH /apis/accounts.nats.dev/v1alpha1/namespaces/nats/operators/main/status",
            "PATCH /apis/accounts.nats.dev/v1alpha1/namespaces/tenant-a/accounts/a/status",
            "PATCH /apis/accounts.nats.dev/v1alpha1/namespaces/tenant-a/users/u/status",
            "PATCH /apis/accounts.nats.dev/v1alpha1/namespaces/tenant-a/serviceexports/help/status",
            "PATCH /apis/accounts.nats.dev/v1alpha1/namespaces/tenant-b/serviceimports/help/status")) {
      assertTrue(hit.contains(path), path + " met its conflict; all that did: " + hit);
    }
    Pattern finalizer =
        Pattern.compile("PATCH /apis/accounts.nats.dev/v1alpha1/namespaces/[^/]+/[a-z]+/[^/]+");
    assertTrue(
        hit.stream().filter(p -> finalizer.matcher(p).matches()).count() >= 7,
        "finalizers were added against conflicts on every kind: " + hit);
    assertTrue(
        h
                .metrics()
                .registry()
                .find(dev.nats.accounts.metrics.OperatorMetrics.RECONCILE_ERRORS)
                .tag("error", "conflict")
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum()
            > 0,
        "conflicts went through the error path");
  }
}
