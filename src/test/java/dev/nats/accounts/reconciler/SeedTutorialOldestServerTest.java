package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.nats.NatsServerProcess;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import dev.nats.accounts.testing.TestBed;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed tutorial on Debian's nats-server 2.9.10, the oldest version we support (the default run
 * is 2.15).
 */
@EnableKubernetesMockClient(crud = true)
class SeedTutorialOldestServerTest {
  KubernetesClient client;
  @TempDir Path dir;

  @Test
  void theTutorialWorksOnTheOldestSupportedServer() throws Exception {
    Path debian = TestBed.debianNatsServer();
    assertTrue(
        NatsServerProcess.version(debian).startsWith("2.9."), NatsServerProcess.version(debian));
    try (OperatorHarness h = OperatorHarness.startOn(client, dir, debian)) {
      SeedTutorial.applyAndVerify(h);
    }
  }
}
