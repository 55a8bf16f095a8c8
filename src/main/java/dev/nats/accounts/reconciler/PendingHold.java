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
  /**
   * How many steps of a resource's first wait get a hold each: a User waits for its Account's keys,
   * then for its push. Bounded, so that a wait whose message keeps changing is still shown.
   */
  static final int MAX_STEPS = 3;

  private final Clock clock;
  private final Duration limit;
  private final Map<String, Held> since = new ConcurrentHashMap<>();

  /** Since when the resource's wait is held, at which step (what it waits for), the how-manyth. */
  private record Held(Instant since, String step, int steps) {}

  public PendingHold(Clock clock, Duration limit) {
    this.clock = clock;
    this.limit = limit;
  }

  /**
   * How long to hold the wait of resource {@code uid} still, counted from the first time it was
   * held; empty: write it now (held long enough, or a hold of zero).
   */
  public Optional<Duration> remaining(String uid) {
    return remaining(uid, "");
  }

  /**
   * As {@link #remaining(String)}, timed afresh when the resource waits for something else than
   * before ({@code step}, e.g. the Ready message): the first wait ended, so the resource moved on,
   * and the next one may end as soon. At most {@value #MAX_STEPS} steps are timed afresh.
   */
  public Optional<Duration> remaining(String uid, String step) {
    if (limit.isZero()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Held held =
        since.compute(
            uid,
            (u, h) ->
                h == null
                    ? new Held(now, step, 1)
                    : (!h.step().equals(step) && h.steps() < MAX_STEPS
                        ? new Held(now, step, h.steps() + 1)
                        : h));
    Duration left = limit.minus(Duration.between(held.since(), now));
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
