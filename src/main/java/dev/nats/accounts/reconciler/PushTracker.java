package dev.nats.accounts.reconciler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per Account (its uid), which JWT each operator connection has confirmed and when, and
 * how many pushes in a row have failed (for the backoff). It is memory only by design: after a
 * restart nothing is known, so the first reconcile verifies the resolver's copy with a lookup
 * (cheap, no write) instead of pushing everything again.
 */
public final class PushTracker implements ResourceMemory {
  /** What was confirmed: the JWT's hash, under which connection epoch, and when. */
  public record Confirmed(String jwtHash, long epoch, Instant at) {}

  private final Map<String, Confirmed> confirmed = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
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

  /** Every server acknowledged: the failure streak ends. */
  public void confirm(String account, String jwtHash, long epoch) {
    confirmed.put(account, new Confirmed(jwtHash, epoch, Instant.now(clock)));
    failures.remove(account);
  }

  /** A push failed; returns how many in a row have now failed. */
  public int failed(String account) {
    return failures.merge(account, 1, Integer::sum);
  }

  @Override
  public void forget(String account) {
    confirmed.remove(account);
    failures.remove(account);
  }

  @Override
  public Set<String> remembered() {
    Set<String> out = new HashSet<>(confirmed.keySet());
    out.addAll(failures.keySet());
    return out;
  }
}
