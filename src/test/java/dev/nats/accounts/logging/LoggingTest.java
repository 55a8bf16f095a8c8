package dev.nats.accounts.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The operator's log output as a log pipeline receives it: the seed tutorial reconciled with
 * LOG_FORMAT=json at the most verbose levels, then every line parsed. Libraries log too (JOSDK,
 * fabric8, jnats), so this is the only way to know that no seed reaches the logs and that reconcile
 * lines carry their resource.
 */
@EnableKubernetesMockClient(crud = true)
class LoggingTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** JOSDK's reconcile and cleanup threads, one pool per controller. */
  static final Pattern RECONCILE_THREAD =
      Pattern.compile(
          "ReconcilerExecutor-(operator|account|user|serviceexport|serviceimport|streamexport|streamimport)-\\d+");

  KubernetesClient client;
  @TempDir Path dir;

  /**
   * Back to logback-test.xml, and java.util.logging to logging.properties (levels and handlers,
   * bridge removed).
   */
  @AfterEach
  void restoreTestLogging() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    new ContextInitializer(ctx).autoConfig();
    java.util.logging.LogManager.getLogManager().readConfiguration();
  }

  @Test
  void aReconcileInJsonCarriesItsResourceAndNoSeed() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Logging.configure(
        LogFormat.JSON,
        Level.TRACE,
        out,
        Map.of(
            // the in-process mock API server and its vert.x: test infrastructure, not the
            // operator's output
            "io.fabric8.mockwebserver",
            Level.INFO,
            "io.vertx",
            Level.INFO,
            "io.netty",
            Level.INFO,
            "io.fabric8.kubernetes.client.server.mock",
            Level.INFO));
    List<Secret> secrets;
    String surfaces;
    try (OperatorHarness h = OperatorHarness.start(client, dir)) {
      SeedTutorial.applyAndVerify(h);
      // A failure that is about a seed: Account b's key Secret now holds a user seed as its
      // identity.
      String wrongSeed = KeyPair.create(KeyType.USER).seed();
      client
          .secrets()
          .inNamespace("tenant-b")
          .withName(Names.accountKeys("b"))
          .edit(
              x -> {
                x.getData()
                    .put(
                        KeySecrets.IDENTITY,
                        Base64.getEncoder()
                            .encodeToString(wrongSeed.getBytes(StandardCharsets.UTF_8)));
                return x;
              });
      h.awaitCondition(
          Account.class,
          "tenant-b",
          "b",
          ConditionType.READY,
          Conditions.FALSE,
          Reason.INVALID_SEED);
      secrets = client.secrets().inAnyNamespace().list().getItems();
      surfaces = surfaces(h);
    }
    String log = out.toString(StandardCharsets.UTF_8);
    Path samples = Files.createDirectories(Path.of("target", "log-samples"));
    Files.writeString(samples.resolve("tutorial-trace.jsonl"), log);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : log.split("\n")) {
      JsonNode node = JSON.readTree(line); // throws if a line is not exactly one JSON object
      assertTrue(node.isObject(), line);
      for (String field : List.of("@timestamp", "level", "logger_name", "thread_name", "message")) {
        assertTrue(node.hasNonNull(field), field + " in " + line);
      }
      lines.add(node);
    }
    assertTrue(lines.size() > 200, "TRACE logging of a whole tutorial: " + lines.size() + " lines");

    List<JsonNode> reconcileLines =
        lines.stream()
            .filter(n -> RECONCILE_THREAD.matcher(n.path("thread_name").asText()).matches())
            .toList();
    assertFalse(reconcileLines.isEmpty(), "lines were written during reconciles");
    for (JsonNode n : reconcileLines) {
      for (String key : List.of("resource.kind", "resource.namespace", "resource.name")) {
        assertTrue(n.hasNonNull(key), key + " missing in a line written during a reconcile: " + n);
      }
    }
    JsonNode signed =
        lines.stream()
            .filter(n -> n.path("message").asText().startsWith("account tenant-a/a: signed"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the Account reconciler logged its signing"));
    assertEquals("Account", signed.path("resource.kind").asText());
    assertEquals("tenant-a", signed.path("resource.namespace").asText());
    assertEquals("a", signed.path("resource.name").asText());

    int seeds = 0;
    for (Secret s : secrets) {
      for (String value : s.getData().values()) {
        String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        var m = Seeds.PATTERN.matcher(decoded);
        while (m.find()) {
          seeds++;
          assertFalse(
              log.contains(m.group()),
              "seed of Secret " + s.getMetadata().getName() + " in the log");
          assertFalse(
              log.contains(value), "Secret " + s.getMetadata().getName() + " data in the log");
        }
      }
    }
    assertTrue(seeds >= 8, "the tutorial's key and creds Secrets hold seeds: " + seeds);
    assertFalse(Seeds.PATTERN.matcher(log).find(), "nothing shaped like a seed in the log");
    assertTrue(
        surfaces.contains("InvalidSeed") && surfaces.contains("nats_operator_jwt_signed_total"),
        "Events, statuses and metrics were read");
    assertFalse(
        Seeds.PATTERN.matcher(surfaces).find(),
        "nothing shaped like a seed in Events, status or metrics");

    Files.writeString(
        samples.resolve("reconcile.jsonl"),
        String.join(
                "\n",
                lines.stream()
                    .filter(n -> n.path("logger_name").asText().startsWith("dev.nats.accounts"))
                    .map(JsonNode::toString)
                    .limit(40)
                    .toList())
            + "\n");
  }

  @Test
  void textIsOneLinePerEventWithTheResourceAndTheCauses() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Logging.configure(LogFormat.TEXT, Level.INFO, out);
    MDC.put("resource.kind", "Account");
    MDC.put("resource.namespace", "tenant-a");
    MDC.put("resource.name", "orders");
    try {
      LoggerFactory.getLogger("dev.nats.accounts.Probe")
          .warn(
              "push failed",
              new IllegalStateException("no reply", new java.io.IOException("timeout\nafter 2s")));
    } finally {
      MDC.clear();
    }
    LoggerFactory.getLogger("dev.nats.accounts.Probe").info("idle");
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, String.join("\n", lines));
    assertTrue(
        lines[0].matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN  Probe - \\[Account tenant-a/orders\\]"
                + " push failed \\(IllegalStateException: no reply; caused by IOException: timeout after 2s\\)"),
        lines[0]);
    assertTrue(lines[1].endsWith(" INFO  Probe - idle"), lines[1]);
  }

  @Test
  void anythingShapedLikeASeedIsMaskedInBothFormats() throws Exception {
    String seed = KeyPair.create(KeyType.ACCOUNT).seed();
    for (LogFormat format : LogFormat.values()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Logging.configure(format, Level.INFO, out);
      LoggerFactory.getLogger("dev.nats.accounts.Probe")
          .error("oops " + seed, new RuntimeException("seed " + seed));
      String text = out.toString(StandardCharsets.UTF_8);
      assertFalse(text.contains(seed), format + ": " + text);
      assertTrue(text.contains(Seeds.MASK), format + ": " + text);
    }
  }

  /**
   * What else a user or a log pipeline sees besides the log: every Event, every resource of the
   * seven kinds (their status included), every ConfigMap, and the metrics.
   */
  private String surfaces(OperatorHarness h) {
    StringBuilder b = new StringBuilder();
    client
        .v1()
        .events()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(e -> b.append(e.getReason()).append(' ').append(e.getMessage()).append('\n'));
    for (Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> kind :
        List.of(
            Operator.class,
            Account.class,
            User.class,
            ServiceExport.class,
            StreamExport.class,
            ServiceImport.class,
            StreamImport.class)) {
      client
          .resources(kind)
          .inAnyNamespace()
          .list()
          .getItems()
          .forEach(
              r ->
                  b.append(io.fabric8.kubernetes.client.utils.Serialization.asJson(r))
                      .append('\n'));
    }
    client
        .configMaps()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(
            c -> b.append(io.fabric8.kubernetes.client.utils.Serialization.asJson(c)).append('\n'));
    b.append(h.metrics().scrape());
    return b.toString();
  }
}
