package dev.nats.accounts.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ShippedRbacApiServerTest} with the ServiceAccount and roles of deploy/ (kubectl apply -k
 * deploy/).
 */
class DeployRbacApiServerTest extends ShippedRbacApiServerTest {
  private static final Set<String> RBAC_KINDS =
      Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

  @RegisterExtension
  static final ApiServerExtension API = new ApiServerExtension(ShippedRbacApiServerTest.FLAGS);

  @Override
  ApiServerExtension api() {
    return API;
  }

  @Override
  List<HasMetadata> rbacObjects() {
    return objects();
  }

  /** The ServiceAccount and every role and binding that kubectl apply -k deploy/ creates. */
  static List<HasMetadata> objects() {
    Path deploy = Crds.projectRoot().resolve("deploy");
    List<HasMetadata> out = new ArrayList<>();
    for (JsonNode resource :
        Manifests.documents(deploy.resolve("kustomization.yaml")).get(0).path("resources")) {
      for (JsonNode doc : Manifests.documents(deploy.resolve(resource.asText()))) {
        if (RBAC_KINDS.contains(doc.path("kind").asText())) {
          out.add(Serialization.unmarshal(doc.toString(), HasMetadata.class));
        }
      }
    }
    return out;
  }

  @Override
  String namespace() {
    return "nats-account-operator";
  }

  @Override
  String serviceAccount() {
    return "nats-account-operator";
  }
}
