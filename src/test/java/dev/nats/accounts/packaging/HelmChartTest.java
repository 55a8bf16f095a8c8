package dev.nats.accounts.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.nats.accounts.testing.Crds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart, linted and rendered by Helm itself (helm-java runs Helm's Go code as a native
 * library, so no helm binary is needed). Asserts what a cluster would receive, not the template
 * text.
 */
class HelmChartTest {

  static final Path CHART = Crds.projectRoot().resolve("charts/nats-account-operator");
  static final String RELEASE = "nao";
  static final String NAMESPACE = "nats-account-operator";

  @TempDir Path tmp;

  static Helm helm() {
    return new Helm(CHART);
  }

  /** helm template with {@code operatorNamespaces: [nats]}: ConfigMaps granted in nats only. */
  static Rendered renderOperatorNamespaces() {
    return Rendered.parse(
        helm()
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .set("operatorNamespaces[0]", "nats")
            .call());
  }

  /** helm template with default values, CRDs included. */
  static Rendered renderDefaults() {
    return Rendered.parse(helm().template().withName(RELEASE).withNamespace(NAMESPACE).call());
  }

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = helm().lint().strict().call();
    assertFalse(lint.isFailed(), () -> "helm lint --strict failed: " + lint.getMessages());
    List<String> problems =
        lint.getMessages().stream()
            .filter(m -> m.contains("[ERROR]") || m.contains("[WARNING]"))
            .toList();
    assertEquals(List.of(), problems);
  }

  /**
   * Off by default (no port, no Service); on, the operator serves tokens on a port and Service of
   * their own, and the status URL is that Service's in-cluster address unless one is given.
   */
  @Test
  void activationTokensGetTheirOwnPortServiceAndUrl() {
    Rendered off = renderDefaults();
    assertEquals(null, off.env("ACTIVATION_PORT"));
    assertEquals(1, off.ofKind("Service").size());

    Rendered on =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .set("activationTokens.enabled", "true")
                .call());
    String fullname = on.one("Deployment").path("metadata").path("name").asText();
    assertEquals("8081", on.env("ACTIVATION_PORT"));
    assertEquals(
        "http://" + fullname + "-activations." + NAMESPACE + ".svc:8081",
        on.env("ACTIVATION_URL_BASE"));
    JsonNode service =
        on.ofKind("Service").stream()
            .filter(x -> x.path("metadata").path("name").asText().endsWith("-activations"))
            .findFirst()
            .orElseThrow();
    assertEquals(8081, service.path("spec").path("ports").path(0).path("port").asInt());
    assertEquals(
        "activations", service.path("spec").path("ports").path(0).path("targetPort").asText());
    assertTrue(
        on.operatorContainer().path("ports").toString().contains("\"containerPort\":8081"),
        on.operatorContainer().path("ports").toString());

    Rendered exposed =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .set("activationTokens.enabled", "true")
                .set("activationTokens.urlBase", "https://tokens.example.com")
                .call());
    assertEquals("https://tokens.example.com", exposed.env("ACTIVATION_URL_BASE"));
  }

  @Test
  void defaultsRenderTheOperatorDeployment() {
    Rendered r = renderDefaults();
    JsonNode deployment = r.one("Deployment");
    assertEquals(NAMESPACE, deployment.path("metadata").path("namespace").asText());
    assertEquals(1, deployment.path("spec").path("replicas").asInt(), "one replica by default");
    assertEquals("Recreate", deployment.path("spec").path("strategy").path("type").asText());

    JsonNode c = r.operatorContainer();
    assertEquals(
        "ghcr.io/nats-account-operator/nats-account-operator:0.1.0",
        c.path("image").asText(),
        "image tag defaults to the chart's appVersion");
    assertEquals("", r.env("WATCH_NAMESPACES"), "empty: all namespaces");
    assertEquals("10m", r.env("RESYNC_INTERVAL"));
    assertEquals("2s", r.env("PUSH_TIMEOUT"));
    assertEquals("8080", r.env("METRICS_PORT"));
    assertEquals("20s", r.env("SHUTDOWN_TIMEOUT"));
    assertEquals("text", r.env("LOG_FORMAT"));
    assertEquals("info", r.env("LOG_LEVEL"));
    assertEquals(
        30,
        deployment
            .path("spec")
            .path("template")
            .path("spec")
            .path("terminationGracePeriodSeconds")
            .asInt(),
        "above SHUTDOWN_TIMEOUT, so a stop finishes before the kill");
    assertEquals(
        "metadata.namespace",
        r.envFieldRef("LEADER_ELECTION_NAMESPACE"),
        "leader election on by default");
    assertEquals(8080, c.path("ports").path(0).path("containerPort").asInt());
    assertEquals("metrics", c.path("ports").path(0).path("name").asText());
    assertEquals("/readyz", c.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals("metrics", c.path("readinessProbe").path("httpGet").path("port").asText());
    assertEquals("/healthz", c.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals("metrics", c.path("livenessProbe").path("httpGet").path("port").asText());
    assertTrue(c.path("resources").path("requests").has("cpu"), "cpu request");
    assertTrue(c.path("resources").path("requests").has("memory"), "memory request");

    JsonNode podSec = deployment.path("spec").path("template").path("spec").path("securityContext");
    assertTrue(podSec.path("runAsNonRoot").asBoolean(), "pod runAsNonRoot");
    assertEquals(10001, podSec.path("runAsUser").asInt(), "the Dockerfile's numeric user");
    JsonNode sec = c.path("securityContext");
    assertTrue(sec.path("readOnlyRootFilesystem").asBoolean(), "readOnlyRootFilesystem");
    assertTrue(sec.path("runAsNonRoot").asBoolean(), "container runAsNonRoot");
    assertFalse(
        sec.path("allowPrivilegeEscalation").asBoolean(true), "allowPrivilegeEscalation false");
    assertEquals(List.of("ALL"), Rendered.strings(sec.path("capabilities").path("drop")));
    assertEquals(
        "/tmp",
        c.path("volumeMounts").path(0).path("mountPath").asText(),
        "a writable /tmp for the JVM under a read-only root");
  }

  @Test
  void defaultsWireServiceAccountBindingAndMetricsService() {
    Rendered r = renderDefaults();
    String sa = r.one("ServiceAccount").path("metadata").path("name").asText();
    JsonNode podSpec = r.one("Deployment").path("spec").path("template").path("spec");
    assertEquals(sa, podSpec.path("serviceAccountName").asText());

    JsonNode binding = r.one("ClusterRoleBinding");
    assertEquals(
        r.one("ClusterRole").path("metadata").path("name").asText(),
        binding.path("roleRef").path("name").asText());
    assertEquals(sa, binding.path("subjects").path(0).path("name").asText());
    assertEquals(NAMESPACE, binding.path("subjects").path(0).path("namespace").asText());

    JsonNode role = r.one("Role");
    assertEquals(NAMESPACE, role.path("metadata").path("namespace").asText(), "the Lease's Role");
    JsonNode roleBinding = r.one("RoleBinding");
    assertEquals(NAMESPACE, roleBinding.path("metadata").path("namespace").asText());
    assertEquals("Role", roleBinding.path("roleRef").path("kind").asText());
    assertEquals(
        role.path("metadata").path("name").asText(),
        roleBinding.path("roleRef").path("name").asText());
    assertEquals(sa, roleBinding.path("subjects").path(0).path("name").asText());
    assertEquals(NAMESPACE, roleBinding.path("subjects").path(0).path("namespace").asText());

    JsonNode service = r.one("Service");
    Map<String, String> podLabels = labels(r.one("Deployment").path("spec").path("template"));
    service
        .path("spec")
        .path("selector")
        .fields()
        .forEachRemaining(
            e ->
                assertEquals(
                    e.getValue().asText(), podLabels.get(e.getKey()), "selector " + e.getKey()));
    assertEquals("metrics", service.path("spec").path("ports").path(0).path("targetPort").asText());
    assertEquals(List.of(), r.ofKind("ServiceMonitor"), "serviceMonitor is off by default");
  }

  /**
   * helm template leaves CRDs out (like the CLI without --include-crds); helm install applies the
   * chart's crds/ directory. {@code helm show crds} is how Helm itself reads that directory: it
   * must hold every committed CRD. (Byte equality with crds/ is PackagingConsistencyTest's job.)
   */
  @Test
  void helmReadsEveryCommittedCrdFromTheChart() throws Exception {
    // helm show crds prints the crds/ files one after the other (this Helm build adds no "---"
    // between them), in file name order: compare with the committed files, ignoring separators and
    // blank lines.
    StringBuilder committed = new StringBuilder();
    for (Path f : Crds.files()) {
      committed.append(Files.readString(f)).append('\n');
    }
    assertEquals(contentLines(committed.toString()), contentLines(helm().show().crds().call()));
    assertEquals(
        List.of(), renderDefaults().ofKind("CustomResourceDefinition"), "templates hold no CRDs");
  }

  private static List<String> contentLines(String yaml) {
    return yaml.lines().filter(l -> !l.isBlank() && !l.equals("---")).toList();
  }

  @Test
  void watchNamespacesAsAListFromAValuesFile() throws Exception {
    Path values = tmp.resolve("values.yaml");
    Files.writeString(values, "watchNamespaces: [tenant-a, tenant-b]\n");
    Rendered r =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withValuesFile(values)
                .call());
    assertEquals("tenant-a,tenant-b", r.env("WATCH_NAMESPACES"));
  }

  /**
   * Unset, the operator reconciles Operators wherever it watches and the ClusterRole grants
   * ConfigMaps; a list or a comma string names the namespaces, each with its own ConfigMaps Role.
   */
  @Test
  void operatorNamespacesAsAListOrACommaStringOneConfigMapsRoleEach() throws Exception {
    Rendered defaults = renderDefaults();
    assertEquals("", defaults.env("OPERATOR_NAMESPACES"));
    assertEquals(1, defaults.ofKind("Role").size(), "the Lease Role only");
    Path values = tmp.resolve("values.yaml");
    Files.writeString(values, "operatorNamespaces: [nats, nats-east]\n");
    Rendered list =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withValuesFile(values)
                .call());
    Rendered string =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .set("operatorNamespaces", "nats,nats-east")
                .call());
    for (Rendered r : List.of(list, string)) {
      assertEquals("nats,nats-east", r.env("OPERATOR_NAMESPACES"));
      assertEquals(
          List.of("nats", NAMESPACE, "nats-east"),
          r.ofKind("Role").stream()
              .map(o -> o.path("metadata").path("namespace").asText())
              .sorted()
              .toList());
      assertEquals(3, r.ofKind("RoleBinding").size());
    }
  }

  /**
   * The operator refuses an Operator namespace it does not watch; the chart says so at install
   * instead of rendering a pod that cannot start.
   */
  @Test
  void operatorNamespacesOutsideWatchNamespacesAreRefused() {
    Exception e =
        assertThrows(
            IllegalStateException.class,
            () ->
                helm()
                    .template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .set("watchNamespaces", "tenant-a,nats")
                    .set("operatorNamespaces", "nats-east")
                    .call());
    assertTrue(
        e.getMessage().contains("operatorNamespaces: nats-east is not in watchNamespaces"),
        e.getMessage());
    Rendered inside =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .set("watchNamespaces", "tenant-a,nats")
                .set("operatorNamespaces", "nats")
                .call());
    assertEquals("nats", inside.env("OPERATOR_NAMESPACES"));
  }

  @Test
  void watchNamespacesAsACommaStringFromSet() {
    Rendered r =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .set("watchNamespaces", "tenant-a,tenant-b")
                .call());
    assertEquals("tenant-a,tenant-b", r.env("WATCH_NAMESPACES"));
  }

  @Test
  void overridesReachTheDeploymentAndService() throws Exception {
    Path values = tmp.resolve("values.yaml");
    Files.writeString(
        values,
        """
        image: {repository: registry.example/nao, tag: "9.9.9", pullPolicy: Always}
        resyncInterval: PT1M
        pushTimeout: 5s
        logFormat: json
        metrics: {port: 9090}
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Equal, value: nats, effect: NoSchedule}]
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [ops]}]}]
        extraEnv: [{name: EXTRA, value: "1"}]
        """);
    Rendered r =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withValuesFile(values)
                .call());
    JsonNode c = r.operatorContainer();
    assertEquals("registry.example/nao:9.9.9", c.path("image").asText());
    assertEquals("Always", c.path("imagePullPolicy").asText());
    assertEquals("PT1M", r.env("RESYNC_INTERVAL"));
    assertEquals("5s", r.env("PUSH_TIMEOUT"));
    assertEquals("json", r.env("LOG_FORMAT"));
    assertEquals("9090", r.env("METRICS_PORT"));
    assertEquals("1", r.env("EXTRA"));
    assertEquals(9090, c.path("ports").path(0).path("containerPort").asInt());
    assertEquals(9090, r.one("Service").path("spec").path("ports").path(0).path("port").asInt());
    JsonNode podSpec = r.one("Deployment").path("spec").path("template").path("spec");
    assertEquals("linux", podSpec.path("nodeSelector").path("kubernetes.io/os").asText());
    assertEquals("dedicated", podSpec.path("tolerations").path(0).path("key").asText());
    assertEquals(
        "pool",
        podSpec
            .path("affinity")
            .path("nodeAffinity")
            .path("requiredDuringSchedulingIgnoredDuringExecution")
            .path("nodeSelectorTerms")
            .path(0)
            .path("matchExpressions")
            .path(0)
            .path("key")
            .asText());
  }

  @Test
  void serviceMonitorScrapesTheMetricsService() {
    Rendered r =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .set("serviceMonitor.enabled", "true")
                .call());
    JsonNode sm = r.one("ServiceMonitor");
    assertEquals("metrics", sm.path("spec").path("endpoints").path(0).path("port").asText());
    assertEquals("/metrics", sm.path("spec").path("endpoints").path(0).path("path").asText());
    Map<String, String> serviceLabels = labels(r.one("Service"));
    sm.path("spec")
        .path("selector")
        .path("matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                assertEquals(
                    e.getValue().asText(),
                    serviceLabels.get(e.getKey()),
                    "matchLabels " + e.getKey()));
  }

  @Test
  void serviceMonitorWithoutServiceIsRefused() {
    Exception e =
        assertThrows(
            IllegalStateException.class,
            () ->
                helm()
                    .template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .set("serviceMonitor.enabled", "true")
                    .set("metrics.service.enabled", "false")
                    .call());
    assertTrue(
        e.getMessage().contains("serviceMonitor.enabled needs metrics.service.enabled"),
        e.getMessage());
  }

  /** Without leader election there is no Lease, so no Role to touch one. */
  @Test
  void withoutLeaderElectionNoLeaseRole() {
    Rendered r =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .set("leaderElection.enabled", "false")
                .call());
    assertEquals(List.of(), r.ofKind("Role"));
    assertEquals(List.of(), r.ofKind("RoleBinding"));
    assertEquals(1, r.ofKind("ClusterRole").size());
    assertEquals(null, r.envFieldRef("LEADER_ELECTION_NAMESPACE"), "no election");
  }

  @Test
  void rbacAndServiceAccountCanBeLeftToTheUser() {
    Rendered r =
        Rendered.parse(
            helm()
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .set("rbac.create", "false")
                .set("serviceAccount.create", "false")
                .set("serviceAccount.name", "mine")
                .call());
    assertEquals(List.of(), r.ofKind("ClusterRole"));
    assertEquals(List.of(), r.ofKind("ClusterRoleBinding"));
    assertEquals(List.of(), r.ofKind("Role"));
    assertEquals(List.of(), r.ofKind("RoleBinding"));
    assertEquals(List.of(), r.ofKind("ServiceAccount"));
    assertEquals(
        "mine",
        r.one("Deployment")
            .path("spec")
            .path("template")
            .path("spec")
            .path("serviceAccountName")
            .asText());
  }

  private static Map<String, String> labels(JsonNode object) {
    Map<String, String> out = new java.util.HashMap<>();
    object
        .path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
