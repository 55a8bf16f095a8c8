package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountSpec;
import dev.nats.accounts.api.v1alpha1.ObjectRef;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.OperatorSpec;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.app.StartupChecks;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator under exactly the RBAC we ship, on a real kube-apiserver with RBAC authorization:
 * the ServiceAccount, ClusterRole and ClusterRoleBinding come from deploy/ or from the rendered
 * Helm chart (a subclass each), the operator gets a token minted for that ServiceAccount
 * (TokenRequest API) and nothing else, runs with leader election in its own namespace as the
 * Deployment configures it, and the seed tutorial must pass while the Lease keeps being renewed.
 * Writes the roles do not grant are refused by the server, which proves the token really is that
 * narrow. The server runs the OwnerReferencesPermissionEnforcement admission plugin (as OpenShift
 * and hardened clusters do), so the finalizers grant for blockOwnerDeletion is exercised too.
 */
@Tag("apiserver")
abstract class ShippedRbacApiServerTest {
  /** kube-apiserver flags: the admission plugin that checks blockOwnerDeletion against RBAC. */
  static final List<String> FLAGS =
      List.of("--enable-admission-plugins=OwnerReferencesPermissionEnforcement");

  @TempDir Path dir;

  /** The API server of the concrete class. */
  abstract ApiServerExtension api();

  /** ServiceAccount, ClusterRole and ClusterRoleBinding (and any Role/RoleBinding) as shipped. */
  abstract List<HasMetadata> rbacObjects();

  abstract String namespace();

  abstract String serviceAccount();

  /**
   * OPERATOR_NAMESPACES as the shipped Deployment sets it; empty: Operators wherever the rest is
   * watched, ConfigMaps granted cluster-wide.
   */
  Set<String> operatorNamespaces() {
    return Set.of();
  }

  @Test
  void theTutorialPassesUnderTheShippedRbacAndNothingMoreIsAllowed() throws Exception {
    KubernetesClient admin = api().client();
    api()
        .namespaces(
            Stream.concat(Stream.of(namespace()), Stream.of(SeedTutorial.NAMESPACES))
                .toArray(String[]::new));
    List<HasMetadata> rbac = rbacObjects();
    assertTrue(
        rbac.stream().anyMatch(o -> o.getKind().equals("ClusterRole")), "a ClusterRole is shipped");
    for (HasMetadata o : rbac) {
      admin.resource(o).serverSideApply();
    }

    try (KubernetesClient operator = clientFor(admin, namespace(), serviceAccount())) {
      assertRefused(
          () ->
              operator
                  .configMaps()
                  .inNamespace("nats")
                  .resource(
                      new ConfigMapBuilder()
                          .withNewMetadata()
                          .withName("nats-account-operator-probe")
                          .endMetadata()
                          .build())
                  .create(),
          "create ConfigMaps",
          false);
      // Outside OPERATOR_NAMESPACES no ConfigMap may be written; with it unset, anywhere.
      assertRefused(
          () ->
              operator
                  .configMaps()
                  .inNamespace("tenant-b")
                  .resource(
                      new ConfigMapBuilder()
                          .withNewMetadata()
                          .withName("nats-account-operator-probe")
                          .endMetadata()
                          .build())
                  .create(),
          "create ConfigMaps in tenant-b",
          !operatorNamespaces().isEmpty());
      assertRefused(
          () ->
              operator
                  .rbac()
                  .clusterRoleBindings()
                  .resource(
                      new ClusterRoleBindingBuilder()
                          .withNewMetadata()
                          .withName("escalate")
                          .endMetadata()
                          .withNewRoleRef(
                              "rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                          .build())
                  .create(),
          "create ClusterRoleBindings",
          true);
      assertRefused(
          () -> operator.apps().deployments().inNamespace(namespace()).list(),
          "list Deployments",
          true);
      assertRefused(
          () -> operator.resources(Account.class).inNamespace("tenant-a").withName("a").delete(),
          "delete Accounts",
          true);
      assertRefused(
          () ->
              operator
                  .leases()
                  .inNamespace("nats")
                  .resource(
                      new LeaseBuilder()
                          .withNewMetadata()
                          .withName(OperatorSettings.LEASE_NAME)
                          .endMetadata()
                          .build())
                  .create(),
          "create Leases outside its own namespace",
          true);

      OperatorSettings settings =
          OperatorSettings.forTests().toBuilder()
              .leaderElectionNamespace(namespace())
              .operatorNamespaces(operatorNamespaces())
              .build();
      // What the process checks at start, under the same token: the shipped roles are enough for
      // the settings the Deployment gives it.
      StartupChecks.rbac(operator, settings, serviceAccount());
      try (OperatorHarness h = OperatorHarness.startAs(admin, operator, dir, settings)) {
        SeedTutorial.applyAndVerify(h);
        if (!operatorNamespaces().isEmpty()) {
          anOperatorOutsideTheListIsReportedNotReconciled(admin, h);
        }
        var lease =
            admin.leases().inNamespace(namespace()).withName(OperatorSettings.LEASE_NAME).get();
        assertNotNull(lease, "the operator took its Lease in " + namespace());
        String holder = lease.getSpec().getHolderIdentity();
        assertTrue(holder != null && !holder.isBlank());
        // Renewals (a merge patch every retry period) go through: a role without patch on the
        // Lease lets the leader take it once and lose it at the renew deadline.
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () ->
                    admin
                        .leases()
                        .inNamespace(namespace())
                        .withName(OperatorSettings.LEASE_NAME)
                        .get()
                        .getSpec(),
                spec ->
                    holder.equals(spec.getHolderIdentity())
                        && spec.getRenewTime().isAfter(lease.getSpec().getRenewTime()));
      }
      var released =
          admin.leases().inNamespace(namespace()).withName(OperatorSettings.LEASE_NAME).get();
      assertTrue(
          released.getSpec().getHolderIdentity() == null
              || released.getSpec().getHolderIdentity().isEmpty(),
          "stopping released the Lease (an update the shipped Role grants): " + released.getSpec());
    }
  }

  /**
   * An Operator in tenant-b, outside OPERATOR_NAMESPACES: nothing reconciles it (no status, no
   * keys, no ConfigMap, which the roles would refuse there anyway), and the Account that refers to
   * it says why (OperatorNotManaged, naming the setting) rather than waiting; the Operator carries
   * a Warning Event saying so, written under the shipped roles.
   */
  private static void anOperatorOutsideTheListIsReportedNotReconciled(
      KubernetesClient admin, OperatorHarness h) {
    Operator stray = new Operator();
    stray.setMetadata(new ObjectMetaBuilder().withName("stray").withNamespace("tenant-b").build());
    stray.setSpec(new OperatorSpec());
    admin.resource(stray).create();
    Account account = new Account();
    account.setMetadata(
        new ObjectMetaBuilder().withName("stray").withNamespace("tenant-b").build());
    AccountSpec spec = new AccountSpec();
    ObjectRef ref = new ObjectRef();
    ref.setName("stray");
    ref.setNamespace("tenant-b");
    spec.setOperatorRef(ref);
    account.setSpec(spec);
    admin.resource(account).create();
    Account reported =
        h.awaitCondition(
            Account.class,
            "tenant-b",
            "stray",
            ConditionType.READY,
            Conditions.FALSE,
            Reason.OPERATOR_NOT_MANAGED);
    String message = Conditions.message(reported.getStatus().getConditions(), ConditionType.READY);
    assertTrue(
        message.contains("OPERATOR_NAMESPACES") && message.contains("tenant-b/stray"), message);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                admin.v1().events().inNamespace("tenant-b").list().getItems().stream()
                    .anyMatch(
                        e ->
                            "Operator".equals(e.getInvolvedObject().getKind())
                                && "stray".equals(e.getInvolvedObject().getName())
                                && "Warning".equals(e.getType())
                                && Reason.OPERATOR_NOT_MANAGED.value().equals(e.getReason())));
    Operator after =
        admin.resources(Operator.class).inNamespace("tenant-b").withName("stray").get();
    assertTrue(
        after.getStatus() == null || after.getStatus().getPublicKey() == null,
        "nothing reconciled the Operator outside OPERATOR_NAMESPACES: " + after.getStatus());
    assertEquals(
        null,
        admin.configMaps().inNamespace("tenant-b").withName("stray-server-config").get(),
        "no server config outside OPERATOR_NAMESPACES");
    assertEquals(
        null,
        admin.secrets().inNamespace("tenant-b").withName("stray-operator-keys").get(),
        "no operator keys outside OPERATOR_NAMESPACES");
  }

  /**
   * A write the role does not grant must come back 403. ConfigMaps are the exception that proves
   * the rule: the role grants create on ConfigMaps (the operator writes server-config), so that
   * probe is expected to pass.
   */
  private static void assertRefused(Runnable request, String what, boolean refused) {
    try {
      request.run();
      if (refused) {
        fail("the operator's token may " + what + ", which the shipped RBAC does not grant");
      }
    } catch (KubernetesClientException e) {
      if (!refused) {
        fail("the operator's token may not " + what + ": " + e.getMessage());
      }
      assertEquals(403, e.getCode(), what + ": " + e.getMessage());
    }
  }

  /** A client that authenticates only with a token minted for the ServiceAccount. */
  static KubernetesClient clientFor(
      KubernetesClient admin, String namespace, String serviceAccount) {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config adminConfig = admin.getConfiguration();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(adminConfig.getMasterUrl())
            .withCaCertFile(adminConfig.getCaCertFile())
            .withCaCertData(adminConfig.getCaCertData())
            .withOauthToken(token)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
