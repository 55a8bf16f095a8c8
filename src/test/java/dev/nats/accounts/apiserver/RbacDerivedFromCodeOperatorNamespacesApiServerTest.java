package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountSpec;
import dev.nats.accounts.api.v1alpha1.ObjectRef;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.OperatorSpec;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.app.StartupChecks;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.ApiRequestRecorder;
import dev.nats.accounts.testing.ApiRequestRecorder.Access;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RbacDerivedFromCodeApiServerTest} for OPERATOR_NAMESPACES=nats, kept to what the setting
 * changes so it stays cheap: the seed tutorial, a repaired server-config and an Account under an
 * Operator outside the list, recorded. Every ConfigMap request must then be in nats (none
 * cluster-wide, none in a tenant namespace), the chart with {@code operatorNamespaces: [nats]} must
 * grant every request of the run, and its ConfigMaps Role must hold no verb the run did not use.
 * (The other rules are held to the code by the full run in the default mode; this shorter run does
 * not take every write path, so it cannot judge their excess.)
 */
@Tag("apiserver")
class RbacDerivedFromCodeOperatorNamespacesApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();

  static final String OPERATOR_NAMESPACE = RbacDerivedFromCodeApiServerTest.OPERATOR_NAMESPACE;

  @TempDir static Path dir;
  static Set<Access> used;

  @BeforeAll
  static void runTheTutorialWithOperatorNamespacesAndRecord() throws Exception {
    KubernetesClient admin = API.client();
    API.namespaces(
        Stream.concat(Stream.of(OPERATOR_NAMESPACE), Stream.of(SeedTutorial.NAMESPACES))
            .toArray(String[]::new));
    ApiRequestRecorder recorder = new ApiRequestRecorder();
    OperatorSettings settings =
        OperatorSettings.forTests().toBuilder()
            .leaderElectionNamespace(OPERATOR_NAMESPACE)
            .operatorNamespaces(Set.of(OperatorHarness.OPERATOR_NS))
            .build();
    try (KubernetesClient operator = recorder.client(admin.getConfiguration())) {
      StartupChecks.run(operator, settings, "recorded");
      try (OperatorHarness h = OperatorHarness.startAs(admin, operator, dir, settings)) {
        SeedTutorial.applyAndVerify(h);
        serverConfigRepaired(h);
        accountUnderAnOperatorOutsideTheList(h);
      }
    }
    used = recorder.accesses();
  }

  private static void serverConfigRepaired(OperatorHarness h) {
    var configMaps =
        h.client()
            .configMaps()
            .inNamespace(OperatorHarness.OPERATOR_NS)
            .withName(Names.serverConfig(OperatorHarness.OPERATOR_NAME));
    String good = h.resolverConf();
    configMaps.edit(
        c -> new ConfigMapBuilder(c).addToData("resolver.conf", "# edited by hand\n").build());
    await().atMost(OperatorHarness.WAIT).until(() -> good.equals(h.resolverConf()));
  }

  private static void accountUnderAnOperatorOutsideTheList(OperatorHarness h) {
    Operator stray = new Operator();
    stray.setMetadata(new ObjectMetaBuilder().withName("stray").withNamespace("tenant-b").build());
    stray.setSpec(new OperatorSpec());
    h.client().resource(stray).create();
    Account account = new Account();
    account.setMetadata(
        new ObjectMetaBuilder().withName("stray").withNamespace("tenant-b").build());
    AccountSpec spec = new AccountSpec();
    ObjectRef ref = new ObjectRef();
    ref.setName("stray");
    ref.setNamespace("tenant-b");
    spec.setOperatorRef(ref);
    account.setSpec(spec);
    h.client().resource(account).create();
    h.awaitCondition(
        Account.class,
        "tenant-b",
        "stray",
        ConditionType.READY,
        Conditions.FALSE,
        Reason.OPERATOR_NOT_MANAGED);
  }

  private static List<Access> configMapAccesses() {
    return used.stream()
        .filter(a -> a.group().isEmpty() && a.resource().equals("configmaps"))
        .toList();
  }

  @Test
  void everyConfigMapRequestIsInTheOperatorNamespace() {
    assertFalse(configMapAccesses().isEmpty(), "the run wrote and watched the server config");
    assertEquals(
        List.of(),
        configMapAccesses().stream()
            .filter(a -> !OperatorHarness.OPERATOR_NS.equals(a.namespace()))
            .map(Access::toString)
            .sorted()
            .toList(),
        "ConfigMap requests outside " + OperatorHarness.OPERATOR_NS);
  }

  @Test
  void theChartGrantsWhatTheRunUsesAndNoConfigMapVerbItDoesNot() {
    var roles =
        RbacDerivedFromCodeApiServerTest.ShippedRoles.of(
            ChartRbacApiServerTest.rendered(
                OPERATOR_NAMESPACE, Map.of("operatorNamespaces", OperatorHarness.OPERATOR_NS)));
    List<String> missing =
        used.stream()
            .filter(
                a ->
                    !RbacDerivedFromCodeApiServerTest.GRANTED_TO_EVERY_USER.contains(
                        a.group() + " " + a.resource() + " " + a.verb()))
            .filter(a -> !roles.grants(a))
            .map(Access::toString)
            .sorted()
            .distinct()
            .toList();
    List<String> unusedConfigMapGrants =
        roles.unused(used).stream().filter(g -> g.startsWith("core configmaps ")).sorted().toList();
    assertAll(
        () -> assertEquals(List.of(), missing, "the chart does not grant what the code uses"),
        () ->
            assertEquals(
                List.of(),
                unusedConfigMapGrants,
                "the chart grants ConfigMap verbs the code never uses"));
  }
}
