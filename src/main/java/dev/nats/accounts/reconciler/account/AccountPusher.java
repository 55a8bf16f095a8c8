package dev.nats.accounts.reconciler.account;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ResolverType;
import dev.nats.accounts.jwt.DeleteRequest;
import dev.nats.accounts.jwt.IssuedAt;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.nats.PushResult;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.nats.ResolverConnections;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.PushTracker;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.EventRecorder;
import dev.nats.accounts.status.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an Account's JWT (as its status holds it) on every resolver of its Operator and reports how
 * that went in the Pushed condition and {@code status.servers}. A JWT this connection already
 * confirmed is not pushed again; after a restart or a reconnect a lookup proves the resolver's copy
 * current instead of a write.
 */
final class AccountPusher {
  private static final Logger LOG = LoggerFactory.getLogger(AccountPusher.class);

  /** How soon to try again while the Operator has no connection yet. */
  private static final Duration NOT_CONNECTED_RETRY = Duration.ofSeconds(2);

  /**
   * How long a first connection attempt may take before Accounts say they are not pushed for want
   * of it.
   */
  static final Duration CONNECT_GRACE = Duration.ofSeconds(10);

  /**
   * The one message of a successful Pushed condition, however it was confirmed (a push, a lookup
   * after a restart, or this process's memory): a different wording per path made every restart
   * rewrite every Account's status twice.
   */
  static final String HOLDS_CURRENT = "resolver holds the current JWT";

  /** What {@link PushTracker#sending} is told once a delete request went out: no JWT's hash. */
  private static final String DELETED = "deleted";

  private final Services services;

  AccountPusher(Services services) {
    this.services = services;
  }

  /** Returns a requeue delay when the push must be retried, else null. */
  Duration push(Account account, Operator op, boolean justSigned) {
    ResolverConnections.Entry entry = services.connections().get(key(op)).orElse(null);
    ResolverClient client = entry == null ? null : entry.client().orElse(null);
    if (client == null
        && entry != null
        && entry.firstAttemptInFlight(CONNECT_GRACE)
        && Conditions.isTrue(account.getStatus().getConditions(), ConditionType.PUSHED)) {
      // Just restarted, the connection still being made: what the status says stands until the
      // attempt ends (the connected callback reconciles again), rather than a NotConnected flap
      // written on every restart.
      return Duration.ofSeconds(1);
    }
    if (client == null) {
      services
          .status()
          .set(
              account,
              ConditionType.PUSHED,
              Conditions.FALSE,
              Reason.NOT_CONNECTED,
              "the operator " + Names.ref(op) + " is not connected to its servers yet");
      return NOT_CONNECTED_RETRY;
    }
    String uid = account.getMetadata().getUid();
    String jwtHash = sha256(account.getStatus().getJwt());
    int expected = entry.urls().size();
    ReentrantLock lock = services.pushes().lock(uid);
    lock.lock();
    try {
      if (services
          .pushes()
          .isCurrent(uid, jwtHash, entry.epoch(), services.settings().resyncInterval())) {
        // Confirmed by this process already; the status read may predate that, so state it again.
        return confirmed(account, expected + "/" + expected);
      }
      if (resolverHoldsIt(account, op, client, entry.epoch(), expected, justSigned)) {
        services.pushes().confirm(uid, jwtHash, entry.epoch());
        return confirmed(account, expected + "/" + expected);
      }
      return pushNow(account, op, client, entry.epoch(), expected, jwtHash);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drift check before writing: after a restart or reconnect the resolver usually has our JWT
   * already. A JWT signed just now cannot be there, so it skips the lookup (and its timeout). A
   * lookup is answered by one server only, so with several servers it proves nothing about the
   * others: re-pushing an identical JWT is harmless, so that is what happens there. Memory
   * resolvers hold no copy to look up, and the sweep after a reconnect may have found the account
   * missing from the server's list already.
   */
  private boolean resolverHoldsIt(
      Account account,
      Operator op,
      ResolverClient client,
      long epoch,
      int servers,
      boolean justSigned) {
    if (justSigned
        || servers != 1
        || isMemoryResolver(op)
        || services.pushes().knownAbsent(account.getMetadata().getUid(), epoch)) {
      return false;
    }
    String jwt = account.getStatus().getJwt();
    Optional<String> held = client.lookup(account.getStatus().getPublicKey());
    boolean current = held.filter(jwt::equals).isPresent();
    services.metrics().lookedUp(current ? "current" : held.isEmpty() ? "absent" : "different");
    return current;
  }

  private Duration pushNow(
      Account account,
      Operator op,
      ResolverClient client,
      long epoch,
      int expected,
      String jwtHash) {
    String jwt = account.getStatus().getJwt();
    services.pushes().sending(account.getMetadata().getUid(), jwtHash);
    long start = System.nanoTime();
    PushResult result =
        isMemoryResolver(op)
            ? client.pushToAccount(account.getStatus().getPublicKey(), jwt)
            : client.push(jwt);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    account
        .getStatus()
        .setServers(result.replies().stream().filter(r -> r.ok()).count() + "/" + expected);
    if (!result.allAcknowledged()) {
      services.metrics().pushed("failed", took);
      return failed(account, result, expected);
    }
    services.metrics().pushed("ok", took);
    LOG.info(
        "account {}: pushed to {}/{} servers in {} ms",
        Names.ref(account),
        result.replies().size(),
        expected,
        took.toMillis());
    services.pushes().confirm(account.getMetadata().getUid(), jwtHash, epoch);
    return confirmed(account, account.getStatus().getServers());
  }

  private Duration confirmed(Account account, String servers) {
    services
        .status()
        .set(account, ConditionType.PUSHED, Conditions.TRUE, Reason.PUSH_SUCCEEDED, HOLDS_CURRENT);
    account.getStatus().setServers(servers);
    return null;
  }

  /**
   * Pushed=False with the servers' answers, one Warning Event per distinct answer, and exponential
   * backoff.
   */
  private Duration failed(Account account, PushResult result, int expected) {
    int n = services.pushes().failed(account.getMetadata().getUid());
    String why =
        result.errors().isEmpty()
            ? (expected - result.replies().size()) + " of " + expected + " server(s) did not answer"
            : result.errors().stream()
                .map(e -> e.serverName() + ": " + e.message())
                .collect(Collectors.joining("; "));
    services.status().set(account, ConditionType.PUSHED, Conditions.FALSE, Reason.PUSH_FAILED, why);
    services
        .status()
        .events()
        .recordOnChange(account, EventRecorder.WARNING, Reason.PUSH_FAILED, why);
    return Duration.ofMillis(Math.min(300_000, 1000L << Math.min(n, 8)));
  }

  /**
   * How a resolver delete went, and why when it did not: what {@code deletionPolicy: Delete} may
   * let go afterwards.
   */
  record Deletion(Deleted result, String why) {}

  enum Deleted {
    /** Every expected server dropped the account: its keys may go. */
    EVERYWHERE,
    /**
     * A server answered with a refusal (e.g. delete not allowed there): asking again changes
     * nothing, so the keys are kept, as with Retain.
     */
    REFUSED,
    /** Not connected, or a server did not answer: asked again later, the keys kept meanwhile. */
    UNANSWERED
  }

  /**
   * Asks every resolver to drop the account (deletionPolicy Delete). Memory resolvers hold no copy
   * to drop; their config loses the account when the Operator rewrites it.
   */
  Deletion deleteFromResolvers(Account account, Operator op, KeyPair operatorSigner) {
    if (isMemoryResolver(op)) {
      return new Deletion(Deleted.EVERYWHERE, "");
    }
    ResolverConnections.Entry entry = services.connections().get(key(op)).orElse(null);
    ResolverClient client = entry == null ? null : entry.client().orElse(null);
    if (client == null) {
      return new Deletion(
          Deleted.UNANSWERED, "the operator " + Names.ref(op) + " is not connected to its servers");
    }
    String req =
        JwtEncoder.encode(
            new DeleteRequest(
                operatorSigner.publicKey(), List.of(account.getStatus().getPublicKey())),
            operatorSigner,
            IssuedAt.next(0));
    String uid = account.getMetadata().getUid();
    ReentrantLock lock = services.pushes().lock(uid);
    PushResult r;
    lock.lock();
    try {
      // From here on the sweep after a reconnect must not send the account's JWT again.
      services.pushes().sending(uid, DELETED);
      r = client.delete(req);
    } finally {
      lock.unlock();
    }
    if (r.allAcknowledged()) {
      return new Deletion(Deleted.EVERYWHERE, "");
    }
    if (!r.errors().isEmpty()) {
      return new Deletion(
          Deleted.REFUSED,
          r.errors().stream()
              .map(e -> e.serverName() + ": " + e.message())
              .collect(Collectors.joining("; ")));
    }
    return new Deletion(
        Deleted.UNANSWERED, r.missing() + " of " + r.expected() + " server(s) did not answer");
  }

  /** Memory resolvers answer only the per-account update subject and hold no copy to look up. */
  static boolean isMemoryResolver(Operator op) {
    return op.getSpec() != null
        && op.getSpec().getResolver() != null
        && op.getSpec().getResolver().getType() == ResolverType.MEMORY;
  }

  static ResolverConnections.Key key(Operator op) {
    return new ResolverConnections.Key(op.getMetadata().getNamespace(), op.getMetadata().getName());
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
