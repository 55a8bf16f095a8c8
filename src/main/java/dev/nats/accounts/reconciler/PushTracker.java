package dev.nats.accounts.reconciler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers, per Account (its uid), which JWT each operator connection has confirmed and when, and
 * how many pushes in a row have failed (for the backoff). It is memory only by design: after a
 * restart nothing is known, so the first reconcile verifies the resolver's copy with a lookup
 * (cheap, no write) instead of pushing everything again.
 *
 * <p>It also orders the two writers of an account's JWT to a resolver: its reconcile and the sweep
 * after a reconnect ({@code ResolverSweep}). A resolver keeps whatever it was sent last, older or
 * not, so the sweep may only send again what was both the last JWT sent and confirmed ({@link
 * #settled}), under the account's {@link #lock}, which every push holds.
 */
public final class PushTracker implements ResourceMemory {
  /** What was confirmed: the JWT's hash, under which connection epoch, and when. */
  public record Confirmed(String jwtHash, long epoch, Instant at) {}

  private final Map<String, Confirmed> confirmed = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Map<String, String> lastSent = new ConcurrentHashMap<>();
  private final Map<String, Long> absentOn = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Clock clock;
  private final PendingHold firstPush;

  /**
   * @param firstPushHold how long a new Account's first push may wait for imports on their way
   */
  public PushTracker(Clock clock, Duration firstPushHold) {
    this.clock = clock;
    this.firstPush = new PendingHold(clock, firstPushHold);
  }

  /**
   * How much longer a new Account's first JWT may wait for its imports on their way, counted from
   * the first time it waited; empty: sign and push it now. Why: when tenants are applied together
   * an Account is first reconciled before its neighbours have keys, so it was signed and pushed
   * once without the imports from them and again moments later with them (bench/README.md).
   */
  public Optional<Duration> firstPushHeld(String account) {
    return firstPush.remaining(account);
  }

  /** The Account's JWT was signed: a later wait for imports does not hold its push. */
  public void firstPushDone(String account) {
    firstPush.released(account);
  }

  /** True when this JWT was confirmed on this connection epoch within {@code maxAge}. */
  public boolean isCurrent(String account, String jwtHash, long epoch, Duration maxAge) {
    Confirmed c = confirmed.get(account);
    return c != null
        && c.jwtHash().equals(jwtHash)
        && c.epoch() == epoch
        && c.at().plus(maxAge).isAfter(Instant.now(clock));
  }

  /**
   * Every server acknowledged, or holds it as a lookup showed: the failure streak ends, and this is
   * what the resolvers hold now.
   */
  public void confirm(String account, String jwtHash, long epoch) {
    confirmed.put(account, new Confirmed(jwtHash, epoch, Instant.now(clock)));
    lastSent.put(account, jwtHash);
    absentOn.remove(account);
    failures.remove(account);
  }

  /** A JWT is about to be sent: until it is confirmed, the account is not {@link #settled}. */
  public void sending(String account, String jwtHash) {
    lastSent.put(account, jwtHash);
  }

  /**
   * The JWT the resolvers were last sent and confirmed, when those are the same one: what may be
   * sent again without knowing more. Empty after a failed or unanswered push (a newer JWT may have
   * reached some server), and after a restart (nothing is known).
   */
  public Optional<String> settled(String account) {
    Confirmed c = confirmed.get(account);
    return c != null && c.jwtHash().equals(lastSent.get(account))
        ? Optional.of(c.jwtHash())
        : Optional.empty();
  }

  /**
   * The resolvers of connection {@code epoch} listed their accounts, and this one was not among
   * them: a lookup would find nothing.
   */
  public void absent(String account, long epoch) {
    absentOn.put(account, epoch);
  }

  /** True when {@link #absent} was said of this account on this connection epoch. */
  public boolean knownAbsent(String account, long epoch) {
    Long on = absentOn.get(account);
    return on != null && on == epoch;
  }

  /** Held by whoever sends this account's JWT to a resolver, so that sends never overtake. */
  public ReentrantLock lock(String account) {
    return locks.computeIfAbsent(account, a -> new ReentrantLock());
  }

  /** A push failed; returns how many in a row have now failed. */
  public int failed(String account) {
    return failures.merge(account, 1, Integer::sum);
  }

  @Override
  public void forget(String account) {
    confirmed.remove(account);
    failures.remove(account);
    lastSent.remove(account);
    absentOn.remove(account);
    locks.remove(account);
    firstPush.forget(account);
  }

  @Override
  public Set<String> remembered() {
    Set<String> out = new HashSet<>(confirmed.keySet());
    out.addAll(failures.keySet());
    out.addAll(lastSent.keySet());
    out.addAll(absentOn.keySet());
    out.addAll(locks.keySet());
    out.addAll(firstPush.remembered());
    return out;
  }
}
