package dev.nats.accounts.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class whose every test gets the real operator and a real nats-server (with Operator
 * nats/main) on a fresh fabric8 mock API in CRUD mode: {@code client} acts as the user, {@code h}
 * drives and observes.
 */
@EnableKubernetesMockClient(crud = true)
public abstract class OnMockApi {
  protected KubernetesClient client;
  @TempDir protected Path dir;
  protected OperatorHarness h;

  @BeforeEach
  void startOperatorAndNats() throws Exception {
    h = OperatorHarness.start(client, dir);
  }

  @AfterEach
  void stopOperatorAndNats() {
    if (h != null) {
      h.close();
    }
  }
}
