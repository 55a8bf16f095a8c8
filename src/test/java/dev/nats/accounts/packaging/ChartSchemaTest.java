package dev.nats.accounts.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * values.schema.json makes Helm refuse bad values before anything reaches a cluster: rendered by
 * Helm itself (helm-java), each bad value below is refused with a message naming its key, beside
 * the defaults that pass. And the replicas rule: more than one replica only with leader election.
 */
class ChartSchemaTest {
  @TempDir Path tmp;

  private static Helm helm() {
    return new Helm(HelmChartTest.CHART);
  }

  private String render(String valuesYaml) throws Exception {
    Path values = tmp.resolve("values.yaml");
    Files.writeString(values, valuesYaml);
    return helm()
        .template()
        .withName(HelmChartTest.RELEASE)
        .withNamespace(HelmChartTest.NAMESPACE)
        .withValuesFile(values)
        .call();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      replicas: 2                                   | replicas
      replicaCount: 0                               | replicaCount
      replicaCount: two                             | replicaCount
      image: {pullPolicy: Sometimes}                | pullPolicy
      image: {repository: ""}                       | repository
      resyncInterval: ten minutes                   | resyncInterval
      pushTimeout: 2                                | pushTimeout
      metrics: {port: 70000}                        | port
      metrics: {service: {type: Ingress}}           | type
      serviceMonitor: {interval: soon}              | interval
      prometheusRule: {expiryWindowSeconds: 1d}     | expiryWindowSeconds
      prometheusRule: {enable: true}                | enable
      watchNamespaces: [Tenant_A]                   | watchNamespaces
      watchNamespaces: 'a, b'                       | watchNamespaces
      operatorNamespaces: [NATS]                    | operatorNamespaces
      operatorNamespaces: [nats, nats]              | operatorNamespaces
      leaderElection: {enabled: "yes"}              | enabled
      extraEnv: [{value: x}]                        | name
      podLabels: {team: 7}                          | team
      """)
  void badValuesAreRefusedNamingTheKey(String values, String key) {
    Exception e = assertThrows(Exception.class, () -> render(values + "\n"));
    assertTrue(
        e.getMessage().contains("values don't meet the specifications of the schema"),
        "refused by values.schema.json: " + e.getMessage());
    assertTrue(e.getMessage().contains(key), "the message names '" + key + "': " + e.getMessage());
  }

  @Test
  void theDefaultsAndACompleteSetOfGoodValuesPass() throws Exception {
    Rendered r =
        Rendered.parse(
            render(
                """
        image: {repository: registry.example/nao, tag: "1.2.3", pullPolicy: Always}
        imagePullSecrets: [{name: regcred}]
        watchNamespaces: tenant-a,tenant-b,nats
        operatorNamespaces: [nats]
        resyncInterval: PT5M
        pushTimeout: PT0.5S
        metrics: {port: 9090, service: {enabled: true, type: NodePort}}
        serviceMonitor: {enabled: true, interval: 1m30s, labels: {release: prom}}
        prometheusRule: {enabled: true, labels: {release: prom}, additionalLabels: {team: platform},
                         selector: 'job="nao"', expiryWindowSeconds: 3600}
        grafanaDashboard: {enabled: true, namespace: monitoring, labels: {grafana_dashboard: "1"},
                           annotations: {grafana_folder: NATS}}
        serviceAccount: {create: true, name: nao, annotations: {iam: role}}
        rbac: {create: true}
        extraEnv: [{name: JAVA_TOOL_OPTIONS, value: "-Xss512k"}]
        podAnnotations: {a: b}
        podLabels: {c: d}
        resources: {requests: {cpu: 200m, memory: 300Mi}, limits: {memory: 1Gi}}
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: k, operator: Exists}]
        affinity: {}
        priorityClassName: system-cluster-critical
        leaderElection: {enabled: true}
        replicaCount: 3
        """));
    assertEquals(3, r.one("Deployment").path("spec").path("replicas").asInt());
    assertEquals(1, r.ofKind("PrometheusRule").size());
    assertEquals(1, r.ofKind("ServiceMonitor").size());
    Rendered.parse(
        helm()
            .template()
            .withName(HelmChartTest.RELEASE)
            .withNamespace(HelmChartTest.NAMESPACE)
            .call());
  }

  @Test
  void moreThanOneReplicaRunsWithLeaderElection() throws Exception {
    Rendered r = Rendered.parse(render("replicaCount: 2\n"));
    assertEquals(2, r.one("Deployment").path("spec").path("replicas").asInt());
    assertEquals(
        "metadata.namespace",
        r.envFieldRef("LEADER_ELECTION_NAMESPACE"),
        "every replica competes for the Lease in the release namespace");
    assertEquals(
        "Recreate",
        r.one("Deployment").path("spec").path("strategy").path("type").asText(),
        "an upgrade never runs two versions at once");
    JsonNode role = r.one("Role");
    assertEquals(HelmChartTest.NAMESPACE, role.path("metadata").path("namespace").asText());
    assertTrue(role.toString().contains("leases"), "the Role may take the Lease");
    assertFalse(
        r.one("ClusterRole").toString().contains("leases"),
        "Leases only in the release namespace, not cluster-wide");
  }

  @Test
  void oneReplicaMayRunWithoutLeaderElectionButTwoMayNot() throws Exception {
    Rendered single = Rendered.parse(render("leaderElection: {enabled: false}\n"));
    assertEquals(1, single.one("Deployment").path("spec").path("replicas").asInt());
    assertNull(
        single.env("LEADER_ELECTION_NAMESPACE"), "no election: the operator reconciles at once");
    Exception e =
        assertThrows(
            Exception.class, () -> render("leaderElection: {enabled: false}\nreplicaCount: 2\n"));
    assertTrue(
        e.getMessage().contains("leaderElection") || e.getMessage().contains("enabled"),
        e.getMessage());
  }
}
