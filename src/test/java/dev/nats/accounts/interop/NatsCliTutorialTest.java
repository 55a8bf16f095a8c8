package dev.nats.accounts.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.testing.Cli;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.TestBed;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests at the end of the nsc Services tutorial (shared/seed), typed with the real nats CLI
 * (tools/versions.env NATSCLI_VERSION) instead of {@code nsc reply}/{@code nsc req}: the creds come
 * from the Secrets the operator wrote for the examples/seed-tutorial manifests, nats-server is the
 * real one.
 *
 * <p>{@code nats reply --count 1} answers one request and ends by itself; natscli v0.5.0 ends
 * {@code reply} with {@code log.Fatalf("Exiting")}, so its exit code is 1 even then, and the test
 * reads its output instead. {@code nats req} exits 0 on "No responders are available" as well: the
 * outcome is in the text.
 */
@EnableKubernetesMockClient(crud = true)
class NatsCliTutorialTest {
  private static final Duration STEP = Duration.ofSeconds(30);

  KubernetesClient client;
  @TempDir Path dir;
  OperatorHarness h;
  Path uCreds;
  Path bCreds;
  String bKey;

  @BeforeEach
  void start() throws Exception {
    h = OperatorHarness.start(client, dir.resolve("k8s"));
    h.applyManifests(Crds.projectRoot().resolve(Path.of("examples", "seed-tutorial")));
    h.awaitReady(Account.class, "tenant-a", "a");
    bKey = h.awaitReady(Account.class, "tenant-b", "b").getStatus().getPublicKey();
    h.awaitReady(User.class, "tenant-a", "u");
    h.awaitReady(User.class, "tenant-b", "b");
    h.awaitReady(ServiceImport.class, "tenant-b", "help");
    h.awaitReady(ServiceImport.class, "tenant-b", "private-help");
    // the tutorial's ~/.nkeys/creds/O/A/U.creds and ~/.nkeys/creds/O/B/b.creds, from the creds
    // Secrets
    uCreds = Cli.writePrivate(dir.resolve("creds/U.creds"), secret("tenant-a", "u-creds"));
    bCreds = Cli.writePrivate(dir.resolve("creds/b.creds"), secret("tenant-b", "b-creds"));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void natsReplyAndNatsReqServeTheTutorialsPublicService() throws Exception {
    // > nats reply --creds U.creds help "I will help"
    try (Cli.Background reply =
        nats(uCreds, "reply", "--count", "1", "help", "I will help").start()) {
      reply.awaitOutput("Listening on \"help\"", STEP);

      // > nats req --creds b.creds help me
      Cli.Result req = nats(bCreds, "req", "help", "me").run().assertOk();
      assertEquals(
          List.of("I will help"), bodyLines(req), "the reply, as nats req prints it: " + req);
      assertTrue(req.stderr().contains("Received with rtt"), req.toString());

      Cli.Result served = reply.awaitExit(STEP);
      assertTrue(served.output().contains("Received on subject \"help\""), served.toString());
      assertTrue(
          served.stdout().lines().anyMatch("me"::equals), "the request body reached A: " + served);
    }
  }

  @Test
  void natsReplyAndNatsReqServeTheTutorialsPrivateService() throws Exception {
    // > nats reply --creds U.creds "private.help.*" "help is here"
    try (Cli.Background reply =
        nats(uCreds, "reply", "--count", "1", "private.help.*", "help is here").start()) {
      reply.awaitOutput("Listening on \"private.help.*\"", STEP);

      // > nats req --creds b.creds private.help help_me
      Cli.Result req = nats(bCreds, "req", "private.help", "help_me").run().assertOk();
      assertEquals(
          List.of("help is here"), bodyLines(req), "the reply, as nats req prints it: " + req);

      // The request B sent on its local subject reaches A on the subject the activation granted.
      Cli.Result served = reply.awaitExit(STEP);
      assertTrue(
          served.output().contains("Received on subject \"private.help." + bKey + "\""),
          served.toString());
      assertTrue(served.stdout().lines().anyMatch("help_me"::equals), served.toString());
    }

    // Only the local subject is mapped, as in the tutorial: B has no import on the remote subject.
    try (Cli.Background reply =
        nats(uCreds, "reply", "--count", "1", "private.help.*", "help is here").start()) {
      reply.awaitOutput("Listening on", STEP);
      Cli.Result direct = nats(bCreds, "req", "private.help." + bKey, "x").run();
      assertTrue(direct.output().contains("No responders are available"), direct.toString());
      assertEquals(List.of(), bodyLines(direct), direct.toString());
      assertTrue(reply.isAlive(), "the responder got nothing: " + reply.output());
      assertFalse(reply.output().contains("Received on subject"), reply.output());
    }
  }

  /**
   * {@code nats --creds FILE -s URL ARGS}, on a home of its own (no contexts), bounded by {@link
   * #STEP}.
   */
  private Cli.Command nats(Path creds, Object... args) {
    List<Object> all =
        new ArrayList<>(
            List.of("--no-context", "-s", h.url(), "--creds", creds, "--timeout", "5s"));
    all.addAll(List.of(args));
    return Cli.command(TestBed.tool("nats"), all.toArray()).home(dir.resolve("home")).timeout(STEP);
  }

  /**
   * What nats req printed on stdout (the reply bodies; its log lines go to stderr), blank lines
   * dropped.
   */
  private static List<String> bodyLines(Cli.Result r) {
    return r.stdout().lines().filter(l -> !l.isBlank()).toList();
  }

  private String secret(String ns, String name) {
    String creds = h.secretValue(ns, name, "user.creds");
    assertNotNull(creds, "Secret " + ns + "/" + name);
    return creds;
  }
}
