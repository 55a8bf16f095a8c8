package dev.nats.accounts.reconciler.account;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.nats.PushResult;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.reconciler.PushTracker;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Brings the resolvers of a (re)connected operator connection up to date in one pass, rather than
 * one reconcile, lookup and push per Account.
 *
 * <p>Why: a server restarted with a lost resolver directory needs every account again, and after an
 * operator restart every copy wants checking. Done by each Account's reconcile, that is one round
 * trip at a time per reconcile thread, bound by latency rather than by the server. The sweep asks
 * the servers once which accounts they hold ({@code $SYS.REQ.CLAIMS.LIST}) and then pipelines: the
 * JWTs they lack are pushed, the ones they list are looked up, hundreds in flight at once. What it
 * cannot settle (a JWT this process has not confirmed, a push that failed, an account busy pushing)
 * is left to the Account's reconcile, as before, and so is every status write.
 *
 * <p>A resolver keeps whatever it was sent last, older or not. So the sweep sends an account's JWT
 * only when it is the one this process last sent and had confirmed ({@link PushTracker#settled}),
 * while it holds the account's {@link PushTracker#lock}: a reconcile that signed a newer JWT, or an
 * Account deleted from the resolvers, is never overtaken. Lookups only read, and confirm what they
 * find.
 */
final class ResolverSweep {

  /**
   * An Account as the sweep sees it: what its status says the resolvers should hold, and whether
   * its status already says they do (else its reconcile runs after the sweep to say so).
   */
  record Candidate(
      ResourceID id,
      String uid,
      String publicKey,
      String jwt,
      String jwtHash,
      boolean settled,
      boolean statusSaysPushed) {

    /**
     * Empty for an Account with no JWT yet, one being deleted, or one its last reconcile did not
     * find Ready (refused by its Operator's namespace policy, an identity in use, …): its reconcile
     * decides what the resolvers get.
     */
    static Optional<Candidate> of(Account a, PushTracker pushes, int servers) {
      var status = a.getStatus();
      if (a.getMetadata().getDeletionTimestamp() != null
          || status == null
          || status.getJwt() == null
          || status.getPublicKey() == null
          || !Conditions.isTrue(status.getConditions(), ConditionType.READY)) {
        return Optional.empty();
      }
      String uid = a.getMetadata().getUid();
      String hash = AccountPusher.sha256(status.getJwt());
      return Optional.of(
          new Candidate(
              ResourceID.fromResource(a),
              uid,
              status.getPublicKey(),
              status.getJwt(),
              hash,
              pushes.settled(uid).filter(hash::equals).isPresent(),
              Conditions.isTrue(status.getConditions(), ConditionType.PUSHED)
                  && (servers + "/" + servers).equals(status.getServers())));
    }
  }

  /**
   * What to do with each candidate, from the servers' account lists.
   *
   * @param push settled JWTs a server lacks (or, with several servers, that a lookup answered by
   *     one of them cannot prove everywhere)
   * @param lookUp accounts every server lists, with one server: whether it holds our JWT
   * @param absent accounts a server lacks whose JWT is not settled: their reconcile pushes them,
   *     without a lookup first
   * @param leave the rest, for their reconciles
   */
  record Plan(
      List<Candidate> push, List<Candidate> lookUp, List<Candidate> absent, List<Candidate> leave) {

    /**
     * Empty when fewer servers answered the list request than the connection has: who lacks what is
     * not known then.
     */
    static Optional<Plan> of(
        List<Candidate> candidates, List<ResolverClient.Holdings> holdings, int servers) {
      if (holdings.size() < servers) {
        return Optional.empty();
      }
      Plan plan =
          new Plan(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      for (Candidate c : candidates) {
        boolean everywhere = holdings.stream().allMatch(h -> h.accounts().contains(c.publicKey()));
        if (everywhere && servers == 1) {
          plan.lookUp.add(c);
        } else if (c.settled()) {
          plan.push.add(c);
        } else if (!everywhere) {
          plan.absent.add(c);
        } else {
          plan.leave.add(c);
        }
      }
      return Optional.of(plan);
    }
  }

  /**
   * What one sweep did: pushes sent, accounts found or made current, and the Accounts whose
   * reconcile must still run.
   */
  record Outcome(int pushed, int confirmed, Set<ResourceID> wake) {}

  private final PushTracker pushes;
  private final OperatorMetrics metrics;

  ResolverSweep(PushTracker pushes, OperatorMetrics metrics) {
    this.pushes = pushes;
    this.metrics = metrics;
  }

  /**
   * Sweeps {@code accounts} (all of one operator connection, whose epoch is {@code epoch}). Returns
   * empty when the servers' lists could not be had: every Account then checks itself.
   */
  Optional<Outcome> sweep(ResolverClient client, long epoch, int servers, List<Account> accounts) {
    Set<ResourceID> wake = new HashSet<>();
    List<Candidate> candidates = new ArrayList<>();
    for (Account a : accounts) {
      Candidate.of(a, pushes, servers)
          .ifPresentOrElse(candidates::add, () -> wake.add(ResourceID.fromResource(a)));
    }
    Optional<Plan> planned = Plan.of(candidates, client.holdings(), servers);
    if (planned.isEmpty()) {
      return Optional.empty();
    }
    Plan plan = planned.get();
    plan.absent().forEach(c -> pushes.absent(c.uid(), epoch));
    plan.absent().forEach(c -> wake.add(c.id()));
    plan.leave().forEach(c -> wake.add(c.id()));
    List<ReentrantLock> held = new ArrayList<>();
    int confirmed = 0;
    List<Candidate> toPush = new ArrayList<>();
    try {
      List<Candidate> toLookUp = lockEach(plan.lookUp(), held, wake);
      for (Candidate c : lockEach(plan.push(), held, wake)) {
        // Taken under the lock: a reconcile may have sent a newer JWT since the plan was made.
        if (pushes.settled(c.uid()).filter(c.jwtHash()::equals).isPresent()) {
          toPush.add(c);
        } else {
          wake.add(c.id());
        }
      }
      confirmed += pushEach(client, epoch, toPush, wake);
      confirmed += lookUpEach(client, epoch, toLookUp, wake);
    } finally {
      held.forEach(ReentrantLock::unlock);
    }
    for (Candidate c : candidates) {
      if (!c.statusSaysPushed()) {
        wake.add(c.id());
      }
    }
    return Optional.of(new Outcome(toPush.size(), confirmed, wake));
  }

  /** The candidates whose lock was free, now held; the others are busy pushing, so woken. */
  private List<Candidate> lockEach(
      List<Candidate> candidates, List<ReentrantLock> held, Set<ResourceID> wake) {
    List<Candidate> locked = new ArrayList<>();
    for (Candidate c : candidates) {
      ReentrantLock lock = pushes.lock(c.uid());
      if (lock.tryLock()) {
        held.add(lock);
        locked.add(c);
      } else {
        wake.add(c.id());
      }
    }
    return locked;
  }

  private int pushEach(
      ResolverClient client, long epoch, List<Candidate> toPush, Set<ResourceID> wake) {
    if (toPush.isEmpty()) {
      return 0;
    }
    // No sending() first: each was checked settled under its lock, so it is the last JWT sent.
    List<ResolverClient.Answered<PushResult>> results =
        client.pushAll(toPush.stream().map(Candidate::jwt).toList());
    int confirmed = 0;
    for (int i = 0; i < toPush.size(); i++) {
      Candidate c = toPush.get(i);
      ResolverClient.Answered<PushResult> r = results.get(i);
      if (r.result().allAcknowledged()) {
        metrics.pushed("ok", r.took());
        pushes.confirm(c.uid(), c.jwtHash(), epoch);
        confirmed++;
      } else {
        metrics.pushed("failed", r.took());
        wake.add(c.id());
      }
    }
    return confirmed;
  }

  private int lookUpEach(
      ResolverClient client, long epoch, List<Candidate> toLookUp, Set<ResourceID> wake) {
    if (toLookUp.isEmpty()) {
      return 0;
    }
    List<Optional<String>> held =
        client.lookupEach(toLookUp.stream().map(Candidate::publicKey).toList());
    int confirmed = 0;
    for (int i = 0; i < toLookUp.size(); i++) {
      Candidate c = toLookUp.get(i);
      Optional<String> jwt = held.get(i);
      if (jwt.filter(c.jwt()::equals).isPresent()) {
        metrics.lookedUp("current");
        pushes.confirm(c.uid(), c.jwtHash(), epoch);
        confirmed++;
      } else {
        metrics.lookedUp(jwt.isEmpty() ? "absent" : "different");
        wake.add(c.id());
      }
    }
    return confirmed;
  }
}
