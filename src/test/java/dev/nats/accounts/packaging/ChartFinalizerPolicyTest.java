package dev.nats.accounts.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.TemplateCommand;
import dev.nats.accounts.app.BundledCrds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's finalizer policy (values {@code finalizersAtAdmission}) as rendered: one policy for
 * every kind the operator finalizes, and bindings that never reach a namespace the release does not
 * reconcile, since a finalizer there would never be removed. {@code
 * FinalizersAtAdmissionApiServerTest} installs it on a real API server.
 */
class ChartFinalizerPolicyTest {
  /** Every kind the operator reconciles, as the policy's rules name them (plurals). */
  static final Set<String> KINDS =
      BundledCrds.KINDS.stream().map(HasMetadata::getPlural).collect(Collectors.toSet());

  static Rendered render(Map<String, String> values) {
    TemplateCommand t =
        HelmChartTest.helm()
            .template()
            .withName(HelmChartTest.RELEASE)
            .withNamespace(HelmChartTest.NAMESPACE);
    values.forEach(t::set);
    return Rendered.parse(t.call());
  }

  @Test
  void enabledRendersOnePolicyForEveryKindThatAddsJosdksFinalizerOnCreateAndFailsOpen() {
    Rendered chart = render(Map.of("finalizersAtAdmission", "enabled"));
    JsonNode policy = chart.one("MutatingAdmissionPolicy");
    assertEquals("admissionregistration.k8s.io/v1", policy.path("apiVersion").asText());
    assertEquals(
        "nao-nats-account-operator-finalizers", policy.path("metadata").path("name").asText());
    JsonNode spec = policy.path("spec");
    assertEquals(
        "Ignore", spec.path("failurePolicy").asText(), "a failing policy blocks no create");
    JsonNode rule = spec.path("matchConstraints").path("resourceRules").path(0);
    assertEquals(List.of("CREATE"), Rendered.strings(rule.path("operations")));
    assertEquals(List.of("accounts.nats.dev"), Rendered.strings(rule.path("apiGroups")));
    assertEquals(KINDS, Set.copyOf(Rendered.strings(rule.path("resources"))));
    JsonNode mutation = spec.path("mutations").path(0);
    assertEquals("ApplyConfiguration", mutation.path("patchType").asText());
    assertTrue(
        mutation
            .path("applyConfiguration")
            .path("expression")
            .asText()
            .contains(
                "finalizers: [request.resource.resource + \".\" + request.resource.group +"
                    + " \"/finalizer\"]"),
        "JOSDK's name, <plural>.<group>/finalizer");

    List<JsonNode> bindings = chart.ofKind("MutatingAdmissionPolicyBinding");
    assertEquals(2, bindings.size());
    for (JsonNode b : bindings) {
      assertEquals(
          "nao-nats-account-operator-finalizers", b.path("spec").path("policyName").asText());
      assertFalse(
          b.path("spec").path("matchResources").has("namespaceSelector"),
          "no watchNamespaces: every namespace, as the operator watches");
    }
  }

  @Test
  void theBindingsReachOnlyTheNamespacesTheReleaseReconciles() {
    Rendered chart =
        render(
            Map.of(
                "finalizersAtAdmission", "enabled",
                "watchNamespaces[0]", "nats",
                "watchNamespaces[1]", "tenant-a",
                "operatorNamespaces[0]", "nats"));
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    chart
        .ofKind("MutatingAdmissionPolicyBinding")
        .forEach(b -> byName.put(b.path("metadata").path("name").asText(), b));

    JsonNode tenants = byName.get("nao-nats-account-operator-finalizers").path("spec");
    assertEquals(List.of("nats", "tenant-a"), namespaces(tenants));
    Set<String> tenantKinds = new TreeSet<>(KINDS);
    tenantKinds.remove("operators");
    assertEquals(
        tenantKinds,
        new TreeSet<>(
            Rendered.strings(
                tenants.path("matchResources").path("resourceRules").path(0).path("resources"))));

    JsonNode operators = byName.get("nao-nats-account-operator-operator-finalizers").path("spec");
    assertEquals(
        List.of("nats"), namespaces(operators), "Operators only where they are reconciled");
    assertEquals(
        List.of("operators"),
        Rendered.strings(
            operators.path("matchResources").path("resourceRules").path(0).path("resources")));
  }

  @Test
  void operatorsFollowWatchNamespacesWhenOperatorNamespacesIsEmpty() {
    Rendered chart =
        render(Map.of("finalizersAtAdmission", "enabled", "watchNamespaces", "nats,tenant-a"));
    for (JsonNode b : chart.ofKind("MutatingAdmissionPolicyBinding")) {
      assertEquals(List.of("nats", "tenant-a"), namespaces(b.path("spec")));
    }
  }

  /**
   * {@code auto} follows the API versions Helm is given: {@code helm template} without a cluster
   * (or {@code --api-versions}) knows none that serve the policy, so an install on an older cluster
   * never fails on an unknown kind. {@code FinalizersAtAdmissionApiServerTest} shows the other
   * side: {@code helm install} on Kubernetes 1.37 creates it.
   */
  @Test
  void autoRendersNothingWhenHelmKnowsNoClusterThatServesThePolicy() {
    Rendered chart = render(Map.of());
    assertEquals(List.of(), chart.ofKind("MutatingAdmissionPolicy"));
    assertEquals(List.of(), chart.ofKind("MutatingAdmissionPolicyBinding"));
  }

  @Test
  void disabledRendersNoPolicy() {
    Rendered chart = render(Map.of("finalizersAtAdmission", "disabled"));
    assertEquals(List.of(), chart.ofKind("MutatingAdmissionPolicy"));
    assertEquals(List.of(), chart.ofKind("MutatingAdmissionPolicyBinding"));
  }

  private static List<String> namespaces(JsonNode bindingSpec) {
    JsonNode expr =
        bindingSpec
            .path("matchResources")
            .path("namespaceSelector")
            .path("matchExpressions")
            .path(0);
    assertEquals("kubernetes.io/metadata.name", expr.path("key").asText());
    assertEquals("In", expr.path("operator").asText());
    return Rendered.strings(expr.path("values"));
  }
}
