package dev.nats.accounts.reconciler;

import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.SeedTutorial;
import org.junit.jupiter.api.Test;

/**
 * The nsc Services tutorial (shared/seed), applied as the manifests in examples/seed-tutorial: each
 * tutorial step is a resource, and the requests at the end are the tutorial's own.
 */
class SeedTutorialTest extends OnMockApi {

  @Test
  void theTutorialWorksEndToEndFromTheExampleManifests() throws Exception {
    SeedTutorial.applyAndVerify(h);
  }
}
