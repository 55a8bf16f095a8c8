package dev.nats.accounts.reconciler.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Accounts;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Observed;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Phase;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Plan;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Servers;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.State;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Step;
import dev.nats.accounts.reconciler.user.UserKeyRotation;
import dev.nats.accounts.reconciler.user.UserKeyRotation.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorKeyRotationTest {
  static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  static final Policy MONTHLY = new Policy(Duration.ofHours(720), Duration.ofHours(24));
  static final String CUR = "OCUR";
  static final String NEXT = "ONEXT";
  static final String CM = "main-server-config";
  static final Servers NONE_TRUST = new Servers(2, List.of(), List.of("nats-0", "nats-1"));
  static final Servers ALL_TRUST = new Servers(2, List.of("nats-0", "nats-1"), List.of());
  static final Accounts ALL_RESIGNED = new Accounts(3, List.of());

  static Observed idle(String current) {
    return new Observed(current, null, T0, false, null, null, CM);
  }

  static Observed staged(Servers servers) {
    return new Observed(CUR, NEXT, T0, false, servers, null, CM);
  }

  static Observed switched(Accounts accounts) {
    return new Observed(NEXT, null, T0, false, null, accounts, CM);
  }

  @Test
  void withoutScheduleOrRequestNothingHappensAndNothingIsWritten() {
    Plan p = OperatorKeyRotation.plan(Policy.NONE, Map.of(), null, idle(CUR), T0.plusSeconds(5));
    assertEquals(Step.NONE, p.step());
    assertFalse(p.stateChanged());
    assertNull(p.state());
    assertEquals(Phase.IDLE, p.phase());
    assertNull(p.wakeAt());
    assertEquals(List.of(CUR), OperatorKeyRotation.jwtKeys(CUR, null, p.state()));
  }

  @Test
  void theScheduleStartsFromTheKeysUntilDueThenStagesANextKey() {
    Plan early = OperatorKeyRotation.plan(MONTHLY, Map.of(), null, idle(CUR), T0.plusSeconds(60));
    assertEquals(Step.NONE, early.step());
    assertFalse(early.stateChanged(), "nothing churns before the rotation is due");
    assertEquals(T0.plus(Duration.ofHours(720)), early.nextRotationAt());
    assertEquals(T0.plus(Duration.ofHours(720)), early.wakeAt());

    Instant due = T0.plus(Duration.ofHours(720));
    Plan p = OperatorKeyRotation.plan(MONTHLY, Map.of(), null, idle(CUR), due);
    assertEquals(Step.STAGE, p.step());
    assertEquals("scheduled", p.why());
    assertEquals(Phase.STAGED, p.phase());
    assertTrue(p.stateChanged());
    assertEquals(due.toString(), p.state().stagedAt());
    assertEquals(due.plus(OperatorKeyRotation.POLL), p.wakeAt());
  }

  @Test
  void stagedWaitsUntilEveryServerTrustsTheNextKeyAndSaysWhoAndHow() {
    State s = stagedState();
    Plan wait = OperatorKeyRotation.plan(MONTHLY, Map.of(), s, staged(NONE_TRUST), T0);
    assertEquals(Step.NONE, wait.step());
    assertFalse(wait.stateChanged());
    assertEquals(Phase.STAGED, wait.phase());
    assertTrue(wait.waitingFor().contains("0/2 servers trust it"), wait.waitingFor());
    assertTrue(wait.waitingFor().contains("nats-0, nats-1"), wait.waitingFor());
    assertTrue(wait.waitingFor().contains("kubectl rollout restart"), wait.waitingFor());
    assertTrue(wait.waitingFor().contains(CM), wait.waitingFor());
    assertEquals(List.of(CUR, NEXT), OperatorKeyRotation.jwtKeys(CUR, NEXT, s));

    Servers half = new Servers(2, List.of("nats-0"), List.of());
    Plan oneSilent = OperatorKeyRotation.plan(MONTHLY, Map.of(), s, staged(half), T0);
    assertEquals(Step.NONE, oneSilent.step(), "a server that did not answer is not trusted yet");
    assertTrue(oneSilent.waitingFor().contains("1 did not answer"), oneSilent.waitingFor());

    Plan notConnected = OperatorKeyRotation.plan(MONTHLY, Map.of(), s, staged(null), T0);
    assertEquals(Step.NONE, notConnected.step());
  }

  @Test
  void everyServerTrustingSwitchesTheSignerAndKeepsTheReplacedKeyForTheOverlap() {
    Instant now = T0.plusSeconds(300);
    Plan p = OperatorKeyRotation.plan(MONTHLY, Map.of(), stagedState(), staged(ALL_TRUST), now);
    assertEquals(Step.SWITCH, p.step());
    assertEquals("requested", p.why());
    assertEquals(Phase.SWITCHED, p.phase());
    assertEquals(CUR, p.state().previousKey());
    assertFalse(p.state().previousKeyRemoved());
    assertEquals(now.plus(Duration.ofHours(24)).toString(), p.state().previousKeyRemovedAt());
    assertEquals(now.toString(), p.state().rotatedAt());
    assertEquals(now.plus(Duration.ofHours(720)), p.nextRotationAt());
    assertEquals(List.of(NEXT, CUR), OperatorKeyRotation.jwtKeys(NEXT, null, p.state()));
  }

  @Test
  void noServersToAskSwitchesAtOnce() {
    Plan p =
        OperatorKeyRotation.plan(
            MONTHLY, Map.of(), stagedState(), staged(new Servers(0, List.of(), List.of())), T0);
    assertEquals(Step.SWITCH, p.step());
  }

  @Test
  void theReplacedKeyLeavesOnlyAfterTheOverlapAndOnceEveryAccountIsReSigned() {
    State sw = switchedState(T0);
    Instant removeAt = T0.plus(Duration.ofHours(24));
    Accounts pending = new Accounts(3, List.of("team-a/orders"));

    Plan resigning = OperatorKeyRotation.plan(MONTHLY, Map.of(), sw, switched(pending), T0);
    assertEquals(Phase.SWITCHED, resigning.phase());
    assertEquals(Step.NONE, resigning.step());
    assertTrue(resigning.waitingFor().contains("2/3"), resigning.waitingFor());
    assertTrue(resigning.waitingFor().contains("team-a/orders"), resigning.waitingFor());

    Plan overlap = OperatorKeyRotation.plan(MONTHLY, Map.of(), sw, switched(ALL_RESIGNED), T0);
    assertEquals(Phase.OVERLAP, overlap.phase());
    assertEquals(Step.NONE, overlap.step());
    assertFalse(overlap.stateChanged());
    assertEquals(removeAt, overlap.wakeAt());

    Plan late = OperatorKeyRotation.plan(MONTHLY, Map.of(), sw, switched(pending), removeAt);
    assertEquals(Step.NONE, late.step(), "an account still signed by the old key keeps it");
    assertEquals(Phase.SWITCHED, late.phase());

    Instant after = removeAt.plusSeconds(1);
    Plan remove = OperatorKeyRotation.plan(MONTHLY, Map.of(), sw, switched(ALL_RESIGNED), after);
    assertEquals(Step.REMOVE_PREVIOUS, remove.step());
    assertEquals(Phase.IDLE, remove.phase());
    assertTrue(remove.state().previousKeyRemoved());
    assertEquals(after.toString(), remove.state().previousKeyRemovedAt());
    assertEquals(List.of(NEXT), OperatorKeyRotation.jwtKeys(NEXT, null, remove.state()));

    Plan quiet =
        OperatorKeyRotation.plan(
            MONTHLY, Map.of(), remove.state(), idle(NEXT), after.plusSeconds(60));
    assertEquals(Step.NONE, quiet.step());
    assertFalse(quiet.stateChanged(), "after a rotation nothing churns");
    assertEquals(T0.plus(Duration.ofHours(720)), quiet.wakeAt());
  }

  @Test
  void aNewRequestValueRotatesOnceAndOnlyFromIdle() {
    Map<String, String> asked = Map.of(UserKeyRotation.REQUEST, "r1");
    Plan p = OperatorKeyRotation.plan(Policy.NONE, asked, null, idle(CUR), T0);
    assertEquals(Step.STAGE, p.step());
    assertEquals("requested", p.why());
    assertEquals("r1", p.state().handledRequest());

    State done =
        new State(CUR, T0.toString(), true, T0.toString(), T0.toString(), "requested", "r1", null);
    assertEquals(
        Step.NONE, OperatorKeyRotation.plan(Policy.NONE, asked, done, idle(NEXT), T0).step());

    Map<String, String> again = Map.of(UserKeyRotation.REQUEST, "r2");
    Plan inOverlap =
        OperatorKeyRotation.plan(Policy.NONE, again, switchedState(T0), switched(ALL_RESIGNED), T0);
    assertEquals(Step.NONE, inOverlap.step(), "a request waits for the rotation in progress");
    assertEquals(
        Step.STAGE, OperatorKeyRotation.plan(Policy.NONE, again, done, idle(NEXT), T0).step());
  }

  @Test
  void anEmergencyReplacesTheSignerAtOnceAndDropsTheReplacedKeyAtOnce() {
    Map<String, String> sos = Map.of(UserKeyRotation.EMERGENCY, "leak-1");
    Plan p = OperatorKeyRotation.plan(MONTHLY, sos, null, idle(CUR), T0);
    assertEquals(Step.EMERGENCY, p.step());
    assertEquals("emergency", p.why());
    assertEquals(Phase.IDLE, p.phase());
    assertEquals(CUR, p.state().previousKey());
    assertTrue(p.state().previousKeyRemoved());
    assertEquals(T0.toString(), p.state().rotatedAt());
    assertEquals(List.of("ONEW"), OperatorKeyRotation.jwtKeys("ONEW", null, p.state()));

    // Also from the middle of a rotation, without waiting for trust; the same value not again.
    Plan fromStaged = OperatorKeyRotation.plan(MONTHLY, sos, stagedState(), staged(NONE_TRUST), T0);
    assertEquals(Step.EMERGENCY, fromStaged.step());
    assertEquals(
        Step.NONE,
        OperatorKeyRotation.plan(MONTHLY, sos, p.state(), idle("ONEW"), T0.plusSeconds(9)).step());
  }

  @Test
  void aNewOperatorCountsTheAnnotationsItWasCreatedWithAsHandled() {
    Map<String, String> ann =
        Map.of(UserKeyRotation.REQUEST, "r0", UserKeyRotation.EMERGENCY, "e0");
    Observed created = new Observed(CUR, null, T0, true, null, null, CM);
    Plan p = OperatorKeyRotation.plan(Policy.NONE, ann, null, created, T0);
    assertEquals(Step.NONE, p.step());
    assertTrue(p.stateChanged());
    assertEquals(
        Step.NONE, OperatorKeyRotation.plan(Policy.NONE, ann, p.state(), idle(CUR), T0).step());
  }

  @Test
  void theStateSurvivesAsJsonInTheKeySecretAndAStatusWipeChangesNothing() {
    State s = switchedState(T0);
    State back = State.fromJson(s.toJson());
    assertEquals(s, back);
    // The plan reads only the stored state and what it observes, never the status.
    assertEquals(
        OperatorKeyRotation.plan(MONTHLY, Map.of(), s, switched(ALL_RESIGNED), T0),
        OperatorKeyRotation.plan(MONTHLY, Map.of(), back, switched(ALL_RESIGNED), T0));
    assertThrows(IllegalStateException.class, () -> State.fromJson("not json"));
  }

  /** Staged on request at T0, never rotated before. */
  static State stagedState() {
    return new State(null, null, false, null, T0.toString(), "requested", "r1", null);
  }

  static State switchedState(Instant at) {
    return new State(
        CUR,
        at.plus(Duration.ofHours(24)).toString(),
        false,
        at.toString(),
        at.toString(),
        "scheduled",
        null,
        null);
  }
}
