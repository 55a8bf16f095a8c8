package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.OperatorHarness;
import org.junit.jupiter.api.Test;

/**
 * A revoked user key stays revoked when the Account's status is wiped and when the Account is
 * deleted and applied again (deletionPolicy Retain keeps its identity, so it keeps its revocations
 * too): they are kept in the key Secret beside the identity, not only in status.
 */
class DurableRevocationsTest extends OnMockApi {
  static final String NS = "tenant-a";

  @Test
  void aRevokedUserStaysRevokedAcrossAStatusWipeAndTheAccountAppliedAgain() {
    h.create(Fixtures.account(NS, "a"));
    h.awaitReady(Account.class, NS, "a");
    h.create(Fixtures.user(NS, "u", "a"));
    String userKey = h.awaitReady(User.class, NS, "u").getStatus().getPublicKey();
    client.resources(User.class).inNamespace(NS).withName("u").delete();
    awaitRevokedAndPushed(userKey);
    assertTrue(
        StoredRevocations.parse(h.secretValue(NS, Names.accountKeys("a"), StoredRevocations.ENTRY))
            .containsKey(userKey),
        "kept with the identity");

    // A status wiped (a restore from a backup without status, a careless edit), then any change.
    client
        .resources(Account.class)
        .inNamespace(NS)
        .withName("a")
        .editStatus(
            a -> {
              a.setStatus(new AccountStatus());
              return a;
            });
    Account edit = h.get(Account.class, NS, "a");
    edit.getSpec().setDisplayName("A again");
    h.updateSpec(edit);
    awaitRevokedAndPushed(userKey);

    // Deleted (its keys retained) and applied again.
    String identity = h.get(Account.class, NS, "a").getStatus().getPublicKey();
    client.resources(Account.class).inNamespace(NS).withName("a").delete();
    await().atMost(OperatorHarness.WAIT).until(() -> h.get(Account.class, NS, "a") == null);
    h.create(Fixtures.account(NS, "a"));
    Account back = awaitRevokedAndPushed(userKey);
    assertEquals(identity, back.getStatus().getPublicKey(), "the same identity, retained");
  }

  /**
   * The Account and its User deleted together (kubectl delete -f, a namespace going away): no JWT
   * is signed any more, but when the Account is applied again with its retained keys, that User's
   * key is revoked from the start.
   */
  @Test
  void aUserDeletedTogetherWithItsAccountIsRevokedWhenTheAccountComesBack() {
    h.create(Fixtures.account(NS, "a"));
    h.awaitReady(Account.class, NS, "a");
    h.create(Fixtures.user(NS, "u", "a"));
    String userKey = h.awaitReady(User.class, NS, "u").getStatus().getPublicKey();
    client.resources(Account.class).inNamespace(NS).withName("a").delete();
    client.resources(User.class).inNamespace(NS).withName("u").delete();
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> h.get(Account.class, NS, "a") == null && h.get(User.class, NS, "u") == null);
    assertTrue(
        StoredRevocations.parse(h.secretValue(NS, Names.accountKeys("a"), StoredRevocations.ENTRY))
            .containsKey(userKey),
        "kept in the retained key Secret");

    h.create(Fixtures.account(NS, "a"));
    awaitRevokedAndPushed(userKey);
  }

  /**
   * A User's iat strictly increases, so a User re-signed several times within a second holds a JWT
   * issued ahead of the clock. Deleting it must still revoke that JWT: a revocation at "now" would
   * cover only JWTs issued up to now, and these creds would go on connecting.
   */
  @Test
  void aUserDeletedWhileItsJwtIsIssuedAheadOfTheClockIsRevokedAll() throws Exception {
    h.create(Fixtures.account(NS, "a"));
    h.awaitReady(Account.class, NS, "a");
    h.create(Fixtures.user(NS, "u", "a"));
    User u = h.awaitReady(User.class, NS, "u");
    String userKey = u.getStatus().getPublicKey();
    long iat = Statuses.epochSeconds(u.getStatus().getIssuedAt());
    for (long subs = 1; iat < System.currentTimeMillis() / 1000 + 2 && subs <= 40; subs++) {
      User edit = h.get(User.class, NS, "u");
      edit.getSpec().setLimits(new dev.nats.accounts.api.v1alpha1.UserLimits());
      edit.getSpec().getLimits().setSubscriptions(subs);
      h.updateSpec(edit);
      long before = iat;
      iat =
          await()
              .atMost(OperatorHarness.WAIT)
              .until(
                  () -> Statuses.epochSeconds(h.get(User.class, NS, "u").getStatus().getIssuedAt()),
                  t -> t > before);
    }
    String creds = h.secretValue(NS, Names.userCreds("u"), "user.creds");
    long issued =
        JwtDecoder.decodeIgnoringTime(dev.nats.accounts.jwt.Creds.parse(creds).jwt()).issuedAt();
    long deletedAt = System.currentTimeMillis() / 1000;
    assertTrue(issued > deletedAt, "the JWT is issued ahead of the clock: " + issued);

    client.resources(User.class).inNamespace(NS).withName("u").delete();
    Account a = awaitRevokedAndPushed(userKey);
    long revokedAt =
        JwtDecoder.decode(a.getStatus().getJwt())
            .payload()
            .path("nats")
            .path("revocations")
            .path(userKey)
            .asLong();
    assertTrue(revokedAt >= issued, "revoked at " + revokedAt + ", JWT issued at " + issued);
    try (io.nats.client.Connection c = h.connect(creds, null)) {
      assertTrue(
          c.getStatus() != io.nats.client.Connection.Status.CONNECTED, "the creds still connect");
    } catch (Exception refused) {
      // refused: what a revoked user gets
    }
  }

  private Account awaitRevokedAndPushed(String userKey) {
    return await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> h.get(Account.class, NS, "a"),
            a ->
                a != null
                    && a.getStatus() != null
                    && a.getStatus().getJwt() != null
                    && Conditions.isTrue(a.getStatus().getConditions(), ConditionType.PUSHED)
                    && JwtDecoder.decode(a.getStatus().getJwt())
                        .payload()
                        .path("nats")
                        .path("revocations")
                        .has(userKey));
  }
}
