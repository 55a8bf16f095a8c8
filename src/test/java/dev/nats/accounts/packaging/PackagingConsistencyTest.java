package dev.nats.accounts.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nats.accounts.app.RequiredPermissions;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/ (kustomize), the Helm chart and the Dockerfile describe one product: same CRDs as crds/,
 * same least-privilege RBAC, same container. A change to one that is not made to the others fails
 * here.
 */
class PackagingConsistencyTest {

  static final Path ROOT = Crds.projectRoot();
  static final Path DEPLOY = ROOT.resolve("deploy");
  static final String FIX_CRDS =
      "run charts/sync-crds.sh (after scripts/update-crds) and commit the copies";

  /**
   * What the operator process calls, and not one verb more: RequiredPermissions, the list the
   * start-up check asks the API server about, so the code, the check and both roles are one list.
   */
  static Set<String> expectedGrants() {
    return expectedGrants(false);
  }

  /**
   * RequiredPermissions as "group|resource|verb" triples: those of the Lease namespace (the Role)
   * when {@code lease}, the others (the ClusterRole) when not.
   */
  static Set<String> expectedGrants(boolean lease) {
    return expectedGrants(p -> (p.scope() == RequiredPermissions.Scope.LEASE_NAMESPACE) == lease);
  }

  /**
   * With OPERATOR_NAMESPACES set: the ClusterRole holds everything but the Lease and what is needed
   * only where Operators live, and {@link #operatorNamespaceGrants()} goes to a Role in each of
   * those namespaces.
   */
  static Set<String> clusterGrantsWithOperatorNamespaces() {
    return expectedGrants(
        p ->
            p.scope() != RequiredPermissions.Scope.LEASE_NAMESPACE
                && p.scope() != RequiredPermissions.Scope.OPERATOR_NAMESPACES);
  }

  /** What a Role in each of OPERATOR_NAMESPACES grants (ConfigMaps, today). */
  static Set<String> operatorNamespaceGrants() {
    return expectedGrants(p -> p.scope() == RequiredPermissions.Scope.OPERATOR_NAMESPACES);
  }

  private static Set<String> expectedGrants(
      java.util.function.Predicate<RequiredPermissions.Permission> which) {
    Set<String> g = new TreeSet<>();
    for (RequiredPermissions.Permission p : RequiredPermissions.all()) {
      if (!which.test(p)) {
        continue;
      }
      List<String> names = p.resourceNames().isEmpty() ? List.of("") : p.resourceNames();
      for (String v : p.verbs()) {
        for (String n : names) {
          g.add(p.group() + "|" + p.resource() + (n.isEmpty() ? "" : "#" + n) + "|" + v);
        }
      }
    }
    return g;
  }

  /** A new kind in crds/ without RBAC (or without a place in RequiredPermissions) fails here. */
  @Test
  void everyCrdHasItsPermissionsAndTheCrdCheckMayReadIt() {
    Set<String> g = expectedGrants();
    for (JsonNode crd : crds()) {
      String group = crd.path("spec").path("group").asText();
      String plural = crd.path("spec").path("names").path("plural").asText();
      for (String v : List.of("get", "list", "watch", "patch")) {
        assertTrue(g.contains(group + "|" + plural + "|" + v), plural + " " + v);
      }
      assertTrue(g.contains(group + "|" + plural + "/status|patch"), plural + "/status");
      assertTrue(
          g.contains(
              "apiextensions.k8s.io|customresourcedefinitions#"
                  + crd.path("metadata").path("name").asText()
                  + "|get"),
          "the start-up check reads " + crd.path("metadata").path("name").asText());
    }
  }

  private static List<JsonNode> crds() {
    List<JsonNode> out = new ArrayList<>();
    Crds.files().forEach(f -> out.addAll(Manifests.documents(f)));
    return out;
  }

  @ParameterizedTest(name = "{0} equals crds/")
  @ValueSource(strings = {"charts/nats-account-operator/crds", "deploy/crds"})
  void crdCopiesEqualTheGeneratedCrds(String copyDir) throws IOException {
    Map<String, String> expected = readYamlDir(ROOT.resolve("crds"));
    Map<String, String> copy = readYamlDir(ROOT.resolve(copyDir));
    assertEquals(
        expected.keySet(), copy.keySet(), copyDir + " holds other files than crds/; " + FIX_CRDS);
    expected.forEach(
        (name, text) ->
            assertEquals(
                text,
                copy.get(name),
                copyDir + "/" + name + " differs from crds/" + name + "; " + FIX_CRDS));
  }

  @Test
  void everyDeployManifestParsesAndIsListedInTheKustomization() throws IOException {
    JsonNode kustomization = Manifests.documents(DEPLOY.resolve("kustomization.yaml")).get(0);
    assertEquals("Kustomization", kustomization.path("kind").asText());
    Set<String> listed = new TreeSet<>(Rendered.strings(kustomization.path("resources")));
    for (String r : listed) {
      Path p = DEPLOY.resolve(r).normalize();
      assertTrue(
          p.startsWith(DEPLOY),
          r + " is outside deploy/: kustomize refuses files above the kustomization");
      assertTrue(Files.isRegularFile(p), "kustomization lists " + r + " which does not exist");
      List<JsonNode> docs = Manifests.documents(p);
      assertFalse(docs.isEmpty(), r + " holds no object");
      for (JsonNode d : docs) {
        assertFalse(d.path("apiVersion").asText().isEmpty(), r + ": apiVersion");
        assertFalse(d.path("kind").asText().isEmpty(), r + ": kind");
        assertFalse(d.path("metadata").path("name").asText().isEmpty(), r + ": metadata.name");
      }
    }
    Set<String> onDisk = new TreeSet<>();
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      files
          .filter(
              f ->
                  f.toString().endsWith(".yaml")
                      && !f.getFileName().toString().equals("kustomization.yaml"))
          .forEach(f -> onDisk.add(DEPLOY.relativize(f).toString()));
    }
    assertEquals(
        onDisk, listed, "every manifest in deploy/ is applied by kubectl apply -k, and only those");
  }

  @Test
  void namespacedDeployObjectsLiveInTheOperatorNamespace() {
    String ns = deployObject("Namespace").path("metadata").path("name").asText();
    assertEquals("nats-account-operator", ns);
    for (String kind : List.of("ServiceAccount", "Deployment", "Service", "Role", "RoleBinding")) {
      assertEquals(ns, deployObject(kind).path("metadata").path("namespace").asText(), kind);
    }
    JsonNode roleBinding = deployObject("RoleBinding");
    assertEquals("Role", roleBinding.path("roleRef").path("kind").asText());
    assertEquals(
        deployObject("Role").path("metadata").path("name").asText(),
        roleBinding.path("roleRef").path("name").asText());
    assertEquals(
        deployObject("ServiceAccount").path("metadata").path("name").asText(),
        roleBinding.path("subjects").path(0).path("name").asText());
    assertEquals(ns, roleBinding.path("subjects").path(0).path("namespace").asText());
    JsonNode binding = deployObject("ClusterRoleBinding");
    assertEquals(
        deployObject("ClusterRole").path("metadata").path("name").asText(),
        binding.path("roleRef").path("name").asText());
    assertEquals(
        deployObject("ServiceAccount").path("metadata").path("name").asText(),
        binding.path("subjects").path(0).path("name").asText());
    assertEquals(ns, binding.path("subjects").path(0).path("namespace").asText());
    assertEquals(
        deployObject("ServiceAccount").path("metadata").path("name").asText(),
        deployObject("Deployment")
            .path("spec")
            .path("template")
            .path("spec")
            .path("serviceAccountName")
            .asText());
  }

  @Test
  void deployAndChartGrantExactlyTheLeastPrivilegeRules() {
    Set<String> deploy = Rendered.grants(deployObject("ClusterRole"));
    Set<String> chart = Rendered.grants(HelmChartTest.renderDefaults().one("ClusterRole"));
    assertEquals(expectedGrants(false), deploy, "deploy/clusterrole.yaml");
    assertEquals(expectedGrants(false), chart, "the chart's ClusterRole");
    assertEquals(expectedGrants(true), Rendered.grants(deployObject("Role")), "deploy/role.yaml");
    assertEquals(
        expectedGrants(true),
        Rendered.grants(HelmChartTest.renderDefaults().one("Role")),
        "the chart's Role");
  }

  /**
   * OPERATOR_NAMESPACES as shipped: the chart with {@code operatorNamespaces: [nats]} and the
   * overlay examples/operator-namespaces grant ConfigMaps by a Role in nats and nowhere else, the
   * ClusterRole holds everything else and not one ConfigMap verb, and both run the operator with
   * OPERATOR_NAMESPACES=nats.
   */
  @Test
  void withOperatorNamespacesConfigMapsAreGrantedOnlyThereByChartAndOverlay() throws Exception {
    assertFalse(
        operatorNamespaceGrants().isEmpty(), "ConfigMaps have the operator-namespace scope");
    assertTrue(
        clusterGrantsWithOperatorNamespaces().stream().noneMatch(g -> g.startsWith("|configmaps|")),
        "no ConfigMap verb left in the ClusterRole");
    Rendered overlay = Rendered.parse(kustomize(ROOT.resolve("examples/operator-namespaces")));
    for (var e :
        Map.of("the chart", HelmChartTest.renderOperatorNamespaces(), "the overlay", overlay)
            .entrySet()) {
      String where = e.getKey();
      Rendered r = e.getValue();
      assertEquals(
          clusterGrantsWithOperatorNamespaces(),
          Rendered.grants(r.one("ClusterRole")),
          where + ": ClusterRole");
      String serviceAccount = r.one("ServiceAccount").path("metadata").path("name").asText();
      String home = r.one("ServiceAccount").path("metadata").path("namespace").asText();
      Map<String, Set<String>> byNamespace = new TreeMap<>();
      for (JsonNode role : r.ofKind("Role")) {
        String ns = role.path("metadata").path("namespace").asText();
        assertTrue(
            byNamespace.put(ns, Rendered.grants(role)) == null, where + ": one Role per namespace");
        JsonNode binding =
            r.ofKind("RoleBinding").stream()
                .filter(b -> ns.equals(b.path("metadata").path("namespace").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(where + ": no RoleBinding in " + ns));
        assertEquals(role.path("metadata").path("name"), binding.path("roleRef").path("name"));
        assertEquals(serviceAccount, binding.path("subjects").path(0).path("name").asText());
        assertEquals(home, binding.path("subjects").path(0).path("namespace").asText());
      }
      assertEquals(
          Map.of(home, expectedGrants(true), "nats", operatorNamespaceGrants()),
          byNamespace,
          where + ": the Lease Role at home, the ConfigMaps Role in nats, nothing else");
      assertEquals("nats", r.env("OPERATOR_NAMESPACES"), where);
    }
    assertEquals(
        HelmChartTest.renderOperatorNamespaces().operatorContainer(),
        overlay.operatorContainer(),
        "the overlay runs the container the chart runs");
  }

  private static String kustomize(Path dir) throws Exception {
    Path kubectl = dev.nats.accounts.testing.TestBed.tool("kubectl");
    Process p =
        new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
    assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed");
    return out;
  }

  /**
   * The plain manifests and the chart with default values run the same container and pod security
   * settings; only names and labels differ.
   */
  /**
   * The heap share the image gives the JVM is what the sizing advice rests on (docs/install.md, the
   * chart's values): a change to one must show in the others.
   */
  @Test
  void theHeapShareTheDocsStateIsTheImages() throws IOException {
    Matcher m =
        Pattern.compile("-XX:MaxRAMPercentage=(\\d+)")
            .matcher(Files.readString(ROOT.resolve("Dockerfile")));
    assertTrue(m.find(), "the Dockerfile sets MaxRAMPercentage");
    String stated = "heap to " + m.group(1) + " % of the";
    for (String doc :
        List.of(
            "docs/install.md",
            "charts/nats-account-operator/values.yaml",
            "charts/nats-account-operator/README.md")) {
      assertTrue(
          Files.readString(ROOT.resolve(doc)).contains(stated),
          doc + " should say '" + stated + "', as the Dockerfile sets");
    }
  }

  @Test
  void deployDeploymentMatchesTheChartDefaults() {
    JsonNode deploy = deployObject("Deployment");
    JsonNode chart = HelmChartTest.renderDefaults().one("Deployment");
    assertEquals(chart.path("spec").path("replicas"), deploy.path("spec").path("replicas"));
    assertEquals(chart.path("spec").path("strategy"), deploy.path("spec").path("strategy"));
    JsonNode deployPod = deploy.path("spec").path("template").path("spec");
    JsonNode chartPod = chart.path("spec").path("template").path("spec");
    assertEquals(chartPod.path("securityContext"), deployPod.path("securityContext"));
    assertEquals(
        chartPod.path("terminationGracePeriodSeconds"),
        deployPod.path("terminationGracePeriodSeconds"));
    assertEquals(chartPod.path("volumes"), deployPod.path("volumes"));
    assertEquals(chartPod.path("containers"), deployPod.path("containers"));
  }

  @Test
  void metricsServiceSelectsTheOperatorPod() {
    JsonNode service = deployObject("Service");
    JsonNode podLabels =
        deployObject("Deployment").path("spec").path("template").path("metadata").path("labels");
    service
        .path("spec")
        .path("selector")
        .fields()
        .forEachRemaining(
            e -> assertEquals(e.getValue(), podLabels.path(e.getKey()), "selector " + e.getKey()));
    assertEquals("metrics", service.path("spec").path("ports").path(0).path("targetPort").asText());
  }

  /** The image the manifests run is the one the Dockerfile builds: same jar, same non-root UID. */
  @Test
  void dockerfileMatchesTheBuildAndTheSecurityContext() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertTrue(
        Pattern.compile("(?m)^FROM eclipse-temurin:17-jre").matcher(dockerfile).find(),
        "Java 17 JRE base");
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertTrue(finalName.find(), "pom.xml sets build.finalName");
    assertTrue(
        dockerfile.contains("COPY target/" + finalName.group(1) + ".jar "),
        "the Dockerfile copies the jar the build produces");
    Matcher user = Pattern.compile("(?m)^USER (\\d+)(?::(\\d+))?\\s*$").matcher(dockerfile);
    assertTrue(user.find(), "a numeric USER, so runAsNonRoot can be verified by the kubelet");
    JsonNode podSec =
        deployObject("Deployment")
            .path("spec")
            .path("template")
            .path("spec")
            .path("securityContext");
    assertEquals(podSec.path("runAsUser").asText(), user.group(1));
    assertEquals(podSec.path("runAsGroup").asText(), user.group(2));
    assertEquals(
        List.of("run"),
        Rendered.strings(
            deployObject("Deployment")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .path(0)
                .path("args")));
  }

  /**
   * kubectl's embedded kustomize builds deploy/ (it refuses files outside the kustomization
   * directory, which is why the CRDs are copied). The kubectl built by scripts/lib/ensure-tools.sh.
   */
  @Test
  void kubectlKustomizeBuildsDeploy() throws Exception {
    Path kubectl = dev.nats.accounts.testing.TestBed.tool("kubectl");
    Process p =
        new ProcessBuilder(kubectl.toString(), "kustomize", DEPLOY.toString())
            .redirectErrorStream(false)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
    assertEquals(0, p.exitValue(), "kubectl kustomize failed: " + err);
    Map<String, Integer> kinds = new TreeMap<>();
    Rendered.parse(out)
        .objects()
        .forEach(o -> kinds.merge(o.path("kind").asText(), 1, Integer::sum));
    assertEquals(
        Map.of(
            "ClusterRole",
            1,
            "ClusterRoleBinding",
            1,
            "CustomResourceDefinition",
            Crds.files().size(),
            "Deployment",
            1,
            "Namespace",
            1,
            "Role",
            1,
            "RoleBinding",
            1,
            "Service",
            1,
            "ServiceAccount",
            1),
        kinds);
  }

  @ParameterizedTest(name = "bash -n {0}")
  @ValueSource(strings = {"e2e/run.sh", "e2e/lib.sh", "charts/sync-crds.sh"})
  void shellScriptsParse(String script) throws Exception {
    Path file = ROOT.resolve(script);
    assertTrue(Files.isRegularFile(file), script + " exists");
    assertTrue(Files.isExecutable(file) || script.endsWith("lib.sh"), script + " is executable");
    Process p = new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), script + ": " + out);
  }

  /** shellcheck (scripts/test installs Debian's): every shell script we ship stays lint-clean. */
  @Test
  void shellScriptsAreShellcheckClean() throws Exception {
    Path shellcheck = onPath("shellcheck");
    assertNotNull(
        shellcheck,
        "shellcheck not on PATH: ./scripts/test installs it (apt-get install shellcheck)");
    Process p =
        new ProcessBuilder(
                shellcheck.toString(),
                "-x",
                "e2e/run.sh",
                "e2e/lib.sh",
                "charts/sync-crds.sh",
                "scripts/test",
                "scripts/demo",
                "scripts/kubectl-nats",
                "scripts/update-crds",
                "scripts/update-docs",
                "scripts/lib/ensure-debian.sh",
                "scripts/lib/ensure-tools.sh",
                "bench/run-signing.sh",
                "bench/run-watch-decoding.sh",
                "bench/scale/run.sh",
                ".ci/run")
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
  }

  private static Path onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .map(d -> Path.of(d, command))
        .filter(Files::isExecutable)
        .findFirst()
        .orElse(null);
  }

  private static JsonNode deployObject(String kind) {
    List<JsonNode> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(DEPLOY)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        Manifests.documents(f).stream()
            .filter(d -> kind.equals(d.path("kind").asText()))
            .forEach(found::add);
      }
    } catch (IOException e) {
      fail(e);
    }
    assertEquals(1, found.size(), "one " + kind + " in deploy/");
    return (ObjectNode) found.get(0);
  }

  private static Map<String, String> readYamlDir(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        out.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    return out;
  }
}
