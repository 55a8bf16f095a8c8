package dev.nats.accounts.reconciler.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.nats.ResolverClient.Holdings;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.PushTracker;
import dev.nats.accounts.reconciler.account.ResolverSweep.Candidate;
import dev.nats.accounts.reconciler.account.ResolverSweep.Plan;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.NatsServerExtension;
import dev.nats.accounts.testing.TestAccount;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sweep after a (re)connect: the plan from the servers' account lists (pure), then the sweep
 * itself against a real nats-server, where what matters is what the resolver ends up holding: never
 * a JWT older than the last one sent.
 */
class ResolverSweepTest {

  private static final String A = "A".repeat(56);
  private static final String B = "B".repeat(56);

  private static Candidate candidate(String pub, boolean settled) {
    return new Candidate(
        new ResourceID(pub.substring(0, 5), "t"),
        pub,
        pub,
        "jwt-" + pub,
        "h-" + pub,
        settled,
        true);
  }

  private static Holdings holds(String server, String... accounts) {
    return new Holdings(server, Set.of(accounts));
  }

  @Nested
  class ThePlan {

    @Test
    void withFewerListsThanServersNothingIsPlanned() {
      assertTrue(Plan.of(List.of(candidate(A, true)), List.of(holds("n1", A)), 2).isEmpty());
      assertTrue(Plan.of(List.of(candidate(A, true)), List.of(), 1).isEmpty());
    }

    @Test
    void oneServerLooksUpWhatItListsAndIsSentTheSettledJwtsItLacks() {
      Candidate listed = candidate(A, false);
      Candidate missing = candidate(B, true);
      Plan plan = Plan.of(List.of(listed, missing), List.of(holds("n1", A)), 1).orElseThrow();
      assertEquals(List.of(listed), plan.lookUp());
      assertEquals(List.of(missing), plan.push());
      assertEquals(List.of(), plan.absent());
      assertEquals(List.of(), plan.leave());
    }

    @Test
    void aJwtThatIsNotSettledIsNeverSentByTheSweep() {
      Candidate missing = candidate(B, false);
      Plan one = Plan.of(List.of(missing), List.of(holds("n1", A)), 1).orElseThrow();
      assertEquals(List.of(missing), one.absent());
      assertEquals(List.of(), one.push());

      Candidate listedEverywhere = candidate(A, false);
      Plan three =
          Plan.of(
                  List.of(missing, listedEverywhere),
                  List.of(holds("n1", A, B), holds("n2", A), holds("n3", A)),
                  3)
              .orElseThrow();
      assertEquals(List.of(missing), three.absent(), "n2 and n3 lack it");
      assertEquals(List.of(listedEverywhere), three.leave());
      assertEquals(List.of(), three.push());
      assertEquals(List.of(), three.lookUp());
    }

    @Test
    void severalServersAreSentEverySettledJwtForALookupIsAnsweredByOneOfThem() {
      Candidate everywhere = candidate(A, true);
      Candidate somewhere = candidate(B, true);
      Plan plan =
          Plan.of(List.of(everywhere, somewhere), List.of(holds("n1", A, B), holds("n2", A)), 2)
              .orElseThrow();
      assertEquals(List.of(everywhere, somewhere), plan.push());
      assertEquals(List.of(), plan.lookUp());
    }
  }

  @Nested
  class AgainstARealServer {
    @RegisterExtension final NatsServerExtension nats = new NatsServerExtension();

    private PushTracker pushes;
    private OperatorMetrics metrics;
    private ResolverSweep sweep;
    private static final long EPOCH = 7;

    @BeforeEach
    void setUp() {
      pushes = new PushTracker(Clock.systemUTC(), Duration.ofSeconds(1));
      metrics = OperatorMetrics.inMemory();
      sweep = new ResolverSweep(pushes, metrics);
    }

    /** An Account whose status says the resolver holds {@code jwt}, as a reconcile left it. */
    private Account account(TestAccount identity, String jwt) {
      Account a = Fixtures.account("t", identity.name());
      a.getMetadata().setUid(UUID.randomUUID().toString());
      AccountStatus status = new AccountStatus();
      status.setPublicKey(identity.pub());
      status.setJwt(jwt);
      status.setServers("1/1");
      Conditions conditions = Conditions.system();
      status.setConditions(
          conditions.set(
              conditions.set(
                  null,
                  ConditionType.PUSHED,
                  Conditions.TRUE,
                  Reason.PUSH_SUCCEEDED,
                  AccountPusher.HOLDS_CURRENT,
                  1L),
              ConditionType.READY,
              Conditions.TRUE,
              Reason.RECONCILED,
              "ready",
              1L));
      a.setStatus(status);
      return a;
    }

    /** This process sent the account's JWT and had it confirmed (on an earlier connection). */
    private void settled(Account a) {
      pushes.confirm(a.getMetadata().getUid(), AccountPusher.sha256(a.getStatus().getJwt()), 1);
    }

    private TestAccount unpushed(String name) {
      return nats.operator().newAccount(nats.uniqueName(name), b -> b);
    }

    private ResolverSweep.Outcome sweep(Account... accounts) {
      return sweep.sweep(nats.resolver(), EPOCH, 1, List.of(accounts)).orElseThrow();
    }

    @Test
    void aServerThatLostItsAccountsIsSentTheSettledJwtsAtOnceWithoutALookup() {
      List<Account> accounts = new ArrayList<>();
      for (int i = 0; i < 300; i++) { // more than one window of requests in flight
        TestAccount t = unpushed("lost" + i);
        Account a = account(t, t.jwt());
        settled(a);
        accounts.add(a);
      }

      ResolverSweep.Outcome outcome =
          sweep.sweep(nats.resolver(), EPOCH, 1, accounts).orElseThrow();

      assertEquals(300, outcome.pushed());
      assertEquals(300, outcome.confirmed());
      assertEquals(Set.of(), outcome.wake(), "statuses already say so: no reconcile needed");
      assertEquals(300, metrics.pushes("ok"));
      assertEquals(0, metrics.lookups("current") + metrics.lookups("absent"));
      List<String> held = nats.resolver().list();
      for (Account a : accounts) {
        assertTrue(held.contains(a.getStatus().getPublicKey()));
        String uid = a.getMetadata().getUid();
        assertTrue(
            pushes.isCurrent(
                uid, AccountPusher.sha256(a.getStatus().getJwt()), EPOCH, Duration.ofMinutes(1)),
            "confirmed on this connection: the reconcile would neither look up nor push");
      }
      assertEquals(
          Optional.of(accounts.get(299).getStatus().getJwt()),
          nats.resolver().lookup(accounts.get(299).getStatus().getPublicKey()));
    }

    @Test
    void aJwtThisProcessDidNotSendIsLeftToItsReconcileWhichThenSkipsTheLookup() {
      TestAccount t = unpushed("unknown");
      Account a = account(t, t.jwt()); // nothing confirmed: a restart, or another replica's push

      ResolverSweep.Outcome outcome = sweep(a);

      assertEquals(0, outcome.pushed());
      assertEquals(Set.of(ResourceID.fromResource(a)), outcome.wake());
      assertFalse(nats.resolver().list().contains(t.pub()), "the sweep sent nothing");
      assertTrue(pushes.knownAbsent(a.getMetadata().getUid(), EPOCH));
      assertFalse(pushes.knownAbsent(a.getMetadata().getUid(), EPOCH + 1), "only on this epoch");
    }

    @Test
    void aNewerJwtSentSinceIsNotOvertakenByTheOneTheStatusStillShows() {
      TestAccount t = unpushed("newer");
      Account stale = account(t, t.jwt());
      settled(stale);
      // A reconcile signed a newer JWT and began sending it; the cached status still shows the old.
      pushes.sending(stale.getMetadata().getUid(), "hash-of-the-newer-jwt");

      ResolverSweep.Outcome outcome = sweep(stale);

      assertEquals(0, outcome.pushed());
      assertTrue(outcome.wake().contains(ResourceID.fromResource(stale)));
      assertFalse(nats.resolver().list().contains(t.pub()));
    }

    @Test
    void anAccountBusySendingIsLeftToThatSend() throws Exception {
      TestAccount t = unpushed("busy");
      Account a = account(t, t.jwt());
      settled(a);
      CountDownLatch locked = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread reconcile =
          new Thread(
              () -> {
                var lock = pushes.lock(a.getMetadata().getUid());
                lock.lock();
                try {
                  locked.countDown();
                  release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  lock.unlock();
                }
              });
      reconcile.start();
      assertTrue(locked.await(10, TimeUnit.SECONDS));
      try {
        ResolverSweep.Outcome outcome = sweep(a);
        assertEquals(0, outcome.pushed());
        assertEquals(Set.of(ResourceID.fromResource(a)), outcome.wake());
        assertFalse(nats.resolver().list().contains(t.pub()));
      } finally {
        release.countDown();
        reconcile.join();
      }
      assertFalse(pushes.lock(a.getMetadata().getUid()).isLocked(), "the sweep held nothing");
    }

    @Test
    void aListedAccountIsLookedUpAndConfirmedWhenItHoldsOurJwt() {
      TestAccount current = nats.createAccount(nats.uniqueName("current"));
      TestAccount old = nats.createAccount(nats.uniqueName("old"));
      Account holdsOurs = account(current, current.jwt()); // not settled: after a restart
      // The server holds a newer JWT of the account than its status shows.
      TestAccount newer = nats.updateAccount(old, b -> b);
      Account holdsOther = account(old, old.jwt());
      Account notPushedYet = account(current, current.jwt());
      notPushedYet.getStatus().setServers("0/1");
      notPushedYet.getMetadata().setName("status-behind");

      ResolverSweep.Outcome outcome = sweep(holdsOurs, holdsOther, notPushedYet);

      assertEquals(0, outcome.pushed(), "lookups only");
      assertEquals(2, outcome.confirmed());
      assertEquals(
          Set.of(ResourceID.fromResource(holdsOther), ResourceID.fromResource(notPushedYet)),
          outcome.wake(),
          "the one that differs, and the one whose status must still say it is pushed");
      assertEquals(2, metrics.lookups("current"));
      assertEquals(1, metrics.lookups("different"));
      assertEquals(Optional.of(newer.jwt()), nats.resolver().lookup(old.pub()), "left as it was");
    }

    @Test
    void anAccountDeletedFromTheResolversIsNotSentBack() {
      TestAccount t = unpushed("deleted");
      Account a = account(t, t.jwt());
      settled(a);
      // What AccountPusher.deleteFromResolvers marks before its delete request goes out.
      pushes.sending(a.getMetadata().getUid(), "deleted");

      assertEquals(0, sweep(a).pushed());
      assertFalse(nats.resolver().list().contains(t.pub()));
    }

    @Test
    void anAccountItsLastReconcileDidNotFindReadyIsLeftToItsReconcile() {
      TestAccount t = unpushed("refused");
      Account a = account(t, t.jwt());
      settled(a);
      // E.g. its Operator's accountNamespaces no longer admit it: what it gets is for its
      // reconcile.
      a.getStatus()
          .setConditions(
              Conditions.system()
                  .set(
                      a.getStatus().getConditions(),
                      ConditionType.READY,
                      Conditions.FALSE,
                      Reason.NAMESPACE_NOT_ALLOWED,
                      "not admitted",
                      1L));

      ResolverSweep.Outcome outcome = sweep(a);

      assertEquals(0, outcome.pushed());
      assertEquals(Set.of(ResourceID.fromResource(a)), outcome.wake());
      assertFalse(nats.resolver().list().contains(t.pub()));
    }

    @Test
    void withoutEveryServersListNothingIsSwept() {
      TestAccount t = unpushed("two");
      Account a = account(t, t.jwt());
      settled(a);
      assertTrue(sweep.sweep(nats.resolver(), EPOCH, 2, List.of(a)).isEmpty());
      assertFalse(nats.resolver().list().contains(t.pub()));
    }
  }
}
