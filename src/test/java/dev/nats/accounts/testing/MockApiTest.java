package dev.nats.accounts.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class on a fresh fabric8 mock API in CRUD mode whose tests start the product themselves (a
 * cluster, other settings, an adopted identity) into {@code h}; whatever was started is stopped
 * after each test. {@link OnMockApi} is the same with the usual start done for every test.
 */
@EnableKubernetesMockClient(crud = true)
public abstract class MockApiTest {
  protected KubernetesClient client;
  @TempDir protected Path dir;
  protected OperatorHarness h;

  @AfterEach
  void stopOperatorAndNats() {
    if (h != null) {
      h.close();
    }
  }
}
