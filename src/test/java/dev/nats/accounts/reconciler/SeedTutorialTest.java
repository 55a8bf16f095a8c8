package dev.nats.accounts.reconciler;

import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nsc Services tutorial (shared/seed), applied as the manifests in examples/seed-tutorial: each
 * tutorial step is a resource, and the requests at the end are the tutorial's own.
 */
@EnableKubernetesMockClient(crud = true)
class SeedTutorialTest {
  KubernetesClient client;
  @TempDir Path dir;
  OperatorHarness h;

  @BeforeEach
  void start() throws Exception {
    h = OperatorHarness.start(client, dir);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void theTutorialWorksEndToEndFromTheExampleManifests() throws Exception {
    SeedTutorial.applyAndVerify(h);
  }
}
