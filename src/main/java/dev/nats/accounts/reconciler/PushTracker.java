package dev.nats.accounts.reconciler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per account, which JWT each operator connection has confirmed and when. It is memory
 * only by design: after a restart nothing is known, so the first reconcile verifies the resolver's
 * copy with a lookup (cheap, no write) instead of pushing everything again.
 */
public final class PushTracker {
  /** What was confirmed: the JWT's hash, under which connection epoch, and when. */
  public record Confirmed(String jwtHash, long epoch, Instant at) {}

  private final Map<String, Confirmed> confirmed = new ConcurrentHashMap<>();
  private final Clock clock;

  public PushTracker(Clock clock) {
    this.clock = clock;
  }

  /** True when this JWT was confirmed on this connection epoch within {@code maxAge}. */
  public boolean isCurrent(String account, String jwtHash, long epoch, Duration maxAge) {
    Confirmed c = confirmed.get(account);
    return c != null
        && c.jwtHash().equals(jwtHash)
        && c.epoch() == epoch
        && c.at().plus(maxAge).isAfter(Instant.now(clock));
  }

  public void confirm(String account, String jwtHash, long epoch) {
    confirmed.put(account, new Confirmed(jwtHash, epoch, Instant.now(clock)));
  }

  public void forget(String account) {
    confirmed.remove(account);
  }
}
