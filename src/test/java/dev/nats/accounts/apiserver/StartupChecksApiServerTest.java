package dev.nats.accounts.apiserver;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.app.ExitCode;
import dev.nats.accounts.app.KubeTarget;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.app.RequiredPermissions;
import dev.nats.accounts.app.RunSettings;
import dev.nats.accounts.app.StartupChecks;
import dev.nats.accounts.app.StartupFailure;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.ChildJvm;
import dev.nats.accounts.testing.Crds;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up checks against a real kube-apiserver with RBAC authorization, where their answers
 * come from: refused credentials, missing and stale CRDs, and missing permissions
 * (SelfSubjectAccessReview), each as the one line and exit code a user sees from the process.
 */
@Tag("apiserver")
class StartupChecksApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  static final String NS = "nats-account-operator";
  static final OperatorSettings ALL_NAMESPACES =
      OperatorSettings.builder().leaderElectionNamespace(NS).exitOnLostLease(true).build();
  @TempDir Path dir;

  @Test
  void adminWithTheCommittedCrdsPasses() {
    KubeTarget target = new KubeTarget(API.client().getConfiguration(), "test");
    assertFalse(target.check().isBlank(), "the server says who we are (SelfSubjectReview)");
    assertDoesNotThrow(() -> StartupChecks.run(API.client(), ALL_NAMESPACES, "admin"));
  }

  /**
   * A client-certificate kubeconfig holds no token, so fabric8's refresher would parse it again
   * before every request: it is switched off there (and the client still authenticates), while a
   * token kubeconfig keeps it.
   */
  @Test
  void aCertificateKubeconfigIsNotReparsedBeforeEveryRequest() throws Exception {
    KubeTarget cert =
        KubeTarget.resolve(
            Optional.of(new RunSettings.Given(adminKubeconfig().toString(), "--kubeconfig")),
            Map.of());
    assertEquals("", cert.config().getOauthToken(), "the refresher's off switch");
    assertTrue(
        cert.config().getClientCertData() != null || cert.config().getClientCertFile() != null);
    try (KubernetesClient c = new KubernetesClientBuilder().withConfig(cert.config()).build()) {
      assertNotNull(c.namespaces().withName("default").get(), "still authenticated");
    }
    KubeTarget token =
        KubeTarget.resolve(
            Optional.of(new RunSettings.Given(kubeconfig("some-token").toString(), "--kubeconfig")),
            Map.of());
    assertEquals("some-token", token.config().getAutoOAuthToken());
    assertEquals(null, token.config().getOauthToken(), "the refresher stays on");
  }

  @Test
  void refusedCredentialsAreOneLineAndExitCode4() throws Exception {
    Path kubeconfig = kubeconfig("bogus-token");
    StartupFailure f =
        assertThrows(
            StartupFailure.class,
            () ->
                KubeTarget.resolve(
                        Optional.of(new RunSettings.Given(kubeconfig.toString(), "--kubeconfig")),
                        Map.of())
                    .check());
    assertEquals(ExitCode.API_SERVER_UNREACHABLE, f.exitCode());
    String expected =
        "the Kubernetes API server at "
            + API.server().url().replaceFirst("/$", "")
            + " (from --kubeconfig "
            + kubeconfig
            + ", context test) refused the credentials: 401 Unauthorized (expired or revoked token?)";
    assertEquals(expected, f.getMessage());
    assertProcess(
        ExitCode.API_SERVER_UNREACHABLE,
        "nats-account-operator: "
            + expected.replace("--kubeconfig " + kubeconfig, "KUBECONFIG=" + kubeconfig),
        kubeconfig);
  }

  @Test
  void missingAndStaleCrdsAreNamedWithTheInstallCommand() throws Exception {
    KubernetesClient admin = API.client();
    try {
      admin
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName("users.accounts.nats.dev")
          .delete();
      await(
          () ->
              admin
                      .apiextensions()
                      .v1()
                      .customResourceDefinitions()
                      .withName("users.accounts.nats.dev")
                      .get()
                  == null);
      // An older Account CRD: one without spec.limits, as an earlier release would have installed.
      CustomResourceDefinition older =
          Crds.load().stream()
              .filter(c -> c.getMetadata().getName().equals("accounts.accounts.nats.dev"))
              .findFirst()
              .orElseThrow();
      older
          .getSpec()
          .getVersions()
          .get(0)
          .getSchema()
          .getOpenAPIV3Schema()
          .getProperties()
          .get("spec")
          .getProperties()
          .remove("limits");
      admin.resource(older).forceConflicts().serverSideApply();

      StartupFailure f = assertThrows(StartupFailure.class, () -> StartupChecks.crds(admin));
      assertEquals(ExitCode.CRDS_NOT_INSTALLED, f.exitCode());
      String expected =
          "CRDs not installed: users.accounts.nats.dev; CRDs older or newer than this build:"
              + " accounts.accounts.nats.dev (v1alpha1 schema differs at spec.limits (only in this build)); install this"
              + " build's: java -jar nats-account-operator.jar crds | kubectl apply --server-side -f -";
      assertEquals(expected, f.getMessage());
      assertProcess(
          ExitCode.CRDS_NOT_INSTALLED, "nats-account-operator: " + expected, adminKubeconfig());
    } finally {
      ApiServerExtension.installCrds(admin);
    }
    assertDoesNotThrow(
        () -> StartupChecks.crds(admin), "reinstalled from crds/, the served CRDs match again");
  }

  @Test
  void anIdentityWithoutRolesIsToldEveryPermissionItLacks() throws Exception {
    API.namespaces(NS);
    serviceAccount("bare");
    try (KubernetesClient bare = ShippedRbacApiServerTest.clientFor(API.client(), NS, "bare")) {
      StartupFailure f =
          assertThrows(
              StartupFailure.class,
              () ->
                  StartupChecks.rbac(
                      bare, ALL_NAMESPACES, "system:serviceaccount:" + NS + ":bare"));
      assertEquals(ExitCode.RBAC_INCOMPLETE, f.exitCode());
      assertTrue(
          f.getMessage()
              .startsWith(
                  "system:serviceaccount:"
                      + NS
                      + ":bare may not get/list/watch/create/update/"
                      + "delete secrets in all namespaces; get/list/watch/create/update configmaps in all namespaces; get/create/"
                      + "update events in all namespaces; list/watch namespaces; create leases.coordination.k8s.io in "
                      + NS
                      + "; get/update/patch leases.coordination.k8s.io nats-account-operator in "
                      + NS
                      + "; get customresourcedefinitions.apiextensions.k8s.io operators.accounts.nats.dev,"),
          f.getMessage());
      for (RequiredPermissions.Permission p : RequiredPermissions.all()) {
        assertTrue(
            f.getMessage()
                .contains(
                    String.join("/", p.verbs())
                        + " "
                        + p.resource()
                            .replaceFirst(
                                "^([^/]+)", "$1" + (p.group().isEmpty() ? "" : "." + p.group()))),
            p.resource() + " in " + f.getMessage());
      }
      assertTrue(
          f.getMessage()
              .endsWith(
                  "; grant what deploy/clusterrole.yaml and deploy/role.yaml grant (kubectl apply -k"
                      + " deploy/, or the Helm chart)"));
    }
  }

  @Test
  void oneMissingVerbIsNamedAloneAndTheShippedRolePasses() throws Exception {
    API.namespaces(NS);
    ClusterRole shipped =
        (ClusterRole)
            Serialization.unmarshal(
                Files.readString(Crds.projectRoot().resolve("deploy/clusterrole.yaml")));
    List<PolicyRule> rules = new ArrayList<>();
    for (PolicyRule r : shipped.getRules()) {
      PolicyRule copy = Serialization.clone(r);
      if (copy.getResources().equals(List.of("secrets"))) {
        copy.setVerbs(copy.getVerbs().stream().filter(v -> !v.equals("delete")).toList());
      }
      rules.add(copy);
    }
    bind(serviceAccount("no-delete"), clusterRole("no-delete", rules));
    bind(serviceAccount("shipped"), clusterRole("shipped", shipped.getRules()));
    bindLeaseRole("no-delete");
    bindLeaseRole("shipped");
    String who = "system:serviceaccount:" + NS + ":no-delete";
    try (KubernetesClient noDelete =
            ShippedRbacApiServerTest.clientFor(API.client(), NS, "no-delete");
        KubernetesClient ok = ShippedRbacApiServerTest.clientFor(API.client(), NS, "shipped")) {
      StartupFailure f =
          assertThrows(
              StartupFailure.class, () -> StartupChecks.rbac(noDelete, ALL_NAMESPACES, who));
      String expected =
          who
              + " may not delete secrets in all namespaces; grant what deploy/clusterrole.yaml and"
              + " deploy/role.yaml grant (kubectl apply -k deploy/, or the Helm chart)";
      assertEquals(expected, f.getMessage());
      assertDoesNotThrow(() -> StartupChecks.run(ok, ALL_NAMESPACES, "shipped"));
    }
    assertProcess(
        ExitCode.RBAC_INCOMPLETE,
        "nats-account-operator: " + expected(who),
        kubeconfig(token("no-delete")));
  }

  private static String expected(String who) {
    return who
        + " may not delete secrets in all namespaces; grant what deploy/clusterrole.yaml and"
        + " deploy/role.yaml grant (kubectl apply -k deploy/, or the Helm chart)";
  }

  /**
   * Namespaced permissions granted only in tenant-a (a RoleBinding to the shipped ClusterRole) pass
   * when only tenant-a is watched, and fail for all namespaces: the check asks where the operator
   * will act, not more.
   */
  @Test
  void permissionsAreCheckedInTheWatchedNamespacesOnly() throws Exception {
    API.namespaces(NS, "tenant-a");
    ClusterRole shipped =
        (ClusterRole)
            Serialization.unmarshal(
                Files.readString(Crds.projectRoot().resolve("deploy/clusterrole.yaml")));
    String sa = serviceAccount("scoped");
    clusterRole("scoped-namespaced", shipped.getRules());
    API.client()
        .rbac()
        .roleBindings()
        .inNamespace("tenant-a")
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("scoped")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "scoped-namespaced")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(sa)
                .withNamespace(NS)
                .endSubject()
                .build())
        .serverSideApply();
    API.client()
        .rbac()
        .roleBindings()
        .inNamespace(NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("scoped")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "scoped-namespaced")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(sa)
                .withNamespace(NS)
                .endSubject()
                .build())
        .serverSideApply();
    List<PolicyRule> clusterScoped =
        shipped.getRules().stream()
            .filter(
                r ->
                    r.getResources().contains("namespaces")
                        || r.getResources().contains("customresourcedefinitions"))
            .toList();
    bind(sa, clusterRole("scoped-cluster", clusterScoped));
    bindLeaseRole(sa);
    OperatorSettings tenantA =
        OperatorSettings.builder()
            .watchNamespaces(Set.of("tenant-a"))
            .leaderElectionNamespace(NS)
            .exitOnLostLease(true)
            .build();
    try (KubernetesClient scoped = ShippedRbacApiServerTest.clientFor(API.client(), NS, sa)) {
      assertDoesNotThrow(() -> StartupChecks.rbac(scoped, tenantA, sa));
      StartupFailure f =
          assertThrows(StartupFailure.class, () -> StartupChecks.rbac(scoped, ALL_NAMESPACES, sa));
      assertTrue(
          f.getMessage()
              .startsWith(
                  sa
                      + " may not get/list/watch/create/update/delete secrets in all"
                      + " namespaces;"),
          f.getMessage());
      assertFalse(
          f.getMessage().contains(" list/watch namespaces"),
          "cluster-scoped permissions are granted: " + f.getMessage());
      assertFalse(
          f.getMessage().contains("leases"), "the Lease namespace is granted: " + f.getMessage());
    }
  }

  /**
   * With OPERATOR_NAMESPACES set, ConfigMaps are asked for in those namespaces and nowhere else:
   * the ClusterRole without ConfigMaps plus the overlay's Role in nats passes for nats, and the
   * same identity is told exactly which ConfigMaps it lacks in the default mode (all namespaces)
   * and for a second Operator namespace.
   */
  @Test
  void configMapsAreCheckedInTheOperatorNamespacesWhenSet() throws Exception {
    API.namespaces(NS, "nats", "nats-east");
    ClusterRole shipped =
        (ClusterRole)
            Serialization.unmarshal(
                Files.readString(Crds.projectRoot().resolve("deploy/clusterrole.yaml")));
    String sa = serviceAccount("cm-scoped");
    bind(
        sa,
        clusterRole(
            "cm-scoped",
            shipped.getRules().stream()
                .filter(r -> !r.getResources().contains("configmaps"))
                .toList()));
    bindLeaseRole(sa);
    // configmaps-role.yaml holds the Role and its RoleBinding; the Role comes first.
    Role configMaps =
        (Role)
            Serialization.unmarshal(
                Files.readString(
                        Crds.projectRoot()
                            .resolve("examples/operator-namespaces/configmaps-role.yaml"))
                    .split("(?m)^---$")[0]);
    API.client().resource(configMaps).serverSideApply();
    API.client()
        .rbac()
        .roleBindings()
        .inNamespace("nats")
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(sa)
                .endMetadata()
                .withNewRoleRef(
                    "rbac.authorization.k8s.io", "Role", configMaps.getMetadata().getName())
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(sa)
                .withNamespace(NS)
                .endSubject()
                .build())
        .serverSideApply();
    String tail =
        "; grant what deploy/clusterrole.yaml and deploy/role.yaml grant (kubectl apply -k"
            + " deploy/, or the Helm chart)";
    try (KubernetesClient scoped = ShippedRbacApiServerTest.clientFor(API.client(), NS, sa)) {
      assertDoesNotThrow(
          () ->
              StartupChecks.rbac(
                  scoped, ALL_NAMESPACES.withOperatorNamespaces(Set.of("nats")), sa));
      StartupFailure all =
          assertThrows(StartupFailure.class, () -> StartupChecks.rbac(scoped, ALL_NAMESPACES, sa));
      assertEquals(
          sa + " may not get/list/watch/create/update configmaps in all namespaces" + tail,
          all.getMessage());
      StartupFailure east =
          assertThrows(
              StartupFailure.class,
              () ->
                  StartupChecks.rbac(
                      scoped,
                      ALL_NAMESPACES.withOperatorNamespaces(Set.of("nats", "nats-east")),
                      sa));
      assertEquals(
          sa + " may not get/list/watch/create/update configmaps in nats-east" + tail,
          east.getMessage());
    }
  }

  private static String serviceAccount(String name) {
    API.client()
        .serviceAccounts()
        .inNamespace(NS)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }

  private static String clusterRole(String name, List<PolicyRule> rules) {
    API.client()
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withRules(rules)
                .build())
        .serverSideApply();
    return name;
  }

  private static void bind(String serviceAccount, String clusterRole) {
    API.client()
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(serviceAccount + "-" + clusterRole)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(serviceAccount)
                .withNamespace(NS)
                .endSubject()
                .build())
        .serverSideApply();
  }

  /** deploy/role.yaml (the Lease, in {@link #NS}) bound to the ServiceAccount. */
  private static void bindLeaseRole(String serviceAccount) throws IOException {
    Role role =
        (Role)
            Serialization.unmarshal(
                Files.readString(Crds.projectRoot().resolve("deploy/role.yaml")));
    role.getMetadata().setName(serviceAccount + "-lease");
    API.client().resource(role).serverSideApply();
    API.client()
        .rbac()
        .roleBindings()
        .inNamespace(NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(serviceAccount + "-lease")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", serviceAccount + "-lease")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(serviceAccount)
                .withNamespace(NS)
                .endSubject()
                .build())
        .serverSideApply();
  }

  private static String token(String serviceAccount) {
    return API.client()
        .serviceAccounts()
        .inNamespace(NS)
        .withName(serviceAccount)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /** A kubeconfig for the test server that authenticates with {@code token} only. */
  private Path kubeconfig(String token) throws Exception {
    Config admin = API.client().getConfiguration();
    String ca =
        admin.getCaCertData() != null
            ? admin.getCaCertData()
            : Base64.getEncoder()
                .encodeToString(Files.readAllBytes(Path.of(admin.getCaCertFile())));
    return Files.writeString(
        Files.createTempFile(dir, "kubeconfig", ""),
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: test, cluster: {server: "%s", certificate-authority-data: "%s"}}]
        users: [{name: test, user: {token: "%s"}}]
        contexts: [{name: test, context: {cluster: test, user: test}}]
        current-context: test
        """
            .formatted(API.server().url(), ca, token));
  }

  private Path adminKubeconfig() throws Exception {
    return Files.writeString(Files.createTempFile(dir, "admin", ""), API.server().kubeconfig());
  }

  /**
   * `run` in a JVM of its own against this server: one line on stderr, nothing on stdout, the exit
   * code.
   */
  private void assertProcess(ExitCode code, String line, Path kubeconfig) throws Exception {
    try (ChildJvm jvm =
        ChildJvm.start(
            Map.of(
                "HOME",
                dir.toString(),
                "KUBECONFIG",
                kubeconfig.toString(),
                "LEADER_ELECTION_NAMESPACE",
                NS),
            dir,
            "run")) {
      assertEquals(code.code(), jvm.waitFor(Duration.ofSeconds(60)), "stderr: " + jvm.stderr());
      assertEquals(List.of(line), jvm.stderr());
      assertEquals(List.of(), jvm.stdout());
    }
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(condition);
  }
}
