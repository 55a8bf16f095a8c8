package dev.nats.accounts.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.JwtDecoder;
import io.nats.client.Connection;
import java.nio.file.Path;

/**
 * The nsc Services tutorial (shared/seed) as the manifests in examples/seed-tutorial, applied and
 * checked: each tutorial step is a resource, and the requests at the end are the tutorial's own.
 * Shared by the mock and the real-API-server runs so both check exactly the same things.
 */
public final class SeedTutorial {
  private SeedTutorial() {}

  /** The namespaces the example manifests use (a real API server needs them to exist). */
  public static final String[] NAMESPACES = {"nats", "tenant-a", "tenant-b"};

  /**
   * Applies examples/seed-tutorial (except the Operator, the harness has its own) and checks the
   * outcome.
   */
  public static void applyAndVerify(OperatorHarness h) throws Exception {
    h.applyManifests(Crds.projectRoot().resolve(Path.of("examples", "seed-tutorial")));
    verify(h);
  }

  /**
   * Waits for every tutorial resource and checks the JWTs, the activation and the two
   * request/replies.
   */
  public static void verify(OperatorHarness h) throws Exception {
    Account a = h.awaitReady(Account.class, "tenant-a", "a");
    Account b = h.awaitReady(Account.class, "tenant-b", "b");
    h.awaitReady(User.class, "tenant-a", "u");
    h.awaitReady(User.class, "tenant-b", "b");
    h.awaitReady(ServiceExport.class, "tenant-a", "help");
    ServiceExport privateHelp = h.awaitReady(ServiceExport.class, "tenant-a", "private-help");
    h.awaitReady(ServiceImport.class, "tenant-b", "help");
    ServiceImport privateImport = h.awaitReady(ServiceImport.class, "tenant-b", "private-help");
    a = h.get(Account.class, "tenant-a", "a");
    b = h.get(Account.class, "tenant-b", "b");
    String bKey = b.getStatus().getPublicKey();

    // nsc add export --private: the activation for B is in a Secret, its jti is the status hash ID.
    var activation = privateHelp.getStatus().getActivations().get(0);
    assertEquals(bKey, activation.getPublicKey());
    assertEquals("private.help." + bKey, activation.getSubject());
    String token = h.secretValue("tenant-a", activation.getSecretName(), "activation.jwt");
    assertNotNull(token);
    var decoded = JwtDecoder.decode(token);
    assertEquals(activation.getHashId(), decoded.id());
    assertEquals(bKey, decoded.subject());
    assertEquals(activation.getHashId(), privateImport.getStatus().getActivationHashId());
    assertEquals("private.help", privateImport.getStatus().getLocalSubject());
    assertEquals(a.getStatus().getPublicKey(), privateImport.getStatus().getExporterPublicKey());

    // The account JWTs hold what nsc describe shows: A's two exports, B's two imports.
    var aJwt = JwtDecoder.decode(a.getStatus().getJwt()).payload().path("nats");
    assertEquals(2, aJwt.path("exports").size());
    var bJwt = JwtDecoder.decode(b.getStatus().getJwt()).payload().path("nats");
    assertEquals(2, bJwt.path("imports").size());

    // nsc reply / nsc req.
    try (Connection responder =
            h.connect(h.secretValue("tenant-a", "u-creds", "user.creds"), null);
        Connection requester =
            h.connect(h.secretValue("tenant-b", "b-creds", "user.creds"), null)) {
      Clients.respond(responder, "help", "I will help");
      Clients.respond(responder, "private.help.*", "help is here");
      assertEquals(
          NatsRequests.Outcome.reply("I will help"), NatsRequests.request(requester, "help", "me"));
      assertEquals(
          NatsRequests.Outcome.reply("help is here"),
          NatsRequests.request(requester, "private.help", "help_me"));
      // Only the local subject is mapped, as in the tutorial.
      assertEquals(
          NatsRequests.Outcome.NO_RESPONDERS,
          NatsRequests.request(requester, "private.help." + bKey, "x"));
    }
  }
}
