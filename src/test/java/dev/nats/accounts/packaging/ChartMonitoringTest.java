package dev.nats.accounts.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import dev.nats.accounts.testing.GeneratedFiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optional monitoring objects of the chart as Helm renders them: the PrometheusRule (its alerts
 * are evaluated against real scrapes by {@code AlertRulesTest}) and the Grafana dashboard
 * ConfigMap. Both are off by default, like the ServiceMonitor, because they need CRDs or a Grafana
 * that not every cluster has.
 */
class ChartMonitoringTest {
  static final List<String> ALERTS =
      List.of(
          "NatsAccountOperatorNoLeader",
          "NatsAccountOperatorPushFailing",
          "NatsAccountNotInSync",
          "NatsAccountSeedLost",
          "NatsAccountConflict",
          "NatsAccountOperatorReconcileErrors",
          "NatsAccountResourceNotReady",
          "NatsUserCredsExpiringSoon",
          "NatsActivationExpiringSoon");

  static final String MONITORING = "docs/operations/monitoring.md";

  private static Helm helm() {
    return new Helm(HelmChartTest.CHART);
  }

  static Rendered renderWithRule(String... setPairs) {
    var t =
        helm()
            .template()
            .withName(HelmChartTest.RELEASE)
            .withNamespace(HelmChartTest.NAMESPACE)
            .set("prometheusRule.enabled", "true");
    for (int i = 0; i < setPairs.length; i += 2) {
      t = t.set(setPairs[i], setPairs[i + 1]);
    }
    return Rendered.parse(t.call());
  }

  static List<JsonNode> rules(Rendered r) {
    List<JsonNode> out = new ArrayList<>();
    r.one("PrometheusRule")
        .path("spec")
        .path("groups")
        .forEach(g -> g.path("rules").forEach(out::add));
    return out;
  }

  @Test
  void monitoringObjectsAreOffByDefault() {
    Rendered r = HelmChartTest.renderDefaults();
    assertEquals(List.of(), r.ofKind("PrometheusRule"));
    assertEquals(List.of(), r.ofKind("ConfigMap"), "no dashboard ConfigMap");
  }

  @Test
  void thePrometheusRuleHoldsEveryAlertScopedToThisInstallation() {
    List<JsonNode> rules = rules(renderWithRule());
    assertEquals(ALERTS, rules.stream().map(x -> x.path("alert").asText()).toList());
    for (JsonNode rule : rules) {
      String expr = rule.path("expr").asText();
      assertTrue(
          expr.contains(
              "job=\"nao-nats-account-operator-metrics\",namespace=\"nats-account-operator\""),
          rule.path("alert").asText()
              + " selects the metrics Service's job in the release namespace: "
              + expr);
      assertTrue(
          List.of("critical", "warning").contains(rule.path("labels").path("severity").asText()),
          rule.toString());
      assertTrue(!rule.path("annotations").path("summary").asText().isEmpty(), rule.toString());
      assertTrue(!rule.path("annotations").path("description").asText().isEmpty(), rule.toString());
    }
  }

  @Test
  void selectorWindowAndLabelsAreValues() {
    List<JsonNode> rules =
        rules(
            renderWithRule(
                "prometheusRule.selector",
                "job=\"nats-ops\"",
                "prometheusRule.expiryWindowSeconds",
                "3600",
                "prometheusRule.additionalLabels.team",
                "platform"));
    for (JsonNode rule : rules) {
      assertTrue(
          rule.path("expr").asText().contains("{job=\"nats-ops\""), rule.path("expr").asText());
      assertEquals("platform", rule.path("labels").path("team").asText());
    }
    JsonNode creds =
        rules.stream()
            .filter(x -> x.path("alert").asText().equals("NatsUserCredsExpiringSoon"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        creds.path("expr").asText().endsWith("- time() < 3600"), creds.path("expr").asText());
  }

  /**
   * docs/operations/monitoring.md: its alert table is generated from the rule, and every alert has
   * a runbook section.
   */
  @Test
  void theMonitoringPageListsEveryAlert() {
    String page = GeneratedFiles.read(MONITORING);
    StringBuilder table =
        new StringBuilder("| alert | severity | for | metrics |\n| --- | --- | --- | --- |\n");
    for (JsonNode rule : rules(renderWithRule())) {
      String alert = rule.path("alert").asText();
      table
          .append("| ")
          .append(alert)
          .append(" | ")
          .append(rule.path("labels").path("severity").asText())
          .append(" | ")
          .append(rule.path("for").asText())
          .append(" | ")
          .append(String.join(", ", AlertRulesTest.metricNames(rule.path("expr").asText())))
          .append(" |\n");
      assertTrue(
          page.contains("\n### " + alert + "\n"), MONITORING + " has a section for " + alert);
    }
    GeneratedFiles.check(
        MONITORING, GeneratedFiles.replaceSection(page, "alerts", table.toString()));
  }

  @Test
  void theDashboardConfigMapCarriesTheCommittedJsonForTheSidecar() throws Exception {
    Rendered r =
        Rendered.parse(
            helm()
                .template()
                .withName(HelmChartTest.RELEASE)
                .withNamespace(HelmChartTest.NAMESPACE)
                .set("grafanaDashboard.enabled", "true")
                .set("grafanaDashboard.namespace", "monitoring")
                .call());
    JsonNode cm = r.one("ConfigMap");
    assertEquals("monitoring", cm.path("metadata").path("namespace").asText());
    assertEquals("1", cm.path("metadata").path("labels").path("grafana_dashboard").asText());
    String json = cm.path("data").path("nats-account-operator.json").asText();
    String committed =
        GeneratedFiles.read("charts/nats-account-operator/dashboards/nats-account-operator.json");
    assertEquals(committed.strip(), json.strip());
    JsonNode dashboard = new ObjectMapper().readTree(json);
    assertEquals("nats-account-operator", dashboard.path("uid").asText());
    assertTrue(dashboard.path("panels").size() >= 10, "panels: " + dashboard.path("panels").size());
    for (JsonNode panel : dashboard.path("panels")) {
      assertTrue(
          panel.path("targets").size() > 0,
          "every panel queries something: " + panel.path("title"));
    }
  }
}
