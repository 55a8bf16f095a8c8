package dev.nats.accounts.testing;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.nio.charset.StandardCharsets;

/** Tiny NATS client helpers for the reconciler tests. */
public final class Clients {
  private Clients() {}

  /** Answers every request on {@code subject} with {@code reply}. */
  public static Dispatcher respond(Connection c, String subject, String reply) throws Exception {
    Dispatcher d =
        c.createDispatcher(m -> c.publish(m.getReplyTo(), reply.getBytes(StandardCharsets.UTF_8)));
    d.subscribe(subject);
    c.flush(java.time.Duration.ofSeconds(2));
    return d;
  }
}
