package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountLimits;
import dev.nats.accounts.api.v1alpha1.DeletionPolicy;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.informers.WatchEventSerialization;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nats.client.Connection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a real API server does, with the real operator and nats-server 2.15: the status
 * subresource, {@code generation}/{@code observedGeneration}, optimistic-concurrency 409s, and
 * finalizers with {@code deletionTimestamp} (a User delete revokes its key before the object goes;
 * an Account delete follows its deletionPolicy). One operator for the class; each test uses its own
 * namespace.
 */
@Tag("apiserver")
class LifecycleApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  @TempDir static Path dir;
  static OperatorHarness h;

  @BeforeAll
  static void start() throws Exception {
    API.namespaces("nats", "gen", "status", "conflict", "users", "retain", "delete");
    h = OperatorHarness.start(API.client(), dir);
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static KubernetesClient client() {
    return API.client();
  }

  /** The resolver's copy of an account JWT, looked up as the system user. */
  private static java.util.Optional<String> lookup(String accountKey) throws Exception {
    String creds =
        h.secretValue(
            OperatorHarness.OPERATOR_NS,
            Names.systemCreds(OperatorHarness.OPERATOR_NAME),
            "user.creds");
    try (Connection sys =
        dev.nats.accounts.nats.SystemConnection.connect(
            java.util.List.of(h.url()), creds, "lifecycle-test")) {
      return new dev.nats.accounts.nats.ResolverClient(sys, 1, Duration.ofSeconds(1))
          .lookup(accountKey);
    }
  }

  @Test
  void observedGenerationFollowsEverySpecChange() {
    h.create(Fixtures.account("gen", "a"));
    Account a = h.awaitReady(Account.class, "gen", "a");
    assertEquals(1L, a.getMetadata().getGeneration());
    assertEquals(1L, a.getStatus().getObservedGeneration());
    assertEquals(
        1L,
        Conditions.find(a.getStatus().getConditions(), ConditionType.READY)
            .orElseThrow()
            .getObservedGeneration());

    for (long connections = 1; connections <= 3; connections++) {
      Account cur = h.get(Account.class, "gen", "a");
      AccountLimits limits = new AccountLimits();
      limits.setConnections(connections);
      cur.getSpec().setLimits(limits);
      h.updateSpec(cur);
    }
    Account edited = h.get(Account.class, "gen", "a");
    assertEquals(4L, edited.getMetadata().getGeneration(), "three spec updates, three generations");
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> {
              Account cur = h.get(Account.class, "gen", "a");
              return cur.getStatus().getObservedGeneration() == 4L
                  && Conditions.isTrue(cur.getStatus().getConditions(), ConditionType.READY);
            });
    Account done = h.get(Account.class, "gen", "a");
    assertEquals(
        3,
        JwtDecoder.decode(done.getStatus().getJwt())
            .payload()
            .path("nats")
            .path("limits")
            .path("conn")
            .asInt());

    // A metadata-only change is no new generation.
    client()
        .resources(Account.class)
        .inNamespace("gen")
        .withName("a")
        .edit(
            x -> {
              x.getMetadata().setLabels(Map.of("team", "x"));
              return x;
            });
    assertEquals(4L, h.get(Account.class, "gen", "a").getMetadata().getGeneration());
  }

  /**
   * The API server records managed fields on every object, the operator's caches drop them (about a
   * quarter of the heap at scale): the controller's own cache and the shared one other readers use.
   */
  @Test
  void cachedCopiesHoldNoManagedFieldsWhichTheServerKeeps() {
    h.create(Fixtures.account("status", "cached"));
    h.create(Fixtures.user("status", "cached-user", "cached"));
    h.awaitReady(Account.class, "status", "cached");
    h.awaitReady(User.class, "status", "cached-user");

    Account onServer = h.get(Account.class, "status", "cached");
    assertFalse(
        onServer.getMetadata().getManagedFields().isEmpty(), "the server records managed fields");
    var id = new io.javaoperatorsdk.operator.processing.event.ResourceID("cached", "status");
    Account own = (Account) h.app().primaryCache("account").get(id).orElseThrow();
    assertEquals(onServer.getStatus().getPublicKey(), own.getStatus().getPublicKey());
    assertNull(own.getMetadata().getManagedFields(), "the Account controller's cache");
    Account shared =
        h.services()
            .informers()
            .shared()
            .of(Account.class, null, java.util.Set.of())
            .get(id)
            .orElseThrow();
    assertNull(shared.getMetadata().getManagedFields(), "the shared cache of Accounts");
    User user =
        (User)
            h.app()
                .primaryCache("user")
                .get(
                    new io.javaoperatorsdk.operator.processing.event.ResourceID(
                        "cached-user", "status"))
                .orElseThrow();
    assertNull(user.getMetadata().getManagedFields(), "the User controller's cache");
    assertNotNull(user.getStatus().getPublicKey());
  }

  /**
   * kube-apiserver writes a watch event's object led by its apiVersion and kind, the shape the
   * operator's client reads in one pass; every other shape would be handed to fabric8's slower
   * path, so none may be.
   */
  @Test
  void everyWatchEventFromTheServerIsReadInOnePass() {
    h.create(Fixtures.account("status", "one-pass"));
    h.create(Fixtures.user("status", "one-pass-user", "one-pass"));
    h.awaitReady(User.class, "status", "one-pass-user");
    var serialization = (WatchEventSerialization) API.client().getKubernetesSerialization();
    assertTrue(serialization.watchEventsReadInOnePass() > 0, "the operator's watches read events");
    assertEquals(0, serialization.watchEventsHandedOn(), "events in another shape");
  }

  @Test
  void statusIsASubresourceThatTheMainEndpointCannotWrite() {
    h.create(Fixtures.account("status", "a"));
    Account a = h.awaitReady(Account.class, "status", "a");
    String key = a.getStatus().getPublicKey();
    long generation = a.getMetadata().getGeneration();

    // A patch of the main resource that also carries a status change (what a careless client or
    // GitOps tool sends).
    Account returned =
        client()
            .resources(Account.class)
            .inNamespace("status")
            .withName("a")
            .edit(
                x -> {
                  x.getStatus().setPublicKey("ABOGUS");
                  x.getMetadata().setLabels(Map.of("touched", "yes"));
                  return x;
                });
    assertEquals(
        key,
        returned.getStatus().getPublicKey(),
        "the server dropped the status part of the update");
    assertEquals("yes", returned.getMetadata().getLabels().get("touched"));
    assertEquals(
        generation, returned.getMetadata().getGeneration(), "status and labels are no spec change");
    assertEquals(key, h.get(Account.class, "status", "a").getStatus().getPublicKey());
  }

  @Test
  void aStaleUpdateIsRefusedWith409AndTheOperatorKeepsConverging() {
    h.create(Fixtures.account("conflict", "a"));
    Account stale = h.awaitReady(Account.class, "conflict", "a");
    Account fresh = h.get(Account.class, "conflict", "a");
    AccountLimits limits = new AccountLimits();
    limits.setConnections(7L);
    fresh.getSpec().setLimits(limits);
    h.updateSpec(fresh);

    stale.getMetadata().setLabels(Map.of("stale", "true"));
    KubernetesClientException e =
        assertThrows(KubernetesClientException.class, () -> client().resource(stale).update());
    assertEquals(409, e.getCode(), e.getMessage());

    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> {
              Account cur = h.get(Account.class, "conflict", "a");
              return cur.getStatus().getObservedGeneration() == cur.getMetadata().getGeneration()
                  && Conditions.isTrue(cur.getStatus().getConditions(), ConditionType.READY);
            });
    Account cur = h.get(Account.class, "conflict", "a");
    assertEquals(
        7,
        JwtDecoder.decode(cur.getStatus().getJwt())
            .payload()
            .path("nats")
            .path("limits")
            .path("conn")
            .asInt());
    assertNull(
        cur.getMetadata().getLabels() == null ? null : cur.getMetadata().getLabels().get("stale"));
  }

  @Test
  void aDeletedUserWaitsOnItsFinalizerUntilItsKeyIsRevokedOnTheLiveServer() throws Exception {
    h.create(Fixtures.account("users", "a"));
    h.create(Fixtures.user("users", "u", "a"));
    h.awaitReady(Account.class, "users", "a");
    User u = h.awaitReady(User.class, "users", "u");
    assertFalse(
        u.getMetadata().getFinalizers().isEmpty(), "the operator put a finalizer on the User");
    String userKey = u.getStatus().getPublicKey();
    String creds = h.secretValue("users", "u-creds", "user.creds");

    Connection live = h.connect(creds, null);
    try {
      h.stopOperator();
      client().resource(u).delete();
      User deleting = h.get(User.class, "users", "u");
      assertNotNull(deleting, "the finalizer holds the User while no operator runs");
      assertNotNull(
          deleting.getMetadata().getDeletionTimestamp(), "the server marked it for deletion");
      assertNotNull(client().secrets().inNamespace("users").withName("u-creds").get());

      h.startOperator();
      await().atMost(OperatorHarness.WAIT).until(() -> h.get(User.class, "users", "u") == null);
      Account a = h.get(Account.class, "users", "a");
      assertTrue(
          a.getStatus().getRevocations().containsKey(userKey), "status lists the revocation");
      assertTrue(
          JwtDecoder.decode(a.getStatus().getJwt())
              .payload()
              .path("nats")
              .path("revocations")
              .has(userKey));
      await()
          .atMost(OperatorHarness.WAIT)
          .until(() -> live.getStatus() != Connection.Status.CONNECTED);
      assertThrows(
          IOException.class, () -> h.connect(creds, null).close(), "revoked creds cannot connect");
    } finally {
      live.close();
    }
  }

  @Test
  void deletingAnAccountWithRetainKeepsItsIdentityForTheNextOne() {
    h.create(Fixtures.account("retain", "a"));
    String key = h.awaitReady(Account.class, "retain", "a").getStatus().getPublicKey();
    client().resource(h.get(Account.class, "retain", "a")).delete();
    await().atMost(OperatorHarness.WAIT).until(() -> h.get(Account.class, "retain", "a") == null);
    assertNotNull(
        client().secrets().inNamespace("retain").withName(Names.accountKeys("a")).get(),
        "keys retained");

    h.create(Fixtures.account("retain", "a"));
    assertEquals(
        key,
        h.awaitReady(Account.class, "retain", "a").getStatus().getPublicKey(),
        "same identity back");
  }

  @Test
  void deletingAnAccountWithDeleteRemovesItsKeysAndItsResolverCopy() throws Exception {
    Account account = Fixtures.account("delete", "a");
    account.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    h.create(account);
    String key = h.awaitReady(Account.class, "delete", "a").getStatus().getPublicKey();
    assertTrue(lookup(key).isPresent(), "the resolver holds the account");

    client().resource(h.get(Account.class, "delete", "a")).delete();
    await().atMost(OperatorHarness.WAIT).until(() -> h.get(Account.class, "delete", "a") == null);
    assertNull(
        client().secrets().inNamespace("delete").withName(Names.accountKeys("a")).get(),
        "keys deleted");
    assertTrue(lookup(key).isEmpty(), "the resolver copy was deleted");

    h.create(Fixtures.account("delete", "a"));
    assertNotEquals(
        key,
        h.awaitReady(Account.class, "delete", "a").getStatus().getPublicKey(),
        "a new identity");
  }
}
