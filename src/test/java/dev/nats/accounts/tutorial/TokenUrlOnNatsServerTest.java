package dev.nats.accounts.tutorial;

import static dev.nats.accounts.testing.NatsRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.nats.PushResult;
import dev.nats.accounts.testing.NatsRequests.Outcome;
import dev.nats.accounts.testing.NatsServerExtension;
import dev.nats.accounts.testing.RawJwt;
import dev.nats.accounts.testing.TestAccount;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What nats-server does with an activation token given as a URL in an account JWT's import: the
 * server of the nats-account-server days fetched it; 2.15 does not. Its jwt library decodes the
 * import's {@code token} as a JWT, so the account JWT fails validation and the push is refused
 * whole. This is why the operator serves tokens for importers to fetch (nsc, scripts, the operator
 * of another cluster) and never writes a URL into an account JWT.
 */
class TokenUrlOnNatsServerTest {
  @RegisterExtension static final NatsServerExtension NATS = new NatsServerExtension();

  @Test
  void anAccountJwtWithATokenUrlIsRefusedWholeTheUrlIsNeverFetchedAndTheOldJwtStays()
      throws Exception {
    TestAccount b = NATS.createAccount(NATS.uniqueName("B"));
    TestAccount a =
        NATS.createAccount(
            NATS.uniqueName("A"),
            c -> c.addExport(Export.service("private.help", "private.help.*").withTokenReq(true)));
    Connection aUser = NATS.connect(a.userCreds("a-user"));
    Dispatcher d =
        aUser.createDispatcher(
            m -> aUser.publish(m.getReplyTo(), ("reply to " + m.getSubject()).getBytes()));
    d.subscribe("private.help.*");
    aUser.flush(Duration.ofSeconds(5));
    String subject = "private.help." + b.pub();
    String token = a.serviceActivation(b.pub(), subject);

    AtomicInteger fetches = new AtomicInteger();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/jwt/v1/activations/",
        x -> {
          fetches.incrementAndGet();
          byte[] body = token.getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    http.start();
    try {
      String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/jwt/v1/activations/H";
      // Embedded, the token works.
      TestAccount embedded =
          NATS.updateAccount(
              b,
              c ->
                  c.addImport(
                      Import.service("private.help", subject, a.pub())
                          .withToken(token)
                          .withLocalSubject("private.help")));
      Connection bUser = NATS.connect(embedded.userCreds("b-user"));
      assertEquals(Outcome.reply("reply to " + subject), request(bUser, "private.help", "x"));

      // The same import with the URL instead (our encoder refuses to write it, so edit it in).
      String withUrl =
          RawJwt.resign(
              NATS.operator().update(embedded, c -> c).jwt(),
              NATS.operatorSigningKey(),
              p -> ((ObjectNode) p.path("nats").path("imports").get(0)).put("token", url));
      PushResult pushed = NATS.push(withUrl);

      assertFalse(pushed.acknowledged(), pushed.toString());
      String refusal = pushed.errors().get(0).message();
      assertTrue(refusal.contains("contains an invalid activation token"), refusal);
      assertEquals(0, fetches.get(), "nats-server 2.15 never fetches the URL");
      assertEquals(Optional.of(embedded.jwt()), NATS.resolver().lookup(b.pub()));
      assertEquals(
          Outcome.reply("reply to " + subject),
          request(bUser, "private.help", "x"),
          "the account JWT in force (embedded token) keeps serving");
    } finally {
      http.stop(0);
    }
  }
}
