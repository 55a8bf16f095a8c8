package dev.nats.accounts.reconciler.operator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.KeyRotation;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.SigningKeyRotationStatus;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.AccountLimits;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.IssuedAt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserPermissionLimits;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.user.UserKeyRotation;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.testing.MockApiTest;
import dev.nats.accounts.testing.OperatorHarness;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Rotation of the operator signing key that signs accounts, on real nats-server 2.15: the test
 * plays the NATS deployment's config reloader and restarts servers from the ConfigMap as it
 * changes.
 */
class OperatorKeyRotationLiveTest extends MockApiTest {
  static final String NS = "tenant-a";
  static final String OP_NS = OperatorHarness.OPERATOR_NS;
  static final String OP = OperatorHarness.OPERATOR_NAME;

  @Test
  void onRequestTheNextKeySignsOnlyOnceEveryServerTrustsItAndTheOldKeyLeavesAfterTheOverlap()
      throws Exception {
    h = OperatorHarness.startCluster(client, dir, 2);
    h.create(Fixtures.account(NS, "a"));
    String oldJwt = h.awaitReady(Account.class, NS, "a").getStatus().getJwt();
    h.create(Fixtures.user(NS, "u", "a"));
    h.awaitReady(User.class, NS, "u");
    String userCreds = h.secretValue(NS, Names.userCreds("u"), "user.creds");
    Connection user = reconnecting(userCreds);
    user.createDispatcher(m -> user.publish(m.getReplyTo(), m.getData())).subscribe("echo");
    KeyPair old = KeyPair.fromSeed(h.secretValue(OP_NS, Names.operatorKeys(OP), "signing-1"));
    assertEquals(old.publicKey(), JwtDecoder.decode(oldJwt).issuer());
    assertFalse(refused(userOfNewAccount(old)), "before: an account signed by the old key works");

    editOperator(
        o -> {
          KeyRotation r = new KeyRotation();
          r.setOverlap("3s");
          o.getSpec().setRotation(r);
          annotate(o, UserKeyRotation.REQUEST, "1");
        });

    // Staged: the next key is in the operator JWT; nothing is signed by it while servers do not
    // trust it.
    SigningKeyRotationStatus staged =
        awaitRotation(
            s -> "Staged".equals(s.getPhase()) && "0/2".equals(s.getServersTrustingNextKey()));
    String next = staged.getNextKey();
    assertEquals(old.publicKey(), staged.getCurrentKey());
    assertEquals(List.of(old.publicKey(), next), operatorJwtKeys());
    assertTrue(staged.getWaitingFor().contains("kubectl rollout restart"), staged.getWaitingFor());

    // A reload does not make a server trust it: nats-server 2.15 refuses a changed operator JWT.
    Path conf = dir.resolve("nats-0").resolve("resolver.conf");
    Files.writeString(
        conf, h.resolverConf().replace(dir.resolve("jwt").toString(), h.resolverDir(0).toString()));
    new ProcessBuilder("kill", "-HUP", String.valueOf(h.nats(0).pid())).start().waitFor();
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                h.nats(0).logLines().stream()
                    .anyMatch(l -> l.contains("config reload not supported for TrustedOperators")));
    assertFalse(trusts(0, next), "reloaded server 0 still trusts only the old key");

    // Restarting one server is not enough.
    h.stopNats(0);
    h.startNats(0);
    SigningKeyRotationStatus half = awaitRotation(s -> "1/2".equals(s.getServersTrustingNextKey()));
    assertEquals("Staged", half.getPhase());
    assertEquals(old.publicKey(), issuer(h.get(Account.class, NS, "a").getStatus().getJwt()));

    // Both restarted: the next key signs, accounts are re-signed and pushed, the old key stays.
    h.stopNats(1);
    h.startNats(1);
    awaitRotation(s -> next.equals(s.getCurrentKey()) && !"Staged".equals(s.getPhase()));
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> h.get(Account.class, NS, "a"),
            a ->
                next.equals(issuer(a.getStatus().getJwt()))
                    && Conditions.isTrue(a.getStatus().getConditions(), ConditionType.PUSHED));
    assertEquals(
        next,
        issuer(h.get(Operator.class, OP_NS, OP).getStatus().getSystemAccount().getJwt()),
        "the system account is re-signed too");
    echo(user);

    // After the overlap the old key leaves the operator JWT.
    SigningKeyRotationStatus idle =
        awaitRotation(s -> "Idle".equals(s.getPhase()) && s.getPreviousKeyRemovedAt() != null);
    assertEquals(old.publicKey(), idle.getPreviousKey());
    assertNull(idle.getNextKey());
    assertEquals(List.of(next), operatorJwtKeys());

    // The config reloader restarts the servers once more: they refuse the old key, the user works.
    h.stopNats(0);
    h.startNats(0);
    h.stopNats(1);
    h.startNats(1);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> !trusts(0, old.publicKey()) && !trusts(1, old.publicKey()));
    echo(user);
    try (Connection fresh = h.connect(userCreds, null)) {
      assertEquals(Connection.Status.CONNECTED, fresh.getStatus());
    }
    // An account JWT signed by the old key: the full resolver stores what it is sent ("jwt
    // updated"), but no server uses it, so its users are refused; one by the new key works.
    KeyPair current = KeyPair.fromSeed(h.secretValue(OP_NS, Names.operatorKeys(OP), "signing-1"));
    assertEquals(next, current.publicKey());
    assertTrue(refused(userOfNewAccount(old)), "an account signed by the old key is refused");
    String good = userOfNewAccount(current);
    assertFalse(refused(good), "one signed by the new key works");
    user.close();

    assertEquals(3, events("KeyRotated"), "staged, switched, old key removed");
    assertEquals(1.0, rotations("requested"));
  }

  @Test
  void anEmergencyReplacesTheSignerAtOnceAndServersAcceptTheAccountsOnceRestarted()
      throws Exception {
    h = OperatorHarness.start(client, dir);
    h.create(Fixtures.account(NS, "a"));
    h.awaitReady(Account.class, NS, "a");
    h.create(Fixtures.user(NS, "ua", "a"));
    h.awaitReady(User.class, NS, "ua");
    String userA = h.secretValue(NS, Names.userCreds("ua"), "user.creds");
    String old =
        KeyPair.fromSeed(h.secretValue(OP_NS, Names.operatorKeys(OP), "signing-1")).publicKey();

    editOperator(o -> annotate(o, UserKeyRotation.EMERGENCY, "leaked"));
    SigningKeyRotationStatus now = awaitRotation(s -> !old.equals(s.getCurrentKey()));
    String fresh = now.getCurrentKey();
    assertEquals("Idle", now.getPhase());
    assertEquals(old, now.getPreviousKey());
    assertNotNull(now.getPreviousKeyRemovedAt());
    assertEquals(List.of(fresh), operatorJwtKeys(), "the old key left at once");
    assertEquals(
        fresh,
        KeyPair.fromSeed(h.secretValue(OP_NS, Names.operatorKeys(OP), "signing-1")).publicKey());

    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> fresh.equals(issuer(h.get(Account.class, NS, "a").getStatus().getJwt())));

    // The running server still trusts only the old key: an account it has not loaded yet, now
    // signed by the new key, cannot be loaded, so its users are refused until it restarts.
    h.create(Fixtures.account(NS, "b"));
    h.awaitReady(Account.class, NS, "b");
    h.create(Fixtures.user(NS, "ub", "b"));
    h.awaitReady(User.class, NS, "ub");
    String ub = h.secretValue(NS, Names.userCreds("ub"), "user.creds");
    assertTrue(refused(ub), "not trusted before the restart");
    h.restartNats();
    await().atMost(OperatorHarness.WAIT).until(() -> !refused(ub));
    try (Connection c = h.connect(userA, null)) {
      assertEquals(Connection.Status.CONNECTED, c.getStatus(), "the re-signed account works too");
    }
    assertEquals(1, events("KeyRotated"));
    assertEquals(1.0, rotations("emergency"));
  }

  @Test
  void aStagedRotationSurvivesAWipedStatusAndAnOperatorRestartWithTheSameNextKey()
      throws Exception {
    h = OperatorHarness.start(client, dir);
    h.create(Fixtures.account(NS, "a"));
    h.awaitReady(Account.class, NS, "a");
    editOperator(o -> annotate(o, UserKeyRotation.REQUEST, "r1"));
    String next = awaitRotation(s -> "Staged".equals(s.getPhase())).getNextKey();

    h.stopOperator();
    Operator wiped = h.get(Operator.class, OP_NS, OP);
    wiped.setStatus(null);
    client.resource(wiped).updateStatus();
    assertNull(h.get(Operator.class, OP_NS, OP).getStatus());
    h.startOperator();
    SigningKeyRotationStatus resumed =
        awaitRotation(
            s -> "Staged".equals(s.getPhase()) && "0/1".equals(s.getServersTrustingNextKey()));
    assertEquals(next, resumed.getNextKey(), "the staged key is kept, not made again");
    assertEquals(1, events("KeyRotated"), "and the request is not handled twice");

    h.restartNats();
    assertEquals(next, awaitRotation(s -> next.equals(s.getCurrentKey())).getCurrentKey());
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> next.equals(issuer(h.get(Account.class, NS, "a").getStatus().getJwt())));
  }

  @Test
  void anOverlapNotShorterThanEveryIsInvalidSpecNamingTheField() throws Exception {
    h = OperatorHarness.start(client, dir);
    editOperator(
        o -> {
          KeyRotation r = new KeyRotation();
          r.setEvery("1h");
          r.setOverlap("2h");
          o.getSpec().setRotation(r);
        });
    Operator bad =
        h.awaitCondition(
            Operator.class,
            OP_NS,
            OP,
            ConditionType.READY,
            Conditions.FALSE,
            dev.nats.accounts.status.Reason.INVALID_SPEC);
    assertTrue(
        Conditions.find(bad.getStatus().getConditions(), ConditionType.READY)
            .orElseThrow()
            .getMessage()
            .contains("spec.rotation.overlap"));
  }

  @Test
  void aScheduleNotYetDueChangesNoKeyAndNoJwt() throws Exception {
    h = OperatorHarness.start(client, dir);
    Operator before = h.get(Operator.class, OP_NS, OP);
    assertNull(before.getStatus().getSigningKeyRotation(), "no rotation asked: no status for it");
    String secretVersion = keySecretVersion();

    editOperator(
        o -> {
          KeyRotation r = new KeyRotation();
          r.setEvery("720h");
          o.getSpec().setRotation(r);
        });
    SigningKeyRotationStatus idle = awaitRotation(s -> s.getNextRotationAt() != null);
    assertEquals("Idle", idle.getPhase());
    Operator after = h.get(Operator.class, OP_NS, OP);
    assertEquals(before.getStatus().getJwt(), after.getStatus().getJwt());
    assertEquals(secretVersion, keySecretVersion(), "the key Secret is not written");
    assertEquals(0, events("KeyRotated"));
    assertNotEquals(null, after.getStatus().getSigningKeys());
  }

  /** A client as applications run one: every server, reconnecting for ever. */
  private Connection reconnecting(String creds) throws Exception {
    return io.nats.client.Nats.connect(
        new io.nats.client.Options.Builder()
            .servers(h.urls().toArray(String[]::new))
            .authHandler(
                io.nats.client.Nats.staticCredentials(creds.getBytes(StandardCharsets.UTF_8)))
            .maxReconnects(-1)
            .reconnectWait(Duration.ofMillis(250))
            .build());
  }

  /** The user's request is answered (by its own subscription, through the servers). */
  private static void echo(Connection user) throws Exception {
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> user.getStatus() == Connection.Status.CONNECTED);
    Message reply =
        user.request("echo", "hi".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
    assertEquals("hi", new String(reply.getData(), StandardCharsets.UTF_8));
  }

  private void editOperator(Consumer<Operator> change) {
    client
        .resources(Operator.class)
        .inNamespace(OP_NS)
        .withName(OP)
        .edit(
            o -> {
              change.accept(o);
              return o;
            });
  }

  private static void annotate(Operator o, String key, String value) {
    var annotations =
        new HashMap<>(
            o.getMetadata().getAnnotations() == null
                ? java.util.Map.<String, String>of()
                : o.getMetadata().getAnnotations());
    annotations.put(key, value);
    o.getMetadata().setAnnotations(annotations);
  }

  private SigningKeyRotationStatus awaitRotation(Predicate<SigningKeyRotationStatus> until) {
    return await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> h.get(Operator.class, OP_NS, OP).getStatus().getSigningKeyRotation(),
            s -> s != null && until.test(s));
  }

  /** The operator JWT's signing keys, as the ConfigMap the servers include carries it. */
  private List<String> operatorJwtKeys() {
    String jwt =
        client
            .configMaps()
            .inNamespace(OP_NS)
            .withName(Names.serverConfig(OP))
            .get()
            .getData()
            .get("operator.jwt");
    List<String> keys = new ArrayList<>();
    JwtDecoder.decode(jwt)
        .payload()
        .path("nats")
        .path("signing_keys")
        .forEach(k -> keys.add(k.asText()));
    return keys;
  }

  /**
   * Whether server {@code i} ({@code s<i>}) lists {@code key} among this operator's signing keys.
   */
  private boolean trusts(int i, String key) throws Exception {
    String opKey = h.get(Operator.class, OP_NS, OP).getStatus().getPublicKey();
    try (Connection sys = systemConnection()) {
      return new ResolverClient(sys, 2, Duration.ofSeconds(2))
          .trust(opKey).stream()
              .filter(s -> s.server().equals("s" + i))
              .anyMatch(s -> s.signingKeys().contains(key));
    }
  }

  private Connection systemConnection() throws Exception {
    return h.connect(h.secretValue(OP_NS, Names.systemCreds(OP), "user.creds"), null);
  }

  /**
   * Creds of a user of a new account (made here, not by the operator) whose JWT {@code signer}
   * signed, pushed to the servers first.
   */
  private String userOfNewAccount(KeyPair signer) throws Exception {
    KeyPair account = KeyPair.create(KeyType.ACCOUNT);
    KeyPair accountSigner = KeyPair.create(KeyType.ACCOUNT);
    KeyPair user = KeyPair.create(KeyType.USER);
    String accountJwt =
        JwtEncoder.encode(
            AccountClaims.builder("made-here", account.publicKey())
                .limits(AccountLimits.UNLIMITED)
                .addSigningKey(accountSigner.publicKey())
                .build(),
            signer,
            IssuedAt.next(0));
    try (Connection sys = systemConnection()) {
      new ResolverClient(sys, 2, Duration.ofSeconds(3)).push(accountJwt);
    }
    String userJwt =
        JwtEncoder.encode(
            UserClaims.of("u", user.publicKey(), UserPermissionLimits.UNLIMITED)
                .withIssuerAccount(account.publicKey()),
            accountSigner,
            IssuedAt.next(0));
    return Creds.format(userJwt, user.seed());
  }

  private boolean refused(String creds) {
    try (Connection c = h.connect(creds, null)) {
      return c.getStatus() != Connection.Status.CONNECTED;
    } catch (Exception e) {
      return true;
    }
  }

  private static String issuer(String jwt) {
    return JwtDecoder.decode(jwt).issuer();
  }

  private String keySecretVersion() {
    return client
        .secrets()
        .inNamespace(OP_NS)
        .withName(Names.operatorKeys(OP))
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  private long events(String reason) {
    return h.events("Operator", OP_NS, OP, reason);
  }

  private double rotations(String why) {
    return h.counter(
        OperatorMetrics.KEY_ROTATIONS, "kind", SigningKeyRotator.METRIC_KIND, "why", why);
  }
}
