package dev.nats.accounts.apiserver;

import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The seed tutorial with the real operator against a real kube-apiserver and nats-server 2.15. */
@Tag("apiserver")
class SeedTutorialApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();

  @TempDir Path dir;

  @Test
  void theTutorialWorksEndToEndOnARealApiServer() throws Exception {
    API.namespaces(SeedTutorial.NAMESPACES);
    try (OperatorHarness h = OperatorHarness.start(API.client(), dir)) {
      SeedTutorial.applyAndVerify(h);
    }
  }
}
