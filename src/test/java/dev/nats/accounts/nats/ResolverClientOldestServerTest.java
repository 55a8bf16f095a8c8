package dev.nats.accounts.nats;

import dev.nats.accounts.testing.NatsServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ResolverClientTest} on Debian's nats-server 2.9.10, the oldest version we support. */
class ResolverClientOldestServerTest extends ResolverClientTest {

  @RegisterExtension
  static final NatsServerExtension OLDEST = NatsServerExtension.oldestSupported();

  @Override
  NatsServerExtension nats() {
    return OLDEST;
  }
}
