package dev.nats.accounts.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.testing.NatsServerExtension;
import dev.nats.accounts.testing.TestAccount;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The resolver protocol (push, lookup, list, delete) against a real nats-server with a full
 * resolver: the current one here, Debian's 2.9.10 in {@link ResolverClientOldestServerTest}. Both
 * must answer alike.
 */
class ResolverClientTest {

  @RegisterExtension static final NatsServerExtension CURRENT = new NatsServerExtension();

  /**
   * The server these tests talk to; the subclass for the oldest supported version returns its own.
   */
  NatsServerExtension nats() {
    return CURRENT;
  }

  @Test
  void operatorJwtAndPreloadedSystemAccountStartTheServer() {
    ResolverClient resolver = nats().resolver();
    String sys = nats().operator().system().pub();
    assertEquals(Optional.of(nats().operator().system().jwt()), resolver.lookup(sys));
    assertTrue(resolver.list().contains(sys));
    assertEquals(Connection.Status.CONNECTED, nats().systemConnection().getStatus());
    assertTrue(
        nats().server().logTail().contains("Trusted Operators"), nats().server().logTail(30));
  }

  @Test
  void everyServerSaysWhichOperatorSigningKeysItTrusts() {
    String signingKey = nats().operatorSigningKey().publicKey();
    var trust = nats().resolver().trust(nats().operator().identity().publicKey());
    assertEquals(1, trust.size(), trust.toString());
    assertEquals("test-nats", trust.get(0).server());
    assertTrue(trust.get(0).signingKeys().contains(signingKey), trust.toString());
    assertTrue(
        nats().resolver().trust("ONOTOURS").get(0).signingKeys().isEmpty(),
        "another operator's keys are not ours");
  }

  @Test
  void pushIsAcknowledgedByTheServerWeTalkTo() {
    TestAccount a = nats().operator().newAccount(nats().uniqueName("push"), b -> b);
    PushResult result = nats().resolver().push(a.jwt());

    assertTrue(result.allAcknowledged(), result.toString());
    assertEquals(1, result.replies().size());
    ServerReply reply = result.replies().get(0);
    assertEquals(200, reply.code());
    assertEquals("jwt updated", reply.message());
    assertEquals(nats().systemConnection().getServerInfo().getServerId(), reply.serverId());
    assertEquals("test-nats", reply.serverName());
    assertEquals(Optional.of(a.jwt()), nats().resolver().lookup(a.pub()));
    assertTrue(nats().resolver().list().contains(a.pub()));
  }

  @Test
  void aUserConnectsWithOurCreds() throws Exception {
    TestAccount a = nats().createAccount(nats().uniqueName("conn"));
    Connection c = nats().connect(a.userCreds("u1"));
    assertEquals(Connection.Status.CONNECTED, c.getStatus());
    var sub = c.subscribe("hello");
    c.publish("hello", "world".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "world",
        new String(sub.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
  }

  @Test
  void aTamperedSignatureIsRefused() {
    TestAccount a = nats().operator().newAccount(nats().uniqueName("tampered"), b -> b);
    String jwt = a.jwt();
    int dot = jwt.lastIndexOf('.');
    String sig = jwt.substring(dot + 1);
    char flipped = sig.charAt(5) == 'A' ? 'B' : 'A';
    String bad = jwt.substring(0, dot + 1) + sig.substring(0, 5) + flipped + sig.substring(6);

    PushResult result = nats().resolver().push(bad);

    assertFalse(result.acknowledged());
    assertEquals(1, result.errors().size());
    ServerReply error = result.errors().get(0);
    assertEquals(500, error.code());
    assertTrue(error.message().contains("signature"), error.message());
    assertEquals(
        Optional.empty(),
        new ResolverClient(nats().systemConnection(), 1, Duration.ofMillis(300)).lookup(a.pub()));
  }

  @Test
  void deleteRemovesTheAccountAndDisconnectsItsUsers() throws Exception {
    TestAccount d = nats().createAccount(nats().uniqueName("doomed"));
    String creds = d.userCreds("u");
    Connection c = nats().connect(creds);

    PushResult result = nats().resolver().delete(nats().operator().deleteRequest(d.pub()));

    assertTrue(result.allAcknowledged(), result.toString());
    assertEquals("deleted 1 accounts", result.replies().get(0).message());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> c.getStatus() == Connection.Status.CLOSED);
    assertTrue(nats().connectionRefusal(creds).contains("Authorization Violation"));
    assertFalse(nats().resolver().list().contains(d.pub()));
  }

  @Test
  void deletingTheSystemAccountIsRefused() {
    PushResult result =
        nats().resolver().delete(nats().operator().deleteRequest(nats().operator().system().pub()));
    assertFalse(result.acknowledged());
    assertTrue(
        result.errors().get(0).message().contains("not allowed to delete system account"),
        result.toString());
  }

  @Test
  void lookupOfAnUnknownAccountIsEmptyAfterTheTimeout() {
    ResolverClient quick = new ResolverClient(nats().systemConnection(), 1, Duration.ofMillis(300));
    String unknown = nats().operator().newAccount("never-pushed", b -> b).pub();
    assertEquals(Optional.empty(), quick.lookup(unknown));
  }

  @Test
  void expectingMoreServersThanExistLeavesThemMissing() {
    ResolverClient two = new ResolverClient(nats().systemConnection(), 2, Duration.ofMillis(500));
    PushResult result =
        two.push(nats().operator().newAccount(nats().uniqueName("two"), b -> b).jwt());
    assertTrue(result.acknowledged(), result.toString());
    assertFalse(result.allAcknowledged());
    assertEquals(1, result.missing());
  }

  @Test
  void lookupRejectsSomethingThatIsNotAnAccountKey() {
    assertThrows(IllegalArgumentException.class, () -> nats().resolver().lookup("A.>"));
  }

  @Test
  void manyPushesAtOnceAreEachAnsweredAndLookedUpInTheirOrder() {
    List<TestAccount> accounts = new ArrayList<>();
    for (int i = 0; i < ResolverClient.WINDOW + 44; i++) {
      accounts.add(nats().operator().newAccount(nats().uniqueName("batch" + i), b -> b));
    }

    List<ResolverClient.Answered<PushResult>> pushed =
        nats().resolver().pushAll(accounts.stream().map(TestAccount::jwt).toList());

    assertEquals(accounts.size(), pushed.size());
    for (ResolverClient.Answered<PushResult> p : pushed) {
      assertTrue(p.result().allAcknowledged(), p.toString());
      assertEquals("jwt updated", p.result().replies().get(0).message());
    }
    List<Optional<String>> held =
        nats().resolver().lookupEach(accounts.stream().map(TestAccount::pub).toList());
    for (int i = 0; i < accounts.size(); i++) {
      assertEquals(Optional.of(accounts.get(i).jwt()), held.get(i), "answer " + i + " in order");
    }
    assertEquals(List.of(), nats().resolver().pushAll(List.of()));
  }

  /**
   * Long enough for a loaded machine to answer a window of pushes from the one server there is: the
   * test is about the second server that never answers.
   */
  private static final Duration WAIT = Duration.ofSeconds(2);

  @Test
  void aBatchWhoseAnswersStayIncompleteStopsAfterOneWindowAndTheTimeout() {
    ResolverClient two = new ResolverClient(nats().systemConnection(), 2, WAIT);
    List<String> jwts = new ArrayList<>();
    for (int i = 0; i < ResolverClient.WINDOW + 10; i++) {
      jwts.add(nats().operator().newAccount(nats().uniqueName("half" + i), b -> b).jwt());
    }

    List<ResolverClient.Answered<PushResult>> pushed = two.pushAll(jwts);

    for (int i = 0; i < ResolverClient.WINDOW; i++) {
      PushResult r = pushed.get(i).result();
      assertTrue(r.acknowledged() && !r.allAcknowledged(), i + ": " + r);
      assertEquals(1, r.missing());
      assertTrue(pushed.get(i).took().compareTo(WAIT) >= 0, "waited for");
    }
    for (int i = ResolverClient.WINDOW; i < jwts.size(); i++) {
      assertEquals(List.of(), pushed.get(i).result().replies(), "never sent: no window left");
      assertEquals(Duration.ZERO, pushed.get(i).took());
    }
  }
}
