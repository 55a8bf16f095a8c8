package dev.nats.accounts.packaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.app.OperatorApp;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.Apply;
import dev.nats.accounts.testing.Cli;
import dev.nats.accounts.testing.GeneratedFiles;
import dev.nats.accounts.testing.MockLeaseAccess;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import dev.nats.accounts.testing.TestBed;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alerts evaluated by Prometheus' own rule engine ({@code promtool test rules}) on what
 * the operator really exports.
 *
 * <p>The real operator and nats-server 2.15 run on the CRUD mock API; each fault is made for real
 * (creds that expire in two hours, a deleted key Secret, overlapping exports, an API that refuses
 * status writes, a resolver that never answers, a Lease held by a replica that is gone) and {@code
 * /metrics} is scraped twice, as Prometheus would. Each scrape becomes the input series of a
 * promtool test: gauges hold their value, counters keep growing at the rate seen between the two
 * scrapes, and expiry timestamps are shifted so that promtool's clock (0 at the start) stands where
 * the scrape's clock stood. promtool then checks, forty minutes on, that exactly the expected
 * alerts fire, with their labels and annotations, and that the others stay silent. A metric name or
 * label an alert gets wrong makes it silent here, and the test fails.
 */
@EnableKubernetesMockClient(crud = true)
class AlertRulesTest {
  static final String JOB = "nao-nats-account-operator-metrics";
  static final String NS = HelmChartTest.NAMESPACE;
  static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
  static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
  static final Path OUT =
      dev.nats.accounts.testing.Crds.projectRoot().resolve("target/alert-rules");

  KubernetesClient client;
  KubernetesMockServer server;
  @TempDir Path dir;

  /** Two scrapes of one replica, a few seconds apart, and when the second was taken. */
  record Scrape(String pod, String first, String second, Instant at) {}

  /** An alert expected to fire, with the labels the rule gives it. */
  record Expected(String alert, Map<String, String> labels) {}

  /** What promtool evaluates: the replicas scraped, the alerts expected, the alerts checked. */
  record Scenario(String name, List<Scrape> scrapes, List<Expected> firing, Set<String> checked) {}

  @Test
  void everyAlertFiresOnTheMetricsOfARealRunAndTheOthersStaySilent() throws Exception {
    Path promtool = TestBed.tool("promtool");
    List<JsonNode> rules = ChartMonitoringTest.rules(ChartMonitoringTest.renderWithRule());
    Files.createDirectories(OUT);
    Path rulesFile = OUT.resolve("rules.yaml");
    new YAMLMapper()
        .writeValue(
            rulesFile.toFile(),
            Map.of("groups", List.of(Map.of("name", "nats-account-operator", "rules", rules))));
    Cli.command(promtool, "check", "rules", rulesFile).run().assertOk();

    Set<String> all = new TreeSet<>(ChartMonitoringTest.ALERTS);
    List<Scenario> scenarios = new ArrayList<>();
    grantLeaseAccess();
    try (OperatorHarness h = OperatorHarness.start(client, dir)) {
      SeedTutorial.applyAndVerify(h);
      Apply.yaml(
          client,
          """
          apiVersion: accounts.nats.dev/v1alpha1
          kind: User
          metadata: {name: long-lived, namespace: tenant-a}
          spec: {accountRef: {name: a}, expiresAfter: 8760h}
          ---
          apiVersion: accounts.nats.dev/v1alpha1
          kind: ServiceExport
          metadata: {name: billing, namespace: tenant-a}
          spec:
            accountRef: {name: a}
            subject: "billing.*"
            private: true
            grants: [{account: {name: b, namespace: tenant-b}, expiresAfter: 8760h}]
          """);
      h.awaitReady(User.class, "tenant-a", "long-lived");
      h.awaitReady(ServiceExport.class, "tenant-a", "billing");
      scenarios.add(
          new Scenario(
              "healthy", List.of(scrape(h, "nao-0", "resource_name=\"billing\"")), List.of(), all));

      // Creds and an activation token that expire in two hours: inside the 24 h window.
      Apply.yaml(
          client,
          """
          apiVersion: accounts.nats.dev/v1alpha1
          kind: User
          metadata: {name: short-lived, namespace: tenant-a}
          spec: {accountRef: {name: a}, expiresAfter: 2h}
          ---
          apiVersion: accounts.nats.dev/v1alpha1
          kind: ServiceExport
          metadata: {name: short-lived, namespace: tenant-a}
          spec:
            accountRef: {name: a}
            subject: "short.*"
            private: true
            grants: [{account: {name: b, namespace: tenant-b}, expiresAfter: 2h}]
          """);
      h.awaitReady(User.class, "tenant-a", "short-lived");
      h.awaitReady(ServiceExport.class, "tenant-a", "short-lived");
      String bKey = h.get(Account.class, "tenant-b", "b").getStatus().getPublicKey();
      scenarios.add(
          new Scenario(
              "expiring",
              List.of(scrape(h, "nao-0", "resource_name=\"short-lived\"")),
              List.of(
                  new Expected(
                      "NatsUserCredsExpiringSoon",
                      Map.of("resource_namespace", "tenant-a", "resource_name", "short-lived")),
                  new Expected(
                      "NatsActivationExpiringSoon",
                      Map.of(
                          "kind",
                          "ServiceExport",
                          "resource_namespace",
                          "tenant-a",
                          "resource_name",
                          "short-lived",
                          "grantee",
                          bKey))),
              all));
      client.resources(User.class).inNamespace("tenant-a").withName("short-lived").delete();
      client
          .resources(ServiceExport.class)
          .inNamespace("tenant-a")
          .withName("short-lived")
          .delete();
      awaitScrape(h, s -> !s.contains("resource_name=\"short-lived\""));

      // A key Secret deleted by hand: SeedLost.
      Apply.yaml(
          client,
          """
          apiVersion: accounts.nats.dev/v1alpha1
          kind: Account
          metadata: {name: c, namespace: tenant-c}
          spec: {operatorRef: {name: main, namespace: nats}}
          """);
      h.awaitReady(Account.class, "tenant-c", "c");
      client.secrets().inNamespace("tenant-c").withName(Names.accountKeys("c")).delete();
      h.awaitCondition(
          Account.class, "tenant-c", "c", ConditionType.READY, Conditions.FALSE, Reason.SEED_LOST);
      Map<String, String> c =
          Map.of("kind", "Account", "resource_namespace", "tenant-c", "resource_name", "c");
      scenarios.add(
          new Scenario(
              "seed-lost",
              List.of(scrape(h, "nao-0", "reason=\"SeedLost\"")),
              List.of(
                  new Expected("NatsAccountSeedLost", c),
                  new Expected("NatsAccountResourceNotReady", with(c, "reason", "SeedLost"))),
              all));
      client.resources(Account.class).inNamespace("tenant-c").withName("c").delete();
      awaitScrape(h, s -> !s.contains("reason=\"SeedLost\""));

      // Two service exports of one account whose subjects overlap: the later one is left out.
      Apply.yaml(
          client,
          """
          apiVersion: accounts.nats.dev/v1alpha1
          kind: ServiceExport
          metadata: {name: z-overlap, namespace: tenant-a}
          spec: {accountRef: {name: a}, subject: "private.help.>"}
          """);
      h.awaitCondition(
          ServiceExport.class,
          "tenant-a",
          "z-overlap",
          ConditionType.READY,
          Conditions.FALSE,
          Reason.SUBJECT_OVERLAP);
      Map<String, String> overlap =
          Map.of(
              "kind",
              "ServiceExport",
              "resource_namespace",
              "tenant-a",
              "resource_name",
              "z-overlap",
              "reason",
              "SubjectOverlap");
      scenarios.add(
          new Scenario(
              "conflict",
              List.of(scrape(h, "nao-0", "reason=\"SubjectOverlap\"")),
              List.of(
                  new Expected("NatsAccountConflict", overlap),
                  new Expected("NatsAccountResourceNotReady", overlap)),
              all));
      client.resources(ServiceExport.class).inNamespace("tenant-a").withName("z-overlap").delete();
      awaitScrape(h, s -> !s.contains("reason=\"SubjectOverlap\""));

      // A standby whose Lease is held by a replica that is gone: nobody leads.
      client
          .leases()
          .inNamespace(NS)
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(OperatorSettings.LEASE_NAME)
                  .withNamespace(NS)
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity("nao-gone")
                  .withLeaseDurationSeconds(3600)
                  .withAcquireTime(ZonedDateTime.now())
                  .withRenewTime(ZonedDateTime.now())
                  .withLeaseTransitions(0)
                  .endSpec()
                  .build())
          .create();
      OperatorSettings base = OperatorSettings.forTests();
      OperatorMetrics standbyMetrics = OperatorMetrics.inMemory();
      try (OperatorApp standby =
          OperatorApp.start(client, base.withLeaderElection(NS), standbyMetrics)) {
        await()
            .atMost(OperatorHarness.WAIT)
            .until(() -> standbyMetrics.scrape().contains("resource_name=\"billing\""));
        assertFalse(standbyMetrics.isLeader(), "the Lease is held by another replica");
        Scrape standbyScrape =
            new Scrape("nao-1", standbyMetrics.scrape(), standbyMetrics.scrape(), Instant.now());
        scenarios.add(
            new Scenario(
                "no-leader",
                List.of(standbyScrape),
                List.of(new Expected("NatsAccountOperatorNoLeader", Map.of())),
                all));
        scenarios.add(
            new Scenario(
                "leader-and-standby",
                List.of(scrape(h, "nao-0", "resource_name=\"billing\""), standbyScrape),
                List.of(),
                all));
      }
      scenarios.add(
          new Scenario(
              "nothing-scraped",
              List.of(),
              List.of(
                  new Expected("NatsAccountOperatorNoLeader", Map.of("job", JOB, "namespace", NS))),
              Set.of("NatsAccountOperatorNoLeader")));

      // The API refuses every status write of one Account, as it does when the operator's Role
      // lacks accounts/status: every reconcile ends in an exception (ApiServerError), retried with
      // backoff. A 403, not a 5xx: the client retries a 5xx itself for many seconds before the
      // reconcile even sees it.
      server
          .expect()
          .patch()
          .withPath("/apis/accounts.nats.dev/v1alpha1/namespaces/tenant-e/accounts/e/status")
          .andReturn(
              403,
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":403,"
                  + "\"reason\":\"Forbidden\",\"message\":\"accounts.accounts.nats.dev \\\"e\\\" is forbidden: cannot patch "
                  + "resource \\\"accounts/status\\\"\"}")
          .always();
      Apply.yaml(
          client,
          """
          apiVersion: accounts.nats.dev/v1alpha1
          kind: Account
          metadata: {name: e, namespace: tenant-e}
          spec: {operatorRef: {name: main, namespace: nats}}
          """);
      await()
          .atMost(OperatorHarness.WAIT)
          .until(() -> h.metrics().reconcileErrors("Account", "forbidden") > 0);
      double errors = h.metrics().reconcileErrors("Account", "forbidden");
      String first = h.metrics().scrape();
      await()
          .atMost(OperatorHarness.WAIT)
          .until(() -> h.metrics().reconcileErrors("Account", "forbidden") > errors);
      scenarios.add(
          new Scenario(
              "reconcile-errors",
              List.of(new Scrape("nao-0", first, h.metrics().scrape(), Instant.now())),
              List.of(
                  new Expected("NatsAccountOperatorReconcileErrors", Map.of("kind", "Account"))),
              all));
      client.resources(Account.class).inNamespace("tenant-e").withName("e").delete();
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () -> client.resources(Account.class).inAnyNamespace().list().getItems().size() == 2);

      // A second server that never answers: every push misses one acknowledgement, for every
      // account.
      Operator op = h.get(Operator.class, "nats", "main");
      op.getSpec().setServers(List.of(h.url(), "nats://127.0.0.1:1"));
      h.updateSpec(op);
      List<Expected> notInSync = new ArrayList<>();
      for (Account a : client.resources(Account.class).inAnyNamespace().list().getItems()) {
        h.awaitCondition(
            Account.class,
            a.getMetadata().getNamespace(),
            a.getMetadata().getName(),
            ConditionType.PUSHED,
            Conditions.FALSE,
            Reason.PUSH_FAILED);
        notInSync.add(
            new Expected(
                "NatsAccountNotInSync",
                Map.of(
                    "resource_namespace",
                    a.getMetadata().getNamespace(),
                    "resource_name",
                    a.getMetadata().getName())));
      }
      double failed = h.metrics().pushes("failed");
      String before = h.metrics().scrape();
      await().atMost(OperatorHarness.WAIT).until(() -> h.metrics().pushes("failed") > failed);
      List<Expected> pushing = new ArrayList<>(notInSync);
      pushing.add(new Expected("NatsAccountOperatorPushFailing", Map.of()));
      Set<String> checked = new TreeSet<>(all);
      checked.remove(
          "NatsAccountResourceNotReady"); // which dependants turn Unknown meanwhile is not the
      // point here
      scenarios.add(
          new Scenario(
              "push-failing",
              List.of(new Scrape("nao-0", before, h.metrics().scrape(), Instant.now())),
              pushing,
              checked));
    }

    // Every metric an alert or the dashboard reads is in the scrapes.
    Set<String> exported = new TreeSet<>();
    for (Scenario s : scenarios) {
      for (Scrape sc : s.scrapes()) {
        parse(sc.second()).forEach(x -> exported.add(x.name()));
      }
    }
    Set<String> used = new TreeSet<>();
    rules.forEach(r -> used.addAll(metricNames(r.path("expr").asText())));
    used.addAll(
        metricNames(
            GeneratedFiles.read(
                "charts/nats-account-operator/dashboards/nats-account-operator.json")));
    used.removeIf(exported::contains);
    assertEquals(
        Set.of(),
        used,
        "alerts or dashboard read metrics the operator does not export; exported: " + exported);
    String page = GeneratedFiles.read(ChartMonitoringTest.MONITORING);
    Set<String> undocumented = new TreeSet<>();
    for (String metric : exported) {
      String family = metric.replaceAll("_(count|sum|max)$", "");
      if (family.startsWith("nats_operator_") && !page.contains("| `" + family + "` |")) {
        undocumented.add(family);
      }
    }
    assertEquals(
        Set.of(), undocumented, "metrics " + ChartMonitoringTest.MONITORING + " does not describe");

    Path tests = OUT.resolve("tests.yaml");
    new YAMLMapper().writeValue(tests.toFile(), promtoolTests(rulesFile, rules, scenarios));
    Cli.Result result = Cli.command(promtool, "test", "rules", tests).dir(OUT).run();
    System.out.println(summary(scenarios, rules));
    Files.writeString(OUT.resolve("summary.md"), summary(scenarios, rules));
    result.assertOk();
    assertTrue(result.output().contains("SUCCESS"), result.toString());
  }

  /**
   * Scrapes twice: once when {@code ready} is in the scrape (the status gauges follow within a
   * second), once after.
   */
  private static Scrape scrape(OperatorHarness h, String pod, String ready)
      throws InterruptedException {
    String first = awaitScrape(h, s -> s.contains(ready));
    Thread.sleep(1500);
    return new Scrape(pod, first, h.metrics().scrape(), Instant.now());
  }

  /**
   * Waits until {@code p} holds for the scrape without the status write counter, whose series keep
   * the reasons of statuses written in the past by design (a resource's reason is gone from the
   * status gauges, not from that count).
   */
  private static String awaitScrape(OperatorHarness h, java.util.function.Predicate<String> p) {
    return await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> h.metrics().scrape(), s -> p.test(withoutStatusWriteCounts(s)));
  }

  private static String withoutStatusWriteCounts(String scrape) {
    return scrape
        .lines()
        .filter(l -> !l.startsWith(OperatorMetrics.STATUS_WRITES))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  /** One sample of the Prometheus text format. */
  record Sample(String name, Map<String, String> labels, double value) {
    String series(Map<String, String> target) {
      Map<String, String> l = new TreeMap<>(labels);
      l.putAll(target);
      StringBuilder sb = new StringBuilder(name).append('{');
      l.forEach(
          (k, v) ->
              sb.append(k)
                  .append("=\"")
                  .append(v.replace("\\", "\\\\").replace("\"", "\\\""))
                  .append("\","));
      sb.setLength(sb.length() - 1);
      return sb.append('}').toString();
    }
  }

  static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.strip());
      if (!m.matches()) {
        throw new AssertionError("not a sample: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
      }
      double v = Double.parseDouble(m.group(4));
      if (!Double.isNaN(v) && !Double.isInfinite(v)) {
        out.add(new Sample(m.group(1), labels, v));
      }
    }
    return out;
  }

  /**
   * The promtool unit-test file: one test group per scenario, every checked alert evaluated at 35
   * minutes.
   */
  static Map<String, Object> promtoolTests(
      Path rulesFile, List<JsonNode> rules, List<Scenario> scenarios) {
    List<Object> groups = new ArrayList<>();
    for (Scenario s : scenarios) {
      List<Object> series = new ArrayList<>();
      for (Scrape sc : s.scrapes()) {
        Map<String, String> target =
            Map.of("job", JOB, "namespace", NS, "pod", sc.pod(), "instance", sc.pod() + ":8080");
        Map<String, Double> before = new LinkedHashMap<>();
        parse(sc.first()).forEach(x -> before.put(x.series(target), x.value()));
        for (Sample x : parse(sc.second())) {
          String id = x.series(target);
          String values;
          if (x.name().endsWith("_total")
              || x.name().endsWith("_count")
              || x.name().endsWith("_sum")) {
            double start = before.getOrDefault(id, 0.0);
            values = plain(start) + "+" + plain(Math.max(0, x.value() - start)) + "x40";
          } else if (x.name().endsWith("_timestamp_seconds")) {
            values =
                plain(x.value() - sc.at().getEpochSecond()) + "x40"; // promtool's clock starts at 0
          } else {
            values = plain(x.value()) + "x40";
          }
          series.add(Map.of("series", id, "values", values));
        }
      }
      if (series.isEmpty()) {
        series.add(
            Map.of("series", "up{job=\"" + JOB + "\",namespace=\"" + NS + "\"}", "values", "0x40"));
      }
      List<Object> checks = new ArrayList<>();
      for (String alert : s.checked()) {
        List<Object> exp = new ArrayList<>();
        for (Expected e : s.firing()) {
          if (e.alert().equals(alert)) {
            JsonNode rule = rule(rules, alert);
            Map<String, String> labels = new TreeMap<>(e.labels());
            rule.path("labels")
                .fields()
                .forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            Map<String, String> annotations = new TreeMap<>();
            rule.path("annotations")
                .fields()
                .forEachRemaining(
                    f -> annotations.put(f.getKey(), expand(f.getValue().asText(), labels)));
            exp.add(Map.of("exp_labels", labels, "exp_annotations", annotations));
          }
        }
        checks.add(Map.of("eval_time", "35m", "alertname", alert, "exp_alerts", exp));
      }
      groups.add(
          Map.of(
              "name",
              s.name(),
              "interval",
              "1m",
              "input_series",
              series,
              "alert_rule_test",
              checks));
    }
    return Map.of(
        "rule_files",
        List.of(rulesFile.getFileName().toString()),
        "evaluation_interval",
        "1m",
        "tests",
        groups);
  }

  /**
   * An annotation as Prometheus renders it: {@code {{ $labels.x }}} replaced; nothing else is
   * templated.
   */
  static String expand(String template, Map<String, String> labels) {
    Matcher m = Pattern.compile("\\{\\{\\s*\\$labels\\.(\\w+)\\s*}}").matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(labels.getOrDefault(m.group(1), "")));
    }
    m.appendTail(sb);
    assertFalse(
        sb.toString().contains("{{"),
        "only $labels templates are expected in annotations: " + template);
    return sb.toString();
  }

  static JsonNode rule(List<JsonNode> rules, String alert) {
    return rules.stream()
        .filter(r -> r.path("alert").asText().equals(alert))
        .findFirst()
        .orElseThrow();
  }

  static Set<String> metricNames(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("\\bnats_operator_[a-z0-9_]+").matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static String summary(List<Scenario> scenarios, List<JsonNode> rules) {
    StringBuilder sb =
        new StringBuilder("| alert | metrics | fires in scenario |\n| --- | --- | --- |\n");
    for (JsonNode r : rules) {
      String alert = r.path("alert").asText();
      List<String> in =
          scenarios.stream()
              .filter(s -> s.firing().stream().anyMatch(e -> e.alert().equals(alert)))
              .map(Scenario::name)
              .toList();
      sb.append("| ")
          .append(alert)
          .append(" | ")
          .append(String.join(", ", metricNames(r.path("expr").asText())))
          .append(" | ")
          .append(String.join(", ", in))
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String plain(double v) {
    return new BigDecimal(v).stripTrailingZeros().toPlainString();
  }

  private static Map<String, String> with(Map<String, String> m, String k, String v) {
    Map<String, String> out = new TreeMap<>(m);
    out.put(k, v);
    return out;
  }

  private void grantLeaseAccess() {
    MockLeaseAccess.grant(server);
  }
}
