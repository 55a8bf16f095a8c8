package dev.nats.accounts.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.testing.ApiCut;
import dev.nats.accounts.testing.MockApiTest;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.Signals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator process killed at the two points where a crash could cost something: after writing
 * an Account's keys but before its status names them, and after signing a JWT but before pushing
 * it. A new process must find the same identity (no second key minted) and leave the resolver
 * holding exactly the JWT its status holds, never an older one.
 */
class KillPointsTest extends MockApiTest {
  static final String NS = "tenant-a";

  final ApiCut api = new ApiCut();

  @BeforeEach
  void start() throws Exception {
    // A killed process does not wait for its reconciles: a short stop stands in for the kill.
    OperatorSettings killable =
        OperatorSettings.forTests().withShutdownTimeout(java.time.Duration.ofSeconds(1));
    h = OperatorHarness.startAs(client, api.client(client), dir, killable);
  }

  @Test
  void killedBetweenWritingAnAccountsKeysAndItsStatusItComesBackWithTheSameIdentity()
      throws Exception {
    api.cutAfter(
        r ->
            r.method().equals("POST")
                && r.uri().getPath().equals("/api/v1/namespaces/" + NS + "/secrets"));
    h.create(Fixtures.account(NS, "a"));
    await().atMost(OperatorHarness.WAIT).until(api::isCut);
    h.stopOperator();

    String seed = h.secretValue(NS, Names.accountKeys("a"), "identity");
    assertNotNull(seed, "the keys were written");
    Account dead = h.get(Account.class, NS, "a");
    assertTrue(
        dead.getStatus() == null || dead.getStatus().getPublicKey() == null,
        "and the status never named them");

    api.restore();
    h.startOperator();
    Account a = h.awaitReady(Account.class, NS, "a");
    assertEquals(KeyPair.fromSeed(seed).publicKey(), a.getStatus().getPublicKey());
    assertEquals(seed, h.secretValue(NS, Names.accountKeys("a"), "identity"), "not replaced");
    assertEquals(
        0, total(h.metrics(), OperatorMetrics.KEYS_GENERATED), "no key generated after the kill");
    assertEquals(a.getStatus().getJwt(), held(a));
  }

  @Test
  void killedBetweenSigningAndPushingItPushesTheCurrentJwtAndNothingOlder() throws Exception {
    h.create(Fixtures.account(NS, "a"));
    Account before = h.awaitReady(Account.class, NS, "a");
    double signed = h.metrics().signed("account");

    // The server holds the push in flight; the process dies with the new JWT signed, unpushed.
    Signals.send("STOP", h.nats().pid());
    try {
      Account edit = h.get(Account.class, NS, "a");
      edit.getSpec().setDescription("after the kill");
      h.updateSpec(edit);
      await().atMost(OperatorHarness.WAIT).until(() -> h.metrics().signed("account") > signed);
      api.cut();
      h.stopOperator();
    } finally {
      Signals.send("CONT", h.nats().pid());
    }
    assertEquals(
        before.getStatus().getJwt(),
        h.get(Account.class, NS, "a").getStatus().getJwt(),
        "the JWT signed before the kill never reached the status");

    api.restore();
    h.startOperator();
    Account after =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get(Account.class, NS, "a"),
                x ->
                    "after the kill".equals(description(x.getStatus().getJwt()))
                        && Conditions.isTrue(x.getStatus().getConditions(), ConditionType.PUSHED));
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> after.getStatus().getJwt().equals(held(after)));
    assertNotEquals(before.getStatus().getJwt(), held(after));
    assertTrue(
        JwtDecoder.decode(after.getStatus().getJwt()).issuedAt()
            > JwtDecoder.decode(before.getStatus().getJwt()).issuedAt(),
        "iat grows");
  }

  private String held(Account a) throws Exception {
    Path file = h.resolverDir(0).resolve(a.getStatus().getPublicKey() + ".jwt");
    return Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII).trim() : null;
  }

  private static String description(String jwt) {
    return JwtDecoder.decode(jwt).payload().path("nats").path("description").asText();
  }

  private static double total(OperatorMetrics metrics, String counter) {
    return metrics.registry().find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
