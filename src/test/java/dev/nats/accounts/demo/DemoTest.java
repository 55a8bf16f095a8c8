package dev.nats.accounts.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, in process: the mock API, the real operator and a real nats-server, driven
 * exactly as {@code java -jar … demo} drives them; only the console is captured.
 */
class DemoTest {
  private static final Duration RUN = Duration.ofSeconds(60);

  @TempDir Path out;

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @Test
  void basicSetIsReadyAndOutHoldsEveryResourceSecretTheUrlAndTheSummary() throws Exception {
    AtomicReference<Set<String>> expectedFiles = new AtomicReference<>();
    AtomicReference<Map<String, byte[]>> workerCredsInApi = new AtomicReference<>();
    AtomicReference<String> roundTrip = new AtomicReference<>();
    AtomicReference<Demo.Running> seen = new AtomicReference<>();

    int code =
        demo(
            running -> {
              seen.set(running);
              expectedFiles.set(expectedOutFiles(running.client()));
              workerCredsInApi.set(
                  Demo.secretBytes(
                      running
                          .client()
                          .secrets()
                          .inNamespace("tenant-app")
                          .withName("worker-creds")
                          .get()));
              // The creds and the URL as a user finds them in OUT, against the server that is still
              // up.
              String url = Files.readString(out.resolve("nats-url")).trim();
              Path creds = out.resolve("secrets/tenant-app/worker-creds/user.creds");
              roundTrip.set(echo(url, creds));
            },
            "--manifests",
            set("basic"),
            "--out",
            out.toString());

    String printed = console.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);

    // OUT layout: exactly one file per custom resource and per Secret entry, plus nats-url and
    // summary.txt.
    assertEquals(expectedFiles.get(), filesUnder(out), printed);
    assertTrue(
        expectedFiles
            .get()
            .containsAll(
                List.of(
                    "resources/operator/nats/demo.yaml",
                    "resources/account/tenant-app/app.yaml",
                    "resources/user/tenant-app/worker.yaml",
                    "secrets/tenant-app/worker-creds/user.creds",
                    "secrets/tenant-app/app-account-keys/identity",
                    "secrets/nats/demo-system-creds/user.creds")),
        expectedFiles.get().toString());
    for (Map.Entry<String, byte[]> e : workerCredsInApi.get().entrySet()) {
      assertArrayEquals(
          e.getValue(),
          Files.readAllBytes(out.resolve("secrets/tenant-app/worker-creds").resolve(e.getKey())),
          "decoded bytes of " + e.getKey());
    }

    assertEquals(
        PosixFilePermissions.fromString("rwx------"),
        Files.getPosixFilePermissions(out.resolve("secrets")),
        "OUT/secrets holds seeds: owner only");

    Map<?, ?> user =
        new YAMLMapper()
            .readValue(out.resolve("resources/user/tenant-app/worker.yaml").toFile(), Map.class);
    assertEquals("User", user.get("kind"));
    Map<?, ?> status = (Map<?, ?>) user.get("status");
    assertNotNull(status, "the resource is written with its status");
    String userKey = (String) status.get("publicKey");
    assertTrue(userKey.startsWith("U"), userKey);

    assertEquals(seen.get().natsUrl() + "\n", Files.readString(out.resolve("nats-url")));
    assertEquals("connected as " + userKey + ": hello", roundTrip.get());

    // summary.txt is the printed table: header plus one Ready row per resource, with its key.
    String summary = Files.readString(out.resolve("summary.txt"));
    assertTrue(printed.contains("\n" + summary), printed);
    List<String> rows = summary.lines().toList();
    assertEquals(4, rows.size(), summary);
    assertTrue(rows.get(0).startsWith("KIND") && rows.get(0).contains("PUBLIC KEY"), rows.get(0));
    assertTrue(
        rows.get(1).matches("Operator +nats +demo +True +Reconciled +O[A-Z2-7]{55}"), rows.get(1));
    assertTrue(
        rows.get(2).matches("Account +tenant-app +app +True +Reconciled +A[A-Z2-7]{55}"),
        rows.get(2));
    assertTrue(
        rows.get(3).matches("User +tenant-app +worker +True +Reconciled +" + userKey), rows.get(3));

    // Progress is shown as it happens, and the missing Operator was created.
    assertTrue(
        printed.contains("no Operator in " + set("basic") + ": creating Operator nats/demo"),
        printed);
    assertTrue(printed.contains("] User tenant-app/worker: Ready=True (Reconciled)\n"), printed);
    assertTrue(printed.contains("] Account tenant-app/app: Ready=True (Reconciled)\n"), printed);
    assertFalse(printed.contains("NOT READY"), printed);

    assertFalse(seen.get().natsServer().isAlive(), "the demo stops its nats-server when it ends");
  }

  @Test
  void anInvalidReferenceExitsOneNamingTheResourceAndItsReason() throws Exception {
    int code =
        demo(
            running -> {},
            "--manifests",
            set("missing-account"),
            "--out",
            out.toString(),
            "--timeout",
            "10s");

    String printed = console.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, printed);
    List<String> listed = notReady(printed);
    assertEquals(1, listed.size(), printed);
    assertTrue(
        listed.get(0).startsWith("  User tenant-app/orphan: AccountNotFound"), listed.get(0));
    assertTrue(
        listed.get(0).contains("no-such-account"),
        "the message names the missing Account: " + listed.get(0));
    assertTrue(
        Files.readString(out.resolve("summary.txt"))
            .lines()
            .anyMatch(l -> l.matches("User +tenant-app +orphan +False +AccountNotFound *")),
        printed);
  }

  @Test
  void theSeedTutorialIsReadyAndItsRequestsGetBothReplies() throws Exception {
    int code = demo(running -> {}, "--out", out.toString());

    String printed = console.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);
    String tutorial = printed.substring(printed.indexOf("The tutorial's requests"));
    assertTrue(
        tutorial.matches(
            "(?s).*> nsc req --account B --user b help me\n"
                + "published request: \\[help\\] : 'me'\n.*"
                + "received reply: \\[_INBOX\\.[^]]+\\] : 'I will help'\n.*"),
        tutorial);
    assertTrue(
        tutorial.matches(
            "(?s).*> nsc req --account B --user b private.help help_me\n"
                + "published request: \\[private.help\\] : 'help_me'\n.*"
                + "received reply: \\[_INBOX\\.[^]]+\\] : 'help is here'\n.*"),
        tutorial);
    // The private request reached A on the subject the activation names: private.help.<B's key>.
    String bKey =
        Files.readString(out.resolve("summary.txt"))
            .lines()
            .filter(l -> l.startsWith("Account ") && l.contains(" tenant-b "))
            .map(l -> l.substring(l.lastIndexOf(' ') + 1))
            .findFirst()
            .orElseThrow();
    assertTrue(tutorial.contains("received on [private.help." + bKey + "]: 'help_me'"), tutorial);
    assertEquals(
        10, Files.readString(out.resolve("summary.txt")).lines().count(), "header + 9 resources");
  }

  @Test
  void anImportWithoutAGrantExitsOneNamingThatImportAndNotGranted() throws Exception {
    Path manifests = Files.createDirectories(out.resolve("manifests"));
    try (Stream<Path> s = Files.list(DemoOptions.DEFAULT_MANIFESTS)) {
      for (Path f : s.toList()) {
        Files.copy(f, manifests.resolve(f.getFileName()));
      }
    }
    Files.copy(
        Path.of(set("not-granted")).resolve("30-account-c.yaml"),
        manifests.resolve("30-account-c.yaml"));

    int code = demo(running -> {}, "--manifests", manifests.toString(), "--timeout", "10s");

    String printed = console.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, printed);
    // The import, and the Account holding it (which works without it, and says so); nothing else.
    List<String> listed = notReady(printed);
    assertEquals(2, listed.size(), printed);
    assertTrue(listed.get(0).startsWith("  Account tenant-c/c: ImportsUnresolved"), listed.get(0));
    assertTrue(
        listed.get(1).startsWith("  ServiceImport tenant-c/private-help: NotGranted - "),
        listed.get(1));
    assertTrue(
        listed.get(1).contains("tenant-a/private-help"),
        "the message names the export: " + listed.get(1));
    assertFalse(
        printed.contains("The tutorial's requests"),
        "the requests belong to the tutorial's own manifests");
  }

  @Test
  void keepRunningServesUntilStoppedThenStopsItsNatsServer() throws Exception {
    CompletableFuture<Demo.Running> up = new CompletableFuture<>();
    Demo demo =
        new Demo(
            DemoOptions.parse(
                List.of("--manifests", set("basic"), "--out", out.toString(), "--keep-running")),
            new PrintStream(console, true, StandardCharsets.UTF_8),
            up::complete);
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return demo.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Demo.Running running = up.get(RUN.toSeconds(), TimeUnit.SECONDS);
    try {
      // The observer has returned: without --keep-running the demo would be shutting down now.
      assertTrue(
          echo(running.natsUrl(), out.resolve("secrets/tenant-app/worker-creds/user.creds"))
              .endsWith(": hello"));
      assertFalse(run.isDone(), "the demo keeps running until it is stopped");
      assertTrue(running.natsServer().isAlive());
    } finally {
      demo.stop();
    }
    assertEquals(
        0, run.get(RUN.toSeconds(), TimeUnit.SECONDS), console.toString(StandardCharsets.UTF_8));
    assertFalse(running.natsServer().isAlive(), "stopping the demo stops its nats-server");
    assertTrue(console.toString(StandardCharsets.UTF_8).contains("Ctrl-C to stop"));
  }

  /** The lines of the NOT READY list. */
  private static List<String> notReady(String printed) {
    int at = printed.indexOf("\nNOT READY:\n");
    assertTrue(at >= 0, printed);
    return printed.substring(at + 1).lines().skip(1).takeWhile(l -> l.startsWith("  ")).toList();
  }

  private int demo(Demo.Observer observer, String... args) throws Exception {
    return new Demo(
            DemoOptions.parse(List.of(args)),
            new PrintStream(console, true, StandardCharsets.UTF_8),
            observer)
        .run();
  }

  private static String set(String name) throws URISyntaxException {
    return Path.of(DemoTest.class.getResource("/demo/" + name).toURI()).toString();
  }

  /**
   * Connects with the creds file and sends a message to itself: proof that the server accepts the
   * user.
   */
  private static String echo(String url, Path creds) throws Exception {
    Options o =
        new Options.Builder()
            .server(url)
            .authHandler(Nats.credentials(creds.toString()))
            .maxReconnects(0)
            .connectionTimeout(Duration.ofSeconds(3))
            .build();
    try (Connection c = Nats.connect(o)) {
      Subscription sub = c.subscribe("demo.echo");
      c.publish("demo.echo", "hello".getBytes(StandardCharsets.UTF_8));
      Message m = sub.nextMessage(Duration.ofSeconds(5));
      assertNotNull(m, "no message back from " + url);
      return "connected as "
          + userOf(creds)
          + ": "
          + new String(m.getData(), StandardCharsets.UTF_8);
    }
  }

  private static String userOf(Path creds) throws Exception {
    return dev.nats.accounts.jwt.Creds.parse(Files.readString(creds)).keyPair().publicKey();
  }

  /**
   * What OUT must hold, computed from the API while it is up (not from the operator's naming
   * rules).
   */
  private static Set<String> expectedOutFiles(KubernetesClient client) {
    Set<String> files = new TreeSet<>(List.of("nats-url", "summary.txt"));
    for (String kind : Demo.KINDS) {
      for (GenericKubernetesResource r :
          client
              .genericKubernetesResources(Demo.context(kind))
              .inAnyNamespace()
              .list()
              .getItems()) {
        files.add(
            "resources/"
                + kind.toLowerCase(Locale.ROOT)
                + "/"
                + r.getMetadata().getNamespace()
                + "/"
                + r.getMetadata().getName()
                + ".yaml");
      }
    }
    for (Secret s : client.secrets().inAnyNamespace().list().getItems()) {
      for (String key : Demo.secretBytes(s).keySet()) {
        files.add(
            "secrets/"
                + s.getMetadata().getNamespace()
                + "/"
                + s.getMetadata().getName()
                + "/"
                + key);
      }
    }
    return files;
  }

  private static Set<String> filesUnder(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      List<String> all = new ArrayList<>();
      s.filter(Files::isRegularFile).forEach(p -> all.add(dir.relativize(p).toString()));
      return new TreeSet<>(all);
    }
  }
}
