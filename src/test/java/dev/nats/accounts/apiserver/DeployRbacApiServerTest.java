package dev.nats.accounts.apiserver;

import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Crds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ShippedRbacApiServerTest} with the ServiceAccount and roles of deploy/ (kubectl apply -k
 * deploy/).
 */
class DeployRbacApiServerTest extends ShippedRbacApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();

  @Override
  ApiServerExtension api() {
    return API;
  }

  @Override
  List<HasMetadata> rbacObjects() {
    return List.of("serviceaccount.yaml", "clusterrole.yaml", "clusterrolebinding.yaml").stream()
        .map(
            f -> {
              try {
                return (HasMetadata)
                    Serialization.unmarshal(
                        Files.readString(Crds.projectRoot().resolve("deploy").resolve(f)));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
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
