package dev.nats.accounts.reconciler.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.KeyRotation;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.OperatorHarness;
import io.nats.client.Connection;
import org.junit.jupiter.api.Test;

/**
 * User key rotation against a real nats-server: the creds Secret gets a new key, the replaced key
 * keeps working through the overlap and is revoked after it (at once in an emergency), each
 * rotation is an Event and a count, and a User without rotation never gets a rotation status.
 */
class UserKeyRotationLiveTest extends OnMockApi {
  static final String NS = "tenant-a";

  @Test
  void onRequestTheOldKeyWorksThroughTheOverlapAndAnEmergencyRevokesEveryOldKeyAtOnce()
      throws Exception {
    h.create(Fixtures.account(NS, "a"));
    h.awaitReady(Account.class, NS, "a");
    User u = Fixtures.user(NS, "u", "a");
    KeyRotation rotation = new KeyRotation();
    rotation.setOverlap("1h");
    u.getSpec().setRotation(rotation);
    h.create(u);
    String first = h.awaitReady(User.class, NS, "u").getStatus().getPublicKey();
    String firstCreds = creds("u");
    Connection firstConnection = h.connect(firstCreds, null);

    annotate("u", UserKeyRotation.REQUEST, "1");
    User rotated = awaitKeyOtherThan("u", first);
    String second = rotated.getStatus().getPublicKey();
    assertEquals(first, rotated.getStatus().getRotation().getPreviousKey());
    assertEquals(second, Creds.parse(creds("u")).keyPair().publicKey(), "the Secret holds it");
    try (Connection c = h.connect(creds("u"), null)) {
      assertEquals(Connection.Status.CONNECTED, c.getStatus(), "the new creds connect");
    }
    try (Connection c = h.connect(firstCreds, null)) {
      assertEquals(Connection.Status.CONNECTED, c.getStatus(), "the old ones, through the overlap");
    }
    assertFalse(revoked(first), "not revoked during the overlap");
    assertEquals(Connection.Status.CONNECTED, firstConnection.getStatus());
    assertEquals(1, events("u", "KeyRotated"));

    String secondCreds = creds("u");
    annotate("u", UserKeyRotation.EMERGENCY, "leaked");
    User third = awaitKeyOtherThan("u", second);
    assertNull(third.getStatus().getRotation().getPreviousKey(), "no old key works on");
    await().atMost(OperatorHarness.WAIT).until(() -> revoked(first) && revoked(second));
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> firstConnection.getStatus() != Connection.Status.CONNECTED);
    assertTrue(refused(firstCreds), "the first creds are refused");
    assertTrue(
        refused(secondCreds),
        () ->
            "the second creds are refused: their JWT was issued at "
                + JwtDecoder.decodeIgnoringTime(Creds.parse(secondCreds).jwt()).issuedAt()
                + ", the Account revokes "
                + second
                + " at "
                + JwtDecoder.decode(h.get(Account.class, NS, "a").getStatus().getJwt())
                    .payload()
                    .path("nats")
                    .path("revocations")
                    .path(second));
    h.awaitReady(User.class, NS, "u");
    try (Connection c = h.connect(creds("u"), null)) {
      assertEquals(Connection.Status.CONNECTED, c.getStatus(), "the newest creds connect");
    }
    assertEquals(
        1.0,
        h.metrics()
            .registry()
            .find(OperatorMetrics.KEY_ROTATIONS)
            .tag("why", "emergency")
            .counter()
            .count());
    firstConnection.close();
  }

  @Test
  void onScheduleTheKeyIsReplacedByItselfAndTheReplacedOneRevokedAfterTheOverlap() {
    h.create(Fixtures.account(NS, "a"));
    h.awaitReady(Account.class, NS, "a");
    User u = Fixtures.user(NS, "s", "a");
    KeyRotation rotation = new KeyRotation();
    rotation.setEvery("6s");
    rotation.setOverlap("2s");
    u.getSpec().setRotation(rotation);
    h.create(u);
    User ready = h.awaitReady(User.class, NS, "s");
    String first = ready.getStatus().getPublicKey();
    assertNotEquals(null, ready.getStatus().getRotation().getNextRotationAt());

    awaitKeyOtherThan("s", first);
    await().atMost(OperatorHarness.WAIT).until(() -> revoked(first));
    assertTrue(
        h.metrics()
                .registry()
                .find(OperatorMetrics.KEY_ROTATIONS)
                .tag("why", "scheduled")
                .counter()
                .count()
            >= 1);
  }

  @Test
  void aUserWithoutRotationGetsNoRotationStatus() {
    h.create(Fixtures.account(NS, "a"));
    h.awaitReady(Account.class, NS, "a");
    h.create(Fixtures.user(NS, "plain", "a"));
    assertNull(h.awaitReady(User.class, NS, "plain").getStatus().getRotation());
  }

  private void annotate(String user, String key, String value) {
    client
        .resources(User.class)
        .inNamespace(NS)
        .withName(user)
        .edit(
            x -> {
              java.util.Map<String, String> annotations =
                  new java.util.HashMap<>(
                      x.getMetadata().getAnnotations() == null
                          ? java.util.Map.of()
                          : x.getMetadata().getAnnotations());
              annotations.put(key, value);
              x.getMetadata().setAnnotations(annotations);
              return x;
            });
  }

  private User awaitKeyOtherThan(String user, String key) {
    return await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> h.get(User.class, NS, user),
            x ->
                x.getStatus() != null
                    && x.getStatus().getPublicKey() != null
                    && !key.equals(x.getStatus().getPublicKey()));
  }

  private String creds(String user) {
    return h.secretValue(NS, Names.userCreds(user), "user.creds");
  }

  private boolean revoked(String userKey) {
    Account a = h.get(Account.class, NS, "a");
    return JwtDecoder.decode(a.getStatus().getJwt())
        .payload()
        .path("nats")
        .path("revocations")
        .has(userKey);
  }

  private boolean refused(String creds) {
    try (Connection c = h.connect(creds, null)) {
      return c.getStatus() != Connection.Status.CONNECTED;
    } catch (Exception e) {
      return true;
    }
  }

  private long events(String name, String reason) {
    return h.events("User", NS, name, reason);
  }
}
