package dev.nats.accounts.tutorial;

import static dev.nats.accounts.testing.NatsRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.nats.PushResult;
import dev.nats.accounts.testing.NatsRequests.Outcome;
import dev.nats.accounts.testing.NatsServerExtension;
import dev.nats.accounts.testing.TestAccount;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What nats-server 2.15 does with a cross-account request in flight when an account JWT is updated.
 * Updating the exporter rebuilds its export map, and with it the table that routes replies back to
 * importers: a reply sent after that is lost and the importer's request times out. Updating the
 * importer keeps it. Every signing key rotation of an exporting Account updates its JWT, so a
 * request crossing accounts at that instant can time out however the operator orders its pushes;
 * {@code AccountSigningKeyRotationLiveTest} and docs/operations/key-rotation.md count on this.
 */
class ExporterUpdateDuringARequestTest {
  @RegisterExtension static final NatsServerExtension NATS = new NatsServerExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @Test
  void aReplySentAfterTheExportersJwtIsUpdatedIsLostAndTheImportersRequestTimesOut()
      throws Exception {
    Pair p = pair();
    CompletableFuture<Outcome> asked = askWhileHeld(p);
    // The exporter's JWT again with the same claims (a new iat): the smallest update there is.
    assertPushed(NATS.push(NATS.operator().update(p.a, UnaryOperator.identity()).jwt()));
    p.release.countDown();

    assertEquals(Outcome.TIMEOUT, asked.get(10, TimeUnit.SECONDS));
    assertEquals(
        Outcome.reply("reply"), request(p.bUser, "help", "x", TIMEOUT), "the next request works");
  }

  @Test
  void aReplySentAfterTheImportersJwtIsUpdatedArrives() throws Exception {
    Pair p = pair();
    CompletableFuture<Outcome> asked = askWhileHeld(p);
    assertPushed(NATS.push(NATS.operator().update(p.b, UnaryOperator.identity()).jwt()));
    p.release.countDown();

    assertEquals(Outcome.reply("reply"), asked.get(10, TimeUnit.SECONDS));
  }

  @Test
  void withNoUpdateTheHeldReplyArrives() throws Exception {
    Pair p = pair();
    CompletableFuture<Outcome> asked = askWhileHeld(p);
    p.release.countDown();

    assertEquals(Outcome.reply("reply"), asked.get(10, TimeUnit.SECONDS));
  }

  /** Exporter a answers {@code help}, holding each reply until {@code release}; b imports it. */
  private record Pair(
      TestAccount a,
      TestAccount b,
      Connection bUser,
      CountDownLatch held,
      CountDownLatch release) {}

  private static Pair pair() throws Exception {
    TestAccount a =
        NATS.createAccount(NATS.uniqueName("A"), c -> c.addExport(Export.service("help", "help")));
    TestAccount b =
        NATS.createAccount(
            NATS.uniqueName("B"), c -> c.addImport(Import.service("help", "help", a.pub())));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Connection aUser = NATS.connect(a.userCreds("a-user"));
    aUser
        .createDispatcher(
            (Message m) -> {
              held.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              aUser.publish(m.getReplyTo(), "reply".getBytes());
            })
        .subscribe("help");
    aUser.flush(Duration.ofSeconds(5));
    return new Pair(a, b, NATS.connect(b.userCreds("b-user")), held, release);
  }

  /** Sends b's request and returns once a's responder holds it. */
  private static CompletableFuture<Outcome> askWhileHeld(Pair p) throws InterruptedException {
    CompletableFuture<Outcome> asked =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return request(p.bUser, "help", "x", TIMEOUT);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(p.held.await(10, TimeUnit.SECONDS), "a's responder got b's request");
    return asked;
  }

  private static void assertPushed(PushResult pushed) {
    assertTrue(pushed.acknowledged(), pushed.toString());
  }
}
