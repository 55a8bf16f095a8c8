package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.DeletionPolicy;
import dev.nats.accounts.api.v1alpha1.SecretKeyRef;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.app.RequiredPermissions;
import dev.nats.accounts.app.StartupChecks;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.ApiRequestRecorder;
import dev.nats.accounts.testing.ApiRequestRecorder.Access;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.ErrorPathScenarios;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nats.client.NKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RBAC we ship is derived from what the code does, not from a list kept by hand: the operator
 * runs with admin rights through every write path (the seed tutorial, a repeated Warning Event,
 * adopted and hand-made key Secrets, creds rotation, a repaired server-config, deletions with both
 * policies, leader election in its own namespace) while {@link ApiRequestRecorder} notes every
 * request as the authorizer sees it. deploy/, the chart and {@link RequiredPermissions} must then
 * grant each of those, at its scope, and nothing that was not used: a cluster-wide grant is excess
 * when every use was in the operator's own namespace, where a Role does.
 */
@Tag("apiserver")
class RbacDerivedFromCodeApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();

  /** deploy/'s namespace, also the chart's release namespace here: where the Lease lives. */
  static final String OPERATOR_NAMESPACE = "nats-account-operator";

  /**
   * Requests every authenticated user may make under Kubernetes' default roles (system:basic-user,
   * system:discovery, system:public-info-viewer), so the shipped roles do not repeat them: the
   * start-up access review, and JOSDK's SelfSubjectRulesReview before it takes the Lease.
   */
  static final Set<String> GRANTED_TO_EVERY_USER =
      Set.of(
          "authorization.k8s.io selfsubjectaccessreviews create",
          "authorization.k8s.io selfsubjectrulesreviews create");

  /**
   * A read the recording cannot provoke on a real server: after a 409 or 422 on its finalizer patch
   * JOSDK reads the resource again with GET (PrimaryUpdateAndCacheUtils.conflictRetryingPatch;
   * ConflictsTest makes that conflict on the mock). No recorded path reads our kinds any more since
   * status writes stopped reading first, so without this the roles would lose a read JOSDK needs.
   */
  static final Set<String> READ_ON_CONFLICT_ONLY =
      Stream.of(
              "accounts",
              "operators",
              "users",
              "serviceexports",
              "serviceimports",
              "streamexports",
              "streamimports")
          .map(r -> "accounts.nats.dev " + r + " get (ClusterRole)")
          .collect(Collectors.toSet());

  @TempDir static Path dir;
  static Set<Access> used;
  static Set<String> nonResourcePaths;

  @BeforeAll
  static void runEveryWritePathAndRecordTheRequests() throws Exception {
    KubernetesClient admin = API.client();
    API.namespaces(
        Stream.concat(
                Stream.of(OPERATOR_NAMESPACE, "paths", "adopted"),
                Stream.of(SeedTutorial.NAMESPACES))
            .toArray(String[]::new));
    ApiRequestRecorder recorder = new ApiRequestRecorder();
    OperatorSettings settings = OperatorSettings.forTests().withLeaderElection(OPERATOR_NAMESPACE);
    try (KubernetesClient operator = recorder.client(admin.getConfiguration())) {
      StartupChecks.run(operator, settings, "recorded");
      try (OperatorHarness h = OperatorHarness.startAs(admin, operator, dir, settings)) {
        SeedTutorial.applyAndVerify(h);
        streams(h);
        repeatedWarningEvent(h);
        keySecretsAdoptedAndHandMade(h);
        credsRotated(h);
        serverConfigRepaired(h);
        deletions(h);
      }
    }
    used = recorder.accesses();
    nonResourcePaths = recorder.nonResourcePaths();
  }

  @AfterAll
  static void show() {
    if (used != null) {
      System.out.println(
          "requests the operator made, as RBAC sees them:\n"
              + used.stream()
                  .map(
                      a ->
                          new Access(a.group(), a.resource(), a.verb(), a.namespace(), null, false))
                  .map(Access::toString)
                  .collect(Collectors.toCollection(TreeSet::new))
                  .stream()
                  .collect(Collectors.joining("\n")));
    }
  }

  /**
   * examples/multi-tenant: stream exports and imports (the tutorial has services only), one granted
   * and one refused.
   */
  private static void streams(OperatorHarness h) throws Exception {
    h.applyManifests(Crds.projectRoot().resolve(Path.of("examples", "multi-tenant")));
    h.awaitReady(StreamExport.class, "team-orders", "orders-events");
    h.awaitReady(StreamImport.class, "team-shipping", "orders-events");
    h.awaitCondition(
        StreamImport.class,
        "team-rogue",
        "orders-events",
        ConditionType.READY,
        Conditions.FALSE,
        Reason.NOT_GRANTED);
  }

  /**
   * A Warning recorded again by a fresh process (the de-duplication is per process) bumps the count
   * of the Event already there.
   */
  private static void repeatedWarningEvent(OperatorHarness h) {
    String ns = "paths";
    h.create(Fixtures.account(ns, "a"));
    h.awaitReady(Account.class, ns, "a");
    var theirs =
        h.client()
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withNamespace(ns)
                    .withName(Names.userCreds("u"))
                    .endMetadata()
                    .withStringData(Map.of("password", "hunter2"))
                    .build())
            .create();
    User u = h.create(Fixtures.user(ns, "u", "a"));
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> !ErrorPathScenarios.warnings(h, u, Reason.SECRET_CONFLICT).isEmpty());
    h.restartOperator();
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                ErrorPathScenarios.warnings(h, u, Reason.SECRET_CONFLICT).stream()
                    .anyMatch(e -> e.getCount() != null && e.getCount() >= 2));
    h.client().resource(theirs).delete();
    h.awaitReady(User.class, ns, "u");
  }

  /**
   * An Account adopting its identity from a Secret of the user's (spec.identitySecretRef), and one
   * whose key Secret was made by hand before it (a restore): both read live, the second extended.
   */
  private static void keySecretsAdoptedAndHandMade(OperatorHarness h) throws Exception {
    String ns = "adopted";
    String seed = new String(NKey.createAccount(null).getSeed());
    h.client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName("brought")
                .endMetadata()
                .withStringData(Map.of("seed", seed))
                .build())
        .create();
    Account adopting = Fixtures.account(ns, "adopting");
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("brought");
    adopting.getSpec().setIdentitySecretRef(ref);
    h.create(adopting);

    String restoredSeed = new String(NKey.createAccount(null).getSeed());
    h.client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(Names.accountKeys("restored"))
                .endMetadata()
                .withStringData(Map.of(dev.nats.accounts.keys.KeySecrets.IDENTITY, restoredSeed))
                .build())
        .create();
    h.create(Fixtures.account(ns, "restored"));
    h.awaitReady(Account.class, ns, "adopting");
    h.awaitReady(Account.class, ns, "restored");
  }

  /** A User's spec changes: its creds are signed again and the Secret updated. */
  private static void credsRotated(OperatorHarness h) {
    User u = h.get(User.class, "tenant-a", "u");
    String before = h.secretValue("tenant-a", "u-creds", "user.creds");
    u.getSpec().setDisplayName("rotated");
    h.updateSpec(u);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> !before.equals(h.secretValue("tenant-a", "u-creds", "user.creds")));
  }

  /** Someone edits the server-config ConfigMap: the operator writes it back. */
  private static void serverConfigRepaired(OperatorHarness h) {
    var configMaps =
        h.client()
            .configMaps()
            .inNamespace(OperatorHarness.OPERATOR_NS)
            .withName(Names.serverConfig(OperatorHarness.OPERATOR_NAME));
    String good = h.resolverConf();
    configMaps.edit(
        c ->
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder(c)
                .addToData("resolver.conf", "# edited by hand\n")
                .build());
    await().atMost(OperatorHarness.WAIT).until(() -> good.equals(h.resolverConf()));
  }

  /**
   * A User (finalizer, revocation, creds Secret deleted), an export with an activation (its token
   * Secret deleted) and an Account with deletionPolicy Delete (its key Secret deleted).
   */
  private static void deletions(OperatorHarness h) {
    KubernetesClient c = h.client();
    c.resources(User.class).inNamespace("paths").withName("u").delete();
    c.resources(ServiceExport.class).inNamespace("tenant-a").withName("private-help").delete();
    Account a = h.get(Account.class, "adopted", "restored");
    a.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    h.updateSpec(a);
    c.resources(Account.class).inNamespace("adopted").withName("restored").delete();
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                h.get(User.class, "paths", "u") == null
                    && h.get(ServiceExport.class, "tenant-a", "private-help") == null
                    && h.get(Account.class, "adopted", "restored") == null);
    assertNull(c.secrets().inNamespace("paths").withName(Names.userCreds("u")).get());
    assertNull(
        c.secrets().inNamespace("adopted").withName(Names.accountKeys("restored")).get(),
        "deletionPolicy Delete removed the key Secret");
  }

  @Test
  void deployGrantsExactlyWhatTheCodeUses() {
    assertGrantsExactlyWhatIsUsed("deploy/", ShippedRoles.of(DeployRbacApiServerTest.objects()));
  }

  @Test
  void theChartGrantsExactlyWhatTheCodeUses() {
    assertGrantsExactlyWhatIsUsed(
        "the chart", ShippedRoles.of(ChartRbacApiServerTest.rendered(OPERATOR_NAMESPACE)));
  }

  /** The start-up access review asks about exactly the permissions the roles grant. */
  @Test
  void theStartUpReviewAsksForExactlyWhatTheCodeUses() {
    List<HasMetadata> roles = new ArrayList<>();
    for (RequiredPermissions.Permission p : RequiredPermissions.all()) {
      PolicyRule rule = new PolicyRule();
      rule.setApiGroups(List.of(p.group()));
      rule.setResources(List.of(p.resource()));
      rule.setVerbs(p.verbs());
      if (!p.resourceNames().isEmpty()) {
        rule.setResourceNames(p.resourceNames());
      }
      if (p.scope() == RequiredPermissions.Scope.LEASE_NAMESPACE) {
        Role r = new Role();
        r.setMetadata(
            new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withNamespace(OPERATOR_NAMESPACE)
                .build());
        r.setRules(List.of(rule));
        roles.add(r);
      } else {
        ClusterRole r = new ClusterRole();
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().build());
        r.setRules(List.of(rule));
        roles.add(r);
      }
    }
    assertGrantsExactlyWhatIsUsed("RequiredPermissions", ShippedRoles.of(roles));
  }

  /** Only discovery and /version outside the API groups, which every client may read. */
  @Test
  void noOtherNonResourceUrls() {
    for (String path : nonResourcePaths) {
      assertTrue(
          path.equals("/version") || path.equals("/api") || path.equals("/apis"),
          "a non-resource URL the roles do not grant: " + path);
    }
  }

  private static void assertGrantsExactlyWhatIsUsed(String what, ShippedRoles roles) {
    List<String> missing = new ArrayList<>();
    for (Access a : used) {
      if (!GRANTED_TO_EVERY_USER.contains(a.group() + " " + a.resource() + " " + a.verb())
          && !roles.grants(a)) {
        missing.add(a.toString());
      }
    }
    List<String> unused =
        roles.unused(used).stream().filter(u -> !READ_ON_CONFLICT_ONLY.contains(u)).toList();
    assertAll(
        () -> assertEquals(List.of(), sorted(missing), what + " does not grant what the code uses"),
        () -> assertEquals(List.of(), sorted(unused), what + " grants what the code never uses"));
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().distinct().toList();
  }

  /** ClusterRoles and Roles flattened to one grant per (group, resource, verb, resource name). */
  record ShippedRoles(List<Grant> grants) {
    record Grant(String namespace, String group, String resource, String verb, String name) {
      boolean covers(Access a) {
        return group.equals(a.group())
            && resource.equals(a.resource())
            && verb.equals(a.verb())
            && (name == null || name.equals(a.name()))
            && (namespace == null || namespace.equals(a.namespace()));
      }

      @Override
      public String toString() {
        return (group.isEmpty() ? "core" : group)
            + " "
            + resource
            + " "
            + verb
            + (name == null ? "" : " name " + name)
            + (namespace == null ? " (ClusterRole)" : " (Role in " + namespace + ")");
      }
    }

    static ShippedRoles of(List<? extends HasMetadata> objects) {
      List<Grant> out = new ArrayList<>();
      for (HasMetadata o : objects) {
        List<PolicyRule> rules;
        String ns;
        if (o instanceof ClusterRole r) {
          rules = r.getRules();
          ns = null;
        } else if (o instanceof Role r) {
          rules = r.getRules();
          ns = r.getMetadata().getNamespace();
          assertTrue(ns != null && !ns.isEmpty(), "a Role without a namespace: " + r);
        } else {
          continue;
        }
        for (PolicyRule rule : rules) {
          assertTrue(
              rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty(),
              "no non-resource rules: " + rule);
          List<String> names =
              rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                  ? java.util.Collections.singletonList(null)
                  : rule.getResourceNames();
          for (String g : rule.getApiGroups()) {
            for (String r : rule.getResources()) {
              for (String v : rule.getVerbs()) {
                for (String n : names) {
                  out.add(new Grant(ns, g, r, v, n));
                }
              }
            }
          }
        }
      }
      assertTrue(!out.isEmpty(), "no roles found");
      return new ShippedRoles(out);
    }

    boolean grants(Access a) {
      return grants.stream().anyMatch(g -> g.covers(a));
    }

    /**
     * Grants no recorded request needed: none covered, or a ClusterRole grant whose every use was
     * in the operator's namespace (a Role there would do).
     */
    List<String> unused(Set<Access> used) {
      Map<Grant, Boolean> needed = new HashMap<>();
      for (Grant g : grants) {
        needed.put(
            g,
            used.stream()
                .filter(g::covers)
                .anyMatch(a -> g.namespace() != null || !OPERATOR_NAMESPACE.equals(a.namespace())));
      }
      return needed.entrySet().stream()
          .filter(e -> !e.getValue())
          .map(e -> e.getKey().toString())
          .toList();
    }
  }
}
