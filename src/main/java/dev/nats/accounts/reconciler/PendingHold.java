package dev.nats.accounts.reconciler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a new resource's first status, a wait ("waiting for Account a keys") or a missing reference
 * ("Account a not found"), is held back.
 *
 * <p>Why: when tenants are applied together, most resources are first reconciled before what they
 * reference is, so each wrote a Pending status and then, moments later, Ready: two status writes
 * where one says it all, and each write is a request, a watch event decoded by every informer of
 * the kind, and a reconcile woken. Status writes were most of the operator's API traffic at 1,000
 * tenants (bench/README.md). A wait that lasts is still shown: after {@code limit} it is written.
 *
 * <p>Only a status whose news no other reconciler reads is held: its conditions, an import's
 * resolution (its Account resolves imports itself), a User's issued creds (its Account reads the
 * key only when the User is deleted, and the cleanup writes it first). One that carries anything
 * else others read (an export's activations, an Account's keys) is written at once (see {@link
 * StatusReporter}). And only before the resource was first given a Ready condition: a resource that
 * was Ready and now waits says so at once.
 */
public final class PendingHold implements ResourceMemory {
  private final Clock clock;
  private final Duration limit;
  private final Map<String, Instant> since = new ConcurrentHashMap<>();

  public PendingHold(Clock clock, Duration limit) {
    this.clock = clock;
    this.limit = limit;
  }

  /**
   * How long to hold the wait of resource {@code uid} still, counted from the first time it was
   * held; empty: write it now (held long enough, or a hold of zero).
   */
  public Optional<Duration> remaining(String uid) {
    if (limit.isZero()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Instant first = since.computeIfAbsent(uid, u -> now);
    Duration left = limit.minus(Duration.between(first, now));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /** The resource's status was written: a later wait is timed afresh. */
  public void released(String uid) {
    since.remove(uid);
  }

  @Override
  public void forget(String uid) {
    since.remove(uid);
  }

  @Override
  public Set<String> remembered() {
    return Set.copyOf(since.keySet());
  }
}
