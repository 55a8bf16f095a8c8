package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
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
          new OperatorSettings(
              Set.of(), Duration.ofSeconds(30), Duration.ofMillis(1500), 0, namespace(), false);
      try (OperatorHarness h = OperatorHarness.startAs(admin, operator, dir, settings)) {
        SeedTutorial.applyAndVerify(h);
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
