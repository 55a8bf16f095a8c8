package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.app.BundledCrds;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.testing.ApiRequestRecorder;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's finalizer policy on a real API server (1.37, where MutatingAdmissionPolicy is v1):
 * {@code helm install} with the default {@code finalizersAtAdmission: auto} creates it, the API
 * server puts JOSDK's finalizer on each resource created in the release's namespaces, the operator
 * then never patches a resource of ours to add it, and deletion still runs the cleanup and removes
 * it. A namespace outside the release gets no finalizer from the policy (the operator adds its own
 * there, as without the policy: the control that shows the recorder sees those patches).
 */
@Tag("apiserver")
class FinalizersAtAdmissionApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  static final String RELEASE = "nao";
  static final Set<String> PRIMARY_PLURALS =
      BundledCrds.KINDS.stream().map(HasMetadata::getPlural).collect(Collectors.toSet());

  @TempDir Path dir;
  OperatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void resourcesCreatedInTheReleasesNamespacesCarryTheFinalizerAndTheOperatorNeverAddsIt()
      throws Exception {
    KubernetesClient admin = API.client();
    API.namespaces("nats", "fin", "outside", "nats-system");
    new Helm(Crds.projectRoot().resolve("charts/nats-account-operator"))
        .install()
        .withName(RELEASE)
        .withNamespace("nats-system")
        .withKubeConfigContents(API.server().kubeconfig())
        .skipCrds()
        .set("watchNamespaces[0]", "nats")
        .set("watchNamespaces[1]", "fin")
        .call();
    List<GenericKubernetesResource> policies =
        admin.genericKubernetesResources(mapContext()).list().getItems();
    assertEquals(
        List.of(RELEASE + "-nats-account-operator-finalizers"),
        policies.stream().map(p -> p.getMetadata().getName()).toList(),
        "auto: the chart creates the policy where the API server serves it");
    awaitPolicyInEffect(admin);

    ApiRequestRecorder recorder = new ApiRequestRecorder();
    KubernetesClient operatorClient = recorder.client(admin.getConfiguration());
    h = OperatorHarness.startAs(admin, operatorClient, dir, OperatorSettings.forTests());
    assertTrue(
        h.get(Operator.class, "nats", "main")
            .getMetadata()
            .getFinalizers()
            .contains("operators.accounts.nats.dev/finalizer"));

    Account created = admin.resource(Fixtures.account("fin", "a")).create();
    assertEquals(
        List.of("accounts.accounts.nats.dev/finalizer"),
        created.getMetadata().getFinalizers(),
        "the finalizer is there in the API server's answer to the create");
    admin.resource(Fixtures.user("fin", "u", "a")).create();
    admin.resource(Fixtures.streamExport("fin", "events", "a", "events.>")).create();
    admin.resource(Fixtures.account("outside", "b")).create();
    h.awaitReady(Account.class, "fin", "a");
    h.awaitReady(User.class, "fin", "u");
    h.awaitReady(StreamExport.class, "fin", "events");
    h.awaitReady(Account.class, "outside", "b");

    assertEquals(
        Set.of("accounts outside/b"),
        primariesPatched(recorder),
        "only the resource outside the release's namespaces had its finalizer added by a patch");

    admin.resources(User.class).inNamespace("fin").withName("u").delete();
    admin.resources(StreamExport.class).inNamespace("fin").withName("events").delete();
    admin.resources(Account.class).inNamespace("fin").withName("a").delete();
    for (Class<? extends HasMetadata> kind : List.of(User.class, StreamExport.class)) {
      await()
          .atMost(OperatorHarness.WAIT)
          .until(() -> admin.resources(kind).inNamespace("fin").list().getItems().isEmpty());
    }
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> admin.resources(Account.class).inNamespace("fin").withName("a").get() == null);
    assertEquals(
        Set.of("accounts outside/b", "accounts fin/a", "users fin/u", "streamexports fin/events"),
        primariesPatched(recorder),
        "each cleanup removed the finalizer the policy had put there, and nothing else was patched");
  }

  /** "plural namespace/name" of every resource of ours the operator patched (not its status). */
  private static Set<String> primariesPatched(ApiRequestRecorder recorder) {
    return recorder.accesses().stream()
        .filter(a -> a.verb().equals("patch") && PRIMARY_PLURALS.contains(a.resource()))
        .map(a -> a.resource() + " " + a.namespace() + "/" + a.name())
        .collect(Collectors.toSet());
  }

  /**
   * A new policy takes effect once the API server's admission plugin has loaded it: a server-side
   * dry run of a create shows when.
   */
  private static void awaitPolicyInEffect(KubernetesClient admin) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Account probe = Fixtures.account("fin", "probe");
              Account answer = admin.resource(probe).dryRun().create();
              return answer.getMetadata().getFinalizers() != null
                  && answer
                      .getMetadata()
                      .getFinalizers()
                      .contains("accounts.accounts.nats.dev/finalizer");
            });
  }

  private static ResourceDefinitionContext mapContext() {
    return new ResourceDefinitionContext.Builder()
        .withGroup("admissionregistration.k8s.io")
        .withVersion("v1")
        .withKind("MutatingAdmissionPolicy")
        .withPlural("mutatingadmissionpolicies")
        .withNamespaced(false)
        .build();
  }
}
