package dev.nats.accounts.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.testing.ApiServerExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ChartRbacApiServerTest} with {@code operatorNamespaces: [nats]}: the ClusterRole grants no
 * ConfigMaps and a Role grants them in nats only. The tutorial (its Operator lives in nats) passes
 * under exactly those roles with OPERATOR_NAMESPACES=nats, a ConfigMap write in a tenant namespace
 * is refused (403), and an Operator in a tenant namespace is reported, not reconciled.
 */
class ChartOperatorNamespacesRbacApiServerTest extends ShippedRbacApiServerTest {
  @RegisterExtension
  static final ApiServerExtension API = new ApiServerExtension(ShippedRbacApiServerTest.FLAGS);

  @Override
  ApiServerExtension api() {
    return API;
  }

  @Override
  List<HasMetadata> rbacObjects() {
    return ChartRbacApiServerTest.rbacOf(chart());
  }

  @Override
  String namespace() {
    return ChartRbacApiServerTest.NAMESPACE;
  }

  @Override
  String serviceAccount() {
    return ChartRbacApiServerTest.serviceAccountOf(chart());
  }

  private static List<HasMetadata> chart() {
    List<HasMetadata> chart =
        ChartRbacApiServerTest.rendered(
            ChartRbacApiServerTest.NAMESPACE, Map.of("operatorNamespaces", "nats"));
    // The test installs what the chart renders; make sure that is the namespaced mode.
    assertTrue(
        chart.stream()
            .anyMatch(
                o -> o.getKind().equals("Role") && "nats".equals(o.getMetadata().getNamespace())),
        "a ConfigMaps Role in nats");
    assertEquals(
        "nats",
        chart.stream()
            .filter(o -> o.getKind().equals("Deployment"))
            .map(
                o ->
                    ((io.fabric8.kubernetes.api.model.apps.Deployment) o)
                        .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                            .filter(e -> e.getName().equals("OPERATOR_NAMESPACES"))
                            .findFirst()
                            .orElseThrow()
                            .getValue())
            .findFirst()
            .orElseThrow());
    return chart;
  }

  @Override
  Set<String> operatorNamespaces() {
    return Set.of("nats");
  }
}
