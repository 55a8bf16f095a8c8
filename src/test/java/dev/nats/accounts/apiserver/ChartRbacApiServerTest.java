package dev.nats.accounts.apiserver;

import com.marcnuri.helm.Helm;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Crds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ShippedRbacApiServerTest} with the ServiceAccount and roles of the Helm chart, rendered by
 * helm-java.
 */
class ChartRbacApiServerTest extends ShippedRbacApiServerTest {
  @RegisterExtension
  static final ApiServerExtension API = new ApiServerExtension(ShippedRbacApiServerTest.FLAGS);

  static final String RELEASE = "nao";
  static final String NAMESPACE = "nats-system";
  private static final Set<String> RBAC_KINDS =
      Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

  @Override
  ApiServerExtension api() {
    return API;
  }

  /** helm template nao charts/nats-account-operator -n nats-system. */
  static List<HasMetadata> rendered() {
    return rendered(NAMESPACE);
  }

  /** helm template nao charts/nats-account-operator -n {@code namespace}. */
  static List<HasMetadata> rendered(String namespace) {
    return rendered(namespace, Map.of());
  }

  /** The same with {@code --set key=value} for each of {@code values}. */
  static List<HasMetadata> rendered(String namespace, Map<String, String> values) {
    var template =
        new Helm(Crds.projectRoot().resolve("charts/nats-account-operator"))
            .template()
            .withName(RELEASE)
            .withNamespace(namespace);
    values.forEach(template::set);
    String yaml = template.call();
    Object parsed = Serialization.unmarshal(yaml);
    if (parsed instanceof List<?> list) {
      return list.stream()
          .filter(HasMetadata.class::isInstance)
          .map(HasMetadata.class::cast)
          .toList();
    }
    return List.of((HasMetadata) parsed);
  }

  @Override
  List<HasMetadata> rbacObjects() {
    return rbacOf(rendered());
  }

  /** The RBAC objects of a rendered chart, namespaced as helm install would place them. */
  static List<HasMetadata> rbacOf(List<HasMetadata> chart) {
    return chart.stream()
        .filter(o -> RBAC_KINDS.contains(o.getKind()))
        .map(
            o -> {
              if (o.getMetadata().getNamespace() == null
                  && (o.getKind().equals("ServiceAccount") || o.getKind().startsWith("Role"))) {
                o.getMetadata().setNamespace(NAMESPACE);
              }
              return o;
            })
        .toList();
  }

  @Override
  String namespace() {
    return NAMESPACE;
  }

  @Override
  String serviceAccount() {
    return serviceAccountOf(rendered());
  }

  static String serviceAccountOf(List<HasMetadata> chart) {
    return chart.stream()
        .filter(o -> o.getKind().equals("ServiceAccount"))
        .findFirst()
        .orElseThrow()
        .getMetadata()
        .getName();
  }
}
