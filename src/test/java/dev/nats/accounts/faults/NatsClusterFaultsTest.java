package dev.nats.accounts.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.MockApiTest;
import dev.nats.accounts.testing.OperatorHarness;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A NATS cluster as users run it (three servers joined by routes, each its own full resolver
 * directory) losing a server, getting it back, and getting one back with its directory wiped. The
 * promise: status says how many servers hold each JWT, a missing server blocks nobody (deletions,
 * revocations and other accounts go on with the live ones), and every server ends up holding every
 * current JWT with no user action.
 */
class NatsClusterFaultsTest extends MockApiTest {
  static final String NS = "tenant-a";

  @Test
  void everyServerOfAThreeServerClusterAcknowledgesAndHoldsTheAccount() throws Exception {
    h = OperatorHarness.startCluster(client, dir, 3);
    h.create(Fixtures.account(NS, "a"));
    Account a = h.awaitReady(Account.class, NS, "a");

    assertEquals("3/3", a.getStatus().getServers());
    for (int i = 0; i < 3; i++) {
      assertEquals(a.getStatus().getJwt(), held(i, a), "server " + i + " holds the JWT");
    }
  }

  @Test
  void aStoppedServerShowsTwoOfThreeBlocksNobodyAndIsRepairedWhenItReturns() throws Exception {
    h = OperatorHarness.startCluster(client, dir, 3);
    h.create(Fixtures.account(NS, "a"));
    h.awaitReady(Account.class, NS, "a");
    h.create(Fixtures.user(NS, "leaving", "a"));
    String leaving = h.awaitReady(User.class, NS, "leaving").getStatus().getPublicKey();
    String leavingCreds = h.secretValue(NS, Names.userCreds("leaving"), "user.creds");
    assertNull(refusal(h.url(0), leavingCreds), "connects while its User exists");

    h.stopNats(2);

    // Deleting a User is not held up by the missing server: its revocation reaches the live ones.
    client.resources(User.class).inNamespace(NS).withName("leaving").delete();
    await().atMost(OperatorHarness.WAIT).until(() -> h.get(User.class, NS, "leaving") == null);
    Account revoking =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get(Account.class, NS, "a"),
                x -> revokes(x.getStatus().getJwt(), leaving) && "2/3".equals(servers(x)));
    assertEquals(
        Reason.PUSH_FAILED,
        Conditions.reason(revoking.getStatus().getConditions(), ConditionType.PUSHED),
        "a server missing is a failed push, said so");
    for (int i = 0; i < 2; i++) {
      int server = i;
      await().atMost(OperatorHarness.WAIT).until(() -> revokes(held(server, revoking), leaving));
    }
    String refused = refusal(h.url(1), leavingCreds);
    assertTrue(
        refused != null && refused.contains("Authorization Violation"),
        "the deleted User is refused by the live servers: " + refused);

    // Another Account goes on as well, with the servers there are.
    h.create(Fixtures.account(NS, "b"));
    h.create(Fixtures.user(NS, "bu", "b"));
    Account b =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get(Account.class, NS, "b"),
                x -> x != null && "2/3".equals(servers(x)) && x.getStatus().getJwt() != null);
    String buCreds =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(() -> h.secretValue(NS, Names.userCreds("bu"), "user.creds"), c -> c != null);
    await().atMost(OperatorHarness.WAIT).until(() -> refusal(h.url(0), buCreds) == null);

    // The server comes back: it is brought up to date, and status says so.
    h.startNats(2);
    for (String name : List.of("a", "b")) {
      Account back =
          await()
              .atMost(Duration.ofMinutes(3))
              .until(
                  () -> h.get(Account.class, NS, name),
                  x ->
                      "3/3".equals(servers(x))
                          && Conditions.isTrue(
                              x.getStatus().getConditions(), ConditionType.PUSHED));
      assertEquals(back.getStatus().getJwt(), held(2, back), name + " is current on server 2");
    }
    assertTrue(revokes(held(2, h.get(Account.class, NS, "a")), leaving));
    assertEquals(
        b.getStatus().getPublicKey(), h.get(Account.class, NS, "b").getStatus().getPublicKey());
  }

  @Test
  void aClusterServerRestartedWithAWipedResolverDirectoryGetsEveryAccountBack() throws Exception {
    h = OperatorHarness.startCluster(client, dir, 3);
    h.create(Fixtures.account(NS, "a"));
    h.create(Fixtures.account(NS, "b"));
    Account a = h.awaitReady(Account.class, NS, "a");
    Account b = h.awaitReady(Account.class, NS, "b");

    h.stopNats(1);
    wipe(h.resolverDir(1));
    h.startNats(1);

    for (Account x : List.of(a, b)) {
      await().atMost(OperatorHarness.WAIT).until(() -> x.getStatus().getJwt().equals(held(1, x)));
    }
  }

  @Test
  void aSingleServerRestartedWithAWipedResolverDirectoryGetsEveryAccountBack() throws Exception {
    h = OperatorHarness.start(client, dir);
    h.create(Fixtures.account(NS, "a"));
    h.create(Fixtures.account(NS, "b"));
    Account a = h.awaitReady(Account.class, NS, "a");
    Account b = h.awaitReady(Account.class, NS, "b");

    await().atMost(OperatorHarness.WAIT).until(() -> h.metrics().sweeps("done") >= 1);
    long sweeps = h.metrics().sweeps("done");
    double pushes = h.metrics().pushes("ok");
    double lookups = h.metrics().lookups("absent") + h.metrics().lookups("current");
    h.stopNats(0);
    wipe(h.resolverDir(0));
    h.startNats(0);

    for (Account x : List.of(a, b)) {
      await().atMost(OperatorHarness.WAIT).until(() -> x.getStatus().getJwt().equals(held(0, x)));
    }
    // Sent back by the sweep after the reconnect, in one batch: no lookup of what the server's
    // list showed it lacks, one push each.
    assertTrue(h.metrics().sweeps("done") > sweeps);
    await().atMost(OperatorHarness.WAIT).until(() -> h.metrics().pushes("ok") >= pushes + 2);
    assertEquals(pushes + 2, h.metrics().pushes("ok"));
    assertEquals(
        lookups, h.metrics().lookups("absent") + h.metrics().lookups("current"), "no lookups");
  }

  /** The JWT server {@code i} stores for the account, or null. */
  private String held(int i, Account a) throws IOException {
    Path file = h.resolverDir(i).resolve(a.getStatus().getPublicKey() + ".jwt");
    return Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII).trim() : null;
  }

  private static String servers(Account a) {
    return a == null || a.getStatus() == null ? null : a.getStatus().getServers();
  }

  private static boolean revokes(String jwt, String userKey) {
    return jwt != null
        && JwtDecoder.decode(jwt).payload().path("nats").path("revocations").has(userKey);
  }

  /**
   * Why the server refused the creds (its error, as jnats hands it to the error listener), or null
   * when it let them in.
   */
  private static String refusal(String url, String creds) throws InterruptedException {
    List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    Options options =
        new Options.Builder()
            .server(url)
            .authHandler(Nats.staticCredentials(creds.getBytes(StandardCharsets.UTF_8)))
            .errorListener(
                new ErrorListener() {
                  @Override
                  public void errorOccurred(Connection conn, String error) {
                    errors.add(error);
                  }
                })
            .maxReconnects(0)
            .connectionTimeout(Duration.ofSeconds(3))
            .build();
    try (Connection c = Nats.connect(options)) {
      return null;
    } catch (IOException e) {
      return errors.isEmpty() ? String.valueOf(e.getMessage()) : String.join("; ", errors);
    }
  }

  private static void wipe(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
