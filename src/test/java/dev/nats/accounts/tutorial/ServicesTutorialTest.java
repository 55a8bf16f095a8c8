package dev.nats.accounts.tutorial;

import static dev.nats.accounts.testing.NatsRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.nats.PushResult;
import dev.nats.accounts.nats.ServerReply;
import dev.nats.accounts.testing.NatsRequests.Outcome;
import dev.nats.accounts.testing.NatsServerExtension;
import dev.nats.accounts.testing.RawJwt;
import dev.nats.accounts.testing.TestAccount;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The nsc "Services" tutorial (public service {@code help}, private service {@code private.help.*}
 * with an activation token), reproduced with our own JWTs against a real nats-server. Each test
 * gets fresh accounts on the shared server.
 */
class ServicesTutorialTest {

  /** Debug logging: refused imports are only visible as DBG lines. */
  @RegisterExtension static final NatsServerExtension NATS = new NatsServerExtension(true);

  TestAccount a;
  TestAccount b;

  /** Subjects A's private responder was reached on, as seen inside account A. */
  final List<String> privateSubjectsSeenByA = new CopyOnWriteArrayList<>();

  @BeforeEach
  void accountsAndResponders() throws Exception {
    // B exists first (as in the tutorial): A needs B's public key to sign B's activation.
    b = NATS.createAccount(NATS.uniqueName("B"));
    a =
        NATS.createAccount(
            NATS.uniqueName("A"),
            c ->
                c.addExport(Export.service("help", "help"))
                    .addExport(
                        Export.service("private.help", "private.help.*").withTokenReq(true)));
    Connection aUser = NATS.connect(a.userCreds("a-user"));
    Dispatcher d = aUser.createDispatcher(m -> {});
    d.subscribe("help", m -> aUser.publish(m.getReplyTo(), bytes("I will help")));
    d.subscribe(
        "private.help.*",
        m -> {
          privateSubjectsSeenByA.add(m.getSubject());
          aUser.publish(m.getReplyTo(), bytes("help is here"));
        });
    aUser.flush(Duration.ofSeconds(5));
  }

  /** B imports the public service and, with A's activation, the private one under a local name. */
  private void importerB() {
    String token = a.serviceActivation(b.pub(), "private.help." + b.pub());
    b =
        NATS.updateAccount(
            b,
            c ->
                c.addImport(Import.service("help", "help", a.pub()))
                    .addImport(
                        Import.service("private.help", "private.help." + b.pub(), a.pub())
                            .withToken(token)
                            .withLocalSubject("private.help")));
  }

  @Test
  void publicServiceHelpIsAnsweredAcrossAccounts() throws Exception {
    importerB();
    Connection bUser = NATS.connect(b.userCreds("b-user"));

    assertEquals(Outcome.reply("I will help"), request(bUser, "help", "me"));
  }

  @Test
  void privateServiceNeedsTheActivationAndMapsTheLocalSubject() throws Exception {
    importerB();
    Connection bUser = NATS.connect(b.userCreds("b-user"));

    assertEquals(Outcome.reply("help is here"), request(bUser, "private.help", "me"));
    assertEquals(List.of("private.help." + b.pub()), privateSubjectsSeenByA);
    // Only the local subject is mapped into B.
    assertEquals(Outcome.NO_RESPONDERS, request(bUser, "private.help." + b.pub(), "me"));
  }

  @Test
  void anImportWithoutTokenIsStoredButNotWired() throws Exception {
    importerB();
    String cName = NATS.uniqueName("C");
    TestAccount bare = NATS.operator().newAccount(cName, x -> x);
    String cPub = bare.pub();
    TestAccount c =
        NATS.operator()
            .update(
                bare,
                x ->
                    x.addImport(
                        Import.service("private.help", "private.help." + cPub, a.pub())
                            .withLocalSubject("private.help")));

    PushResult result = NATS.push(c.jwt());

    // The resolver accepts it (200): only the wiring refuses it, at DBG level (pitfall N5).
    assertTrue(result.allAcknowledged(), result.toString());
    Connection cUser = NATS.connect(c.userCreds("c-user"));
    assertEquals(Outcome.NO_RESPONDERS, request(cUser, "private.help", "me"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                NATS.server().logLines().stream()
                    .anyMatch(
                        l -> l.contains(cPub) && l.contains("service import not authorized")));
    assertFalse(privateSubjectsSeenByA.contains("private.help." + c.pub()));
  }

  @Test
  void anImportUsingSomeoneElsesTokenIsRefused() throws Exception {
    importerB();
    TestAccount c = NATS.createAccount(NATS.uniqueName("C"));
    String bToken =
        b.claims().imports().stream()
            .filter(i -> i.token() != null)
            .findFirst()
            .orElseThrow()
            .token();
    // Our encoder refuses to sign this import, so build the JWT by hand as a careless issuer would.
    String stolen =
        RawJwt.resign(
            c.jwt(),
            NATS.operatorSigningKey(),
            payload -> {
              ObjectNode imp = ((ObjectNode) payload.get("nats")).putArray("imports").addObject();
              imp.put("name", "private.help");
              imp.put("subject", "private.help." + b.pub());
              imp.put("account", a.pub());
              imp.put("token", bToken);
              imp.put("local_subject", "private.help");
              imp.put("type", "service");
            });

    PushResult result = NATS.push(stolen);

    assertFalse(result.acknowledged(), result.toString());
    ServerReply error = result.errors().get(0);
    assertEquals(500, error.code());
    assertTrue(error.message().startsWith("jwt validation failed"), error.message());
    assertTrue(error.message().contains("activation token doesn't match account"), error.message());
    Connection cUser = NATS.connect(c.userCreds("c-user"));
    assertEquals(Outcome.NO_RESPONDERS, request(cUser, "private.help", "me"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
