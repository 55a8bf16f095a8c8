package dev.nats.accounts.testing;

import org.junit.jupiter.api.BeforeEach;

/**
 * A test class whose every test gets the real operator and a real nats-server (with Operator
 * nats/main) on a fresh fabric8 mock API in CRUD mode: {@code client} acts as the user, {@code h}
 * drives and observes.
 */
public abstract class OnMockApi extends MockApiTest {
  @BeforeEach
  void startOperatorAndNats() throws Exception {
    h = OperatorHarness.start(client, dir);
  }
}
