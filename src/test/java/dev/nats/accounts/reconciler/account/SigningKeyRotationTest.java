package dev.nats.accounts.reconciler.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.AccountSpec;
import dev.nats.accounts.api.v1alpha1.KeyRotation;
import dev.nats.accounts.api.v1alpha1.Permission;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.api.v1alpha1.SigningKeyTemplate;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.reconciler.InvalidSpecException;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Action;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Inputs;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Keys;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Plan;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Policy;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Slot;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.State;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.View;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Why;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SigningKeyRotationTest {
  static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  static final Policy MONTHLY = new Policy(Duration.ofHours(720), Duration.ofHours(24));
  static final String CUR = "ACUR";
  static final String NEXT = "ANEXT";
  static final String OLD = "AOLD";

  static Map<String, Policy> slots(Policy main) {
    Map<String, Policy> m = new LinkedHashMap<>();
    m.put("main", main);
    return m;
  }

  static Plan plan(
      Policy p, Map<String, String> ann, State stored, Keys keys, Set<String> inUse, Instant now) {
    return SigningKeyRotation.plan(
        new Inputs(slots(p), ann, stored, Map.of("main", keys), false, inUse, now));
  }

  static State idleSince(Instant t) {
    return new State(null, null, Map.of("main", new Slot(t.toString(), null, null, null)));
  }

  @Test
  void withoutScheduleOrRequestNothingIsPlannedOrStored() {
    Plan p = plan(Policy.NONE, Map.of(), State.EMPTY, new Keys(CUR, null), Set.of(), T0);
    assertTrue(p.actions().isEmpty());
    assertEquals(State.EMPTY, p.state(), "no state: nothing to write");
    View v = SigningKeyRotation.view("main", Policy.NONE, null, new Keys(CUR, null));
    assertEquals(List.of(CUR), v.jwtKeys());
    assertNull(v.status().getPhase(), "a key that never rotates shows no rotation status");
    assertNull(v.wakeAt());
  }

  @Test
  void aScheduleStartsCountingOnceAndThenNothingChurnsUntilItIsDue() {
    Plan first = plan(MONTHLY, Map.of(), State.EMPTY, new Keys(CUR, null), Set.of(), T0);
    assertTrue(first.actions().isEmpty());
    assertEquals(idleSince(T0), first.state());
    Instant later = T0.plus(Duration.ofHours(719));
    Plan again = plan(MONTHLY, Map.of(), first.state(), new Keys(CUR, null), Set.of(), later);
    assertTrue(again.actions().isEmpty());
    assertEquals(first.state(), again.state(), "nothing to write before it is due");
    assertTrue(again.changes().isEmpty());
    View v =
        SigningKeyRotation.view("main", MONTHLY, first.state().slot("main"), new Keys(CUR, null));
    assertEquals("Idle", v.status().getPhase());
    assertEquals(T0.plus(Duration.ofHours(720)).toString(), v.status().getNextRotationAt());
    assertEquals(T0.plus(Duration.ofHours(720)), v.wakeAt());
  }

  @Test
  void aDueScheduleStagesTheNextKeyThenItSignsThenThePreviousLeavesAfterTheOverlap() {
    Instant due = T0.plus(Duration.ofHours(720));
    Plan staged = plan(MONTHLY, Map.of(), idleSince(T0), new Keys(CUR, null), Set.of(), due);
    assertEquals(Map.of("main", Action.STAGE), staged.actions());
    assertEquals("scheduled", staged.state().slot("main").stagedWhy());

    // Staged: both keys in the JWT; nothing more happens until the servers acknowledge it.
    Keys both = new Keys(CUR, NEXT);
    View stagedView = SigningKeyRotation.view("main", MONTHLY, staged.state().slot("main"), both);
    assertEquals("Staged", stagedView.status().getPhase());
    assertEquals(NEXT, stagedView.status().getNextKey());
    assertEquals(List.of(CUR, NEXT), stagedView.jwtKeys());
    Plan waiting = plan(MONTHLY, Map.of(), staged.state(), both, Set.of(), due.plusSeconds(5));
    assertTrue(waiting.actions().isEmpty());
    assertEquals(staged.state(), waiting.state());

    Instant acked = due.plusSeconds(2);
    SigningKeyRotation.Switch sw =
        SigningKeyRotation.switchStaged(
            staged.state(), slots(MONTHLY), Map.of("main", both), acked);
    assertEquals(Why.SCHEDULED, sw.changes().get(0).why());
    assertTrue(sw.changes().get(0).counted(), "the switch is the rotation the metric counts");
    Slot overlap = sw.state().slot("main");
    assertEquals(CUR, overlap.previousKey());
    assertEquals(acked.plus(Duration.ofHours(24)).toString(), overlap.previousKeyRemovedAt());
    assertEquals(acked.toString(), overlap.rotatedAt());
    Keys switched = new Keys(NEXT, null);
    View ov = SigningKeyRotation.view("main", MONTHLY, overlap, switched);
    assertEquals("Overlap", ov.status().getPhase());
    assertEquals(NEXT, ov.status().getPublicKey());
    assertEquals(
        stagedView.jwtKeys(), ov.jwtKeys(), "same keys before and after: the switch signs nothing");
    assertEquals(acked.plus(Duration.ofHours(24)), ov.wakeAt());

    Plan during = plan(MONTHLY, Map.of(), sw.state(), switched, Set.of(), acked.plusSeconds(60));
    assertEquals(sw.state(), during.state(), "nothing churns during the overlap");

    Instant end = acked.plus(Duration.ofHours(24));
    Plan dropped = plan(MONTHLY, Map.of(), sw.state(), switched, Set.of(), end);
    assertTrue(dropped.actions().isEmpty());
    assertNull(dropped.state().slot("main").previousKey());
    assertEquals(1, dropped.changes().size());
    View idle = SigningKeyRotation.view("main", MONTHLY, dropped.state().slot("main"), switched);
    assertEquals(List.of(NEXT), idle.jwtKeys());
    assertEquals("Idle", idle.status().getPhase());
    assertEquals(acked.plus(Duration.ofHours(720)).toString(), idle.status().getNextRotationAt());
  }

  @Test
  void thePreviousKeyStaysWhileAnActivationTokenIsStillSignedByIt() {
    State overlap =
        new State(
            null,
            null,
            Map.of("main", new Slot(T0.toString(), null, OLD, T0.plusSeconds(60).toString())));
    Instant end = T0.plusSeconds(60);
    Plan held = plan(MONTHLY, Map.of(), overlap, new Keys(CUR, null), Set.of(OLD), end);
    assertEquals(OLD, held.state().slot("main").previousKey(), "an importer still needs it");
    Plan gone = plan(MONTHLY, Map.of(), overlap, new Keys(CUR, null), Set.of(), end);
    assertNull(gone.state().slot("main").previousKey());
  }

  @Test
  void aRequestRotatesOnceEverySlotAndIsRememberedAsHandled() {
    Map<String, Policy> two = new LinkedHashMap<>();
    two.put("main", Policy.NONE);
    two.put("scoped", MONTHLY);
    Map<String, String> ask = Map.of(SigningKeyRotation.REQUEST, "1");
    Plan p =
        SigningKeyRotation.plan(
            new Inputs(
                two,
                ask,
                State.EMPTY,
                Map.of("main", new Keys(CUR, null), "scoped", new Keys("ASCOPED", null)),
                false,
                Set.of(),
                T0));
    assertEquals(Map.of("main", Action.STAGE, "scoped", Action.STAGE), p.actions());
    assertEquals("1", p.state().handledRequest());
    assertEquals("requested", p.state().slot("main").stagedWhy());

    SigningKeyRotation.Switch sw =
        SigningKeyRotation.switchStaged(
            p.state(),
            two,
            Map.of("main", new Keys(CUR, NEXT), "scoped", new Keys("ASCOPED", "ASNEXT")),
            T0.plusSeconds(1));
    Plan again =
        SigningKeyRotation.plan(
            new Inputs(
                two,
                ask,
                sw.state(),
                Map.of("main", new Keys(NEXT, null), "scoped", new Keys("ASNEXT", null)),
                false,
                Set.of(),
                T0.plusSeconds(30)));
    assertTrue(again.actions().isEmpty(), "the same value asks for nothing more");
    assertEquals(sw.state(), again.state());
  }

  @Test
  void aRequestOnANewAccountCountsAsDone() {
    Plan p =
        SigningKeyRotation.plan(
            new Inputs(
                slots(Policy.NONE),
                Map.of(SigningKeyRotation.REQUEST, "1"),
                State.EMPTY,
                Map.of("main", new Keys(CUR, null)),
                true,
                Set.of(),
                T0));
    assertTrue(p.actions().isEmpty());
    assertEquals("1", p.state().handledRequest());
  }

  @Test
  void aSecondRotationDuringTheOverlapDropsTheEarlierPreviousKey() {
    State overlap =
        new State(
            null,
            null,
            Map.of("main", new Slot(T0.toString(), null, OLD, T0.plusSeconds(3600).toString())));
    Plan p =
        plan(
            MONTHLY,
            Map.of(SigningKeyRotation.REQUEST, "2"),
            overlap,
            new Keys(CUR, null),
            Set.of(),
            T0.plusSeconds(10));
    assertEquals(Map.of("main", Action.STAGE), p.actions());
    assertNull(p.state().slot("main").previousKey(), "only one old key is ever trusted");
  }

  @Test
  void anEmergencyReplacesTheKeyAtOnceAndDropsThePreviousAndStagedOnes() {
    State overlap =
        new State(
            null,
            null,
            Map.of(
                "main",
                new Slot(T0.toString(), "scheduled", OLD, T0.plusSeconds(3600).toString())));
    Instant now = T0.plusSeconds(10);
    Plan p =
        plan(
            MONTHLY,
            Map.of(SigningKeyRotation.EMERGENCY, "leaked"),
            overlap,
            new Keys(CUR, NEXT),
            Set.of(OLD),
            now);
    assertEquals(Map.of("main", Action.REPLACE), p.actions());
    Slot s = p.state().slot("main");
    assertEquals(new Slot(now.toString(), null, null, null), s);
    assertEquals("leaked", p.state().handledEmergency());
    assertEquals(Why.EMERGENCY, p.changes().get(0).why());
    assertTrue(p.changes().get(0).counted());
    View v = SigningKeyRotation.view("main", MONTHLY, s, new Keys("ANEW", null));
    assertEquals(List.of("ANEW"), v.jwtKeys(), "only the new key is trusted");
    Plan again =
        plan(
            MONTHLY,
            Map.of(SigningKeyRotation.EMERGENCY, "leaked"),
            p.state(),
            new Keys("ANEW", null),
            Set.of(),
            now.plusSeconds(5));
    assertTrue(again.actions().isEmpty(), "handled once");
  }

  @Test
  void aWipedStatusChangesNothingBecauseTheStateIsStoredWithTheKeys() {
    State overlap =
        new State(
            "1",
            null,
            Map.of("main", new Slot(T0.toString(), null, OLD, T0.plusSeconds(3600).toString())));
    State back = State.parse(overlap.write());
    assertEquals(overlap, back);
    Plan p =
        plan(
            MONTHLY,
            Map.of(SigningKeyRotation.REQUEST, "1"),
            back,
            new Keys(CUR, null),
            Set.of(),
            T0.plusSeconds(60));
    assertEquals(overlap, p.state());
    assertEquals(
        List.of(CUR, OLD),
        SigningKeyRotation.view("main", MONTHLY, back.slot("main"), new Keys(CUR, null)).jwtKeys());
    assertEquals(State.EMPTY, State.parse("not json"), "a broken entry counts as none");
  }

  @Test
  void badDurationsAreRefusedNamingTheField() {
    KeyRotation r = new KeyRotation();
    r.setEvery("1h");
    r.setOverlap("2h");
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> Policy.of(r, "spec.signingKeys[1]"));
    assertEquals("spec.signingKeys[1].rotation.overlap", e.field());
    r.setEvery("0s");
    assertEquals(
        "spec.signingKeys[1].rotation.every",
        assertThrows(InvalidSpecException.class, () -> Policy.of(r, "spec.signingKeys[1]"))
            .field());
    r.setEvery("720h");
    r.setOverlap("24h");
    assertEquals(
        new Policy(Duration.ofHours(720), Duration.ofHours(24)),
        Policy.of(r, "spec.signingKeys[1]"));
  }

  @Test
  void aScopedSlotTrustsItsCurrentAndPreviousKeyWithTheSameScope() {
    String current = KeyPair.create(KeyType.ACCOUNT).publicKey();
    String previous = KeyPair.create(KeyType.ACCOUNT).publicKey();
    SigningKeyTemplate t = new SigningKeyTemplate();
    Permission pub = new Permission();
    pub.setAllow(List.of("apps.>"));
    t.setPublish(pub);
    SigningKeySpec apps = new SigningKeySpec();
    apps.setName("apps");
    apps.setRole("app-role");
    apps.setTemplate(t);
    State overlap =
        new State(
            null,
            null,
            Map.of("apps", new Slot(T0.toString(), null, previous, T0.plusSeconds(60).toString())));
    SigningKeyRotator.Slots slots =
        new SigningKeyRotator.Slots(
            Map.of("apps", apps),
            Map.of("apps", MONTHLY),
            overlap,
            Map.of("apps", new Keys(current, null)));

    AccountClaims c =
        AccountClaimsBuilder.build(
            new AccountClaimsBuilder.Inputs(
                "a",
                new AccountSpec(),
                KeyPair.create(KeyType.ACCOUNT).publicKey(),
                slots.resolved(),
                List.of(),
                List.of(),
                Map.of()));

    assertEquals(2, c.signingKeys().size());
    for (String key : List.of(current, previous)) {
      assertEquals("app-role", c.scopeOf(key).role());
      assertEquals(List.of("apps.>"), c.scopeOf(key).template().permissions().pub().allow());
    }
  }
}
