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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The resolver protocol against a real nats-server 2.9 with a full resolver. */
class ResolverClientTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void operatorJwtAndPreloadedSystemAccountStartTheServer() {
        ResolverClient resolver = NATS.resolver();
        String sys = NATS.operator().system().pub();
        assertEquals(Optional.of(NATS.operator().system().jwt()), resolver.lookup(sys));
        assertTrue(resolver.list().contains(sys));
        assertEquals(Connection.Status.CONNECTED, NATS.systemConnection().getStatus());
        assertTrue(NATS.server().logTail().contains("Trusted Operators"), NATS.server().logTail(30));
    }

    @Test
    void pushIsAcknowledgedByTheServerWeTalkTo() {
        TestAccount a = NATS.operator().newAccount(NATS.uniqueName("push"), b -> b);
        PushResult result = NATS.resolver().push(a.jwt());

        assertTrue(result.allAcknowledged(), result.toString());
        assertEquals(1, result.replies().size());
        ServerReply reply = result.replies().get(0);
        assertEquals(200, reply.code());
        assertEquals("jwt updated", reply.message());
        assertEquals(NATS.systemConnection().getServerInfo().getServerId(), reply.serverId());
        assertEquals("test-nats", reply.serverName());
        assertEquals(Optional.of(a.jwt()), NATS.resolver().lookup(a.pub()));
        assertTrue(NATS.resolver().list().contains(a.pub()));
    }

    @Test
    void aUserConnectsWithOurCreds() throws Exception {
        TestAccount a = NATS.createAccount(NATS.uniqueName("conn"));
        Connection c = NATS.connect(a.userCreds("u1"));
        assertEquals(Connection.Status.CONNECTED, c.getStatus());
        var sub = c.subscribe("hello");
        c.publish("hello", "world".getBytes(StandardCharsets.UTF_8));
        assertEquals("world", new String(sub.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
    }

    @Test
    void aTamperedSignatureIsRefused() {
        TestAccount a = NATS.operator().newAccount(NATS.uniqueName("tampered"), b -> b);
        String jwt = a.jwt();
        int dot = jwt.lastIndexOf('.');
        String sig = jwt.substring(dot + 1);
        char flipped = sig.charAt(5) == 'A' ? 'B' : 'A';
        String bad = jwt.substring(0, dot + 1) + sig.substring(0, 5) + flipped + sig.substring(6);

        PushResult result = NATS.resolver().push(bad);

        assertFalse(result.acknowledged());
        assertEquals(1, result.errors().size());
        ServerReply error = result.errors().get(0);
        assertEquals(500, error.code());
        assertTrue(error.message().contains("signature"), error.message());
        assertEquals(Optional.empty(), new ResolverClient(NATS.systemConnection(), 1, Duration.ofMillis(300))
                .lookup(a.pub()));
    }

    @Test
    void deleteRemovesTheAccountAndDisconnectsItsUsers() throws Exception {
        TestAccount d = NATS.createAccount(NATS.uniqueName("doomed"));
        String creds = d.userCreds("u");
        Connection c = NATS.connect(creds);

        PushResult result = NATS.resolver().delete(NATS.operator().deleteRequest(d.pub()));

        assertTrue(result.allAcknowledged(), result.toString());
        assertEquals("deleted 1 accounts", result.replies().get(0).message());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> c.getStatus() == Connection.Status.CLOSED);
        assertTrue(NATS.connectionRefusal(creds).contains("Authorization Violation"));
        assertFalse(NATS.resolver().list().contains(d.pub()));
    }

    @Test
    void deletingTheSystemAccountIsRefused() {
        PushResult result = NATS.resolver().delete(NATS.operator().deleteRequest(NATS.operator().system().pub()));
        assertFalse(result.acknowledged());
        assertTrue(result.errors().get(0).message().contains("not allowed to delete system account"),
                result.toString());
    }

    @Test
    void lookupOfAnUnknownAccountIsEmptyAfterTheTimeout() {
        ResolverClient quick = new ResolverClient(NATS.systemConnection(), 1, Duration.ofMillis(300));
        String unknown = NATS.operator().newAccount("never-pushed", b -> b).pub();
        assertEquals(Optional.empty(), quick.lookup(unknown));
    }

    @Test
    void expectingMoreServersThanExistLeavesThemMissing() {
        ResolverClient two = new ResolverClient(NATS.systemConnection(), 2, Duration.ofMillis(500));
        PushResult result = two.push(NATS.operator().newAccount(NATS.uniqueName("two"), b -> b).jwt());
        assertTrue(result.acknowledged(), result.toString());
        assertFalse(result.allAcknowledged());
        assertEquals(1, result.missing());
    }

    @Test
    void lookupRejectsSomethingThatIsNotAnAccountKey() {
        assertThrows(IllegalArgumentException.class, () -> NATS.resolver().lookup("A.>"));
    }
}
