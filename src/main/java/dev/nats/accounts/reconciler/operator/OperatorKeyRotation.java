package dev.nats.accounts.reconciler.operator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.RotationAnnotations;
import dev.nats.accounts.reconciler.user.UserKeyRotation;
import dev.nats.accounts.reconciler.user.UserKeyRotation.Policy;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides where the rotation of the operator signing key that signs account JWTs stands, and the
 * one step to take now. Pure: the Operator reconciler reads the inputs (key Secret, VARZ of the
 * servers, the Accounts' JWTs) and applies the step.
 *
 * <p>The order protects every running server: nats-server trusts an account JWT only when the
 * operator JWT it was started with lists the signer, and it cannot reload a changed operator JWT
 * (2.15 answers a reload with "config reload not supported for TrustedOperators"), so a server
 * learns a new key only by a restart. Hence:
 *
 * <ol>
 *   <li>{@link Phase#STAGED}: a next key is made and added to the operator JWT and the server
 *       config; nothing is signed with it until every server says (in {@code
 *       $SYS.REQ.SERVER.PING.VARZ}, {@code trusted_operators_claim}) that it trusts it.
 *   <li>{@link Phase#SWITCHED}: the next key becomes the signer, so every account and the system
 *       account are re-signed and pushed; the replaced key stays in the operator JWT.
 *   <li>{@link Phase#OVERLAP}: all accounts carry the new signature; the replaced key stays until
 *       {@code overlap} after the switch, then leaves the operator JWT ({@link Phase#IDLE}).
 * </ol>
 *
 * <p>An emergency (a new value of annotation {@value RotationAnnotations#EMERGENCY}) skips all
 * waiting: a new signer at once and the replaced key out of the operator JWT at once. Servers not
 * restarted yet then refuse the re-signed accounts until they are.
 *
 * <p>All that must survive a lost status lives in the key Secret: the staged seed in {@value
 * #NEXT_ENTRY} and {@link State} as JSON in {@value #STATE_ENTRY}.
 */
public final class OperatorKeyRotation {
  /** The rotated slot: the key that signs account JWTs. Other signing keys are not rotated. */
  public static final String SLOT = Names.ACCOUNT_SIGNER;

  /** The staged next seed, present only in {@link Phase#STAGED}. */
  public static final String NEXT_ENTRY = SLOT + ".next";

  /** {@link State} as JSON. */
  public static final String STATE_ENTRY = SLOT + ".rotation";

  /** How often a waiting phase looks again (servers restarting, accounts being re-signed). */
  public static final Duration POLL = Duration.ofSeconds(10);

  private OperatorKeyRotation() {}

  /** Where the rotation stands; the status and {@code kubectl get} show the label. */
  public enum Phase {
    IDLE("Idle"),
    STAGED("Staged"),
    SWITCHED("Switched"),
    OVERLAP("Overlap");

    private final String label;

    Phase(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** What the reconciler does now. */
  public enum Step {
    /** Nothing but, when {@link Plan#stateChanged()}, storing the state. */
    NONE,
    /** Make a next key, store it in {@value #NEXT_ENTRY}. */
    STAGE,
    /** The staged key becomes {@value #SLOT}; the replaced one stays in the JWT. */
    SWITCH,
    /** The replaced key leaves the operator JWT. */
    REMOVE_PREVIOUS,
    /** A new key becomes {@value #SLOT} at once; no staged key, no replaced key in the JWT. */
    EMERGENCY
  }

  /**
   * The durable part, kept in the key Secret (times RFC 3339).
   *
   * @param previousKey the replaced signer (public key)
   * @param previousKeyRemovedAt when it leaves (or left) the operator JWT
   * @param previousKeyRemoved it has left
   * @param rotatedAt when the current key became the signer
   * @param stagedAt when the next key was staged
   * @param why why the rotation in progress (or the last one) started
   */
  public record State(
      String previousKey,
      String previousKeyRemovedAt,
      boolean previousKeyRemoved,
      String rotatedAt,
      String stagedAt,
      String why,
      String handledRequest,
      String handledEmergency) {
    static final State EMPTY = new State(null, null, false, null, null, null, null, null);

    boolean previousInJwt() {
      return previousKey != null && !previousKeyRemoved;
    }

    /** As stored in {@value #STATE_ENTRY}. */
    public String toJson() {
      try {
        return JSON.writeValueAsString(this);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The stored state; one that cannot be read is an error, not a silent fresh start. */
    public static State fromJson(String json) {
      try {
        return JSON.readValue(json, State.class);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(
            "key Secret entry "
                + STATE_ENTRY
                + " is not a rotation state: "
                + e.getOriginalMessage());
      }
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * What the servers said about the next key.
   *
   * @param expected how many servers {@code spec.servers} names (0: none to ask)
   * @param trusting names of answering servers whose operator JWT lists the next key
   * @param notTrusting names of answering servers whose operator JWT does not list it
   */
  public record Servers(int expected, List<String> trusting, List<String> notTrusting) {
    /** Every expected server answered, and each trusts the next key. */
    boolean allTrust() {
      return expected == 0 || (notTrusting.isEmpty() && trusting.size() >= expected);
    }

    String count() {
      return trusting.size() + "/" + Math.max(expected, trusting.size() + notTrusting.size());
    }
  }

  /**
   * The Accounts under this Operator with a JWT.
   *
   * @param total how many
   * @param pending those not yet signed by the current key and pushed (namespace/name)
   */
  public record Accounts(int total, List<String> pending) {
    String count() {
      return (total - pending.size()) + "/" + total;
    }
  }

  /**
   * What is known now.
   *
   * @param current the signer's public key
   * @param next the staged key's public key, null when none
   * @param keysCreatedAt when the key Secret was made: the schedule's start before any rotation
   * @param servers the servers' answer, asked only in {@link Phase#STAGED} (else null)
   * @param accounts the accounts, counted only while the replaced key is in the JWT (else null)
   * @param configMap the server-config ConfigMap, for messages
   * @param keysCreated the keys were made just now: requests made before count as done
   */
  public record Observed(
      String current,
      String next,
      Instant keysCreatedAt,
      boolean keysCreated,
      Servers servers,
      Accounts accounts,
      String configMap) {}

  /**
   * @param step what to do now
   * @param why why a rotation started or switched now (a {@link UserKeyRotation.Why} label), null
   *     otherwise
   * @param state the state to store (when {@link #stateChanged})
   * @param stateChanged the key Secret's state entry must be written
   * @param phase where the rotation stands after the step
   * @param nextRotationAt when the schedule wants the next rotation; null without one
   * @param waitingFor what the phase waits for, for the status; null when nothing
   * @param wakeAt when to look again; null: no need
   */
  public record Plan(
      Step step,
      String why,
      State state,
      boolean stateChanged,
      Phase phase,
      Instant nextRotationAt,
      String waitingFor,
      Instant wakeAt) {}

  /** The phase the durable state is in, before any step: it says which inputs are needed. */
  public static Phase phase(State state, boolean staged, Accounts accounts) {
    if (staged) {
      return Phase.STAGED;
    }
    State s = state == null ? State.EMPTY : state;
    if (s.previousInJwt()) {
      return accounts != null && !accounts.pending().isEmpty() ? Phase.SWITCHED : Phase.OVERLAP;
    }
    return Phase.IDLE;
  }

  /** The operator JWT's signing keys for the slot: the signer, then the staged or replaced key. */
  public static List<String> jwtKeys(String current, String next, State state) {
    List<String> keys = new ArrayList<>();
    keys.add(current);
    if (next != null) {
      keys.add(next);
    }
    if (state != null && state.previousInJwt() && !keys.contains(state.previousKey())) {
      keys.add(state.previousKey());
    }
    return keys;
  }

  public static Plan plan(
      Policy policy, Map<String, String> annotations, State last, Observed seen, Instant now) {
    Map<String, String> ann = annotations == null ? Map.of() : annotations;
    String request = ann.get(RotationAnnotations.REQUEST);
    String emergency = ann.get(RotationAnnotations.EMERGENCY);
    now = now.truncatedTo(ChronoUnit.SECONDS);
    State was = last == null ? State.EMPTY : last;
    Instant baseline =
        was.rotatedAt() != null
            ? Instant.parse(was.rotatedAt())
            : seen.keysCreatedAt() != null ? seen.keysCreatedAt() : now;
    Instant due = policy.every() == null ? null : baseline.plus(policy.every());
    if (last == null && seen.keysCreated()) {
      // A new Operator's first key is new: annotations it was created with ask for nothing.
      State s = new State(null, null, false, null, null, null, request, emergency);
      boolean asked = request != null || emergency != null;
      return new Plan(Step.NONE, null, asked ? s : null, asked, Phase.IDLE, due, null, due);
    }
    if (emergency != null && !emergency.equals(was.handledEmergency())) {
      State s =
          new State(
              seen.current(),
              now.toString(),
              true,
              now.toString(),
              null,
              UserKeyRotation.Why.EMERGENCY.label(),
              request,
              emergency);
      return done(Step.EMERGENCY, s.why(), last, s, Phase.IDLE, policy, now, null);
    }
    Phase phase = phase(was, seen.next() != null, seen.accounts());
    return switch (phase) {
      case IDLE -> idle(policy, last, was, request, due, now);
      case STAGED -> staged(policy, last, was, seen, now);
      case SWITCHED, OVERLAP -> overlap(policy, last, was, seen, now);
    };
  }

  private static Plan idle(
      Policy policy, State last, State was, String request, Instant due, Instant now) {
    boolean requested = request != null && !request.equals(was.handledRequest());
    boolean scheduled = due != null && !now.isBefore(due);
    if (!requested && !scheduled) {
      return new Plan(Step.NONE, null, last, false, Phase.IDLE, due, null, due);
    }
    String why =
        (requested ? UserKeyRotation.Why.REQUESTED : UserKeyRotation.Why.SCHEDULED).label();
    State s =
        new State(
            null,
            null,
            false,
            was.rotatedAt(),
            now.toString(),
            why,
            request,
            was.handledEmergency());
    return done(Step.STAGE, why, last, s, Phase.STAGED, policy, now, now.plus(POLL));
  }

  private static Plan staged(Policy policy, State last, State was, Observed seen, Instant now) {
    Servers servers = seen.servers();
    if (servers == null || !servers.allTrust()) {
      return new Plan(
          Step.NONE,
          null,
          last,
          false,
          Phase.STAGED,
          nextDue(policy, was),
          awaitingTrust(seen),
          now.plus(POLL));
    }
    State s =
        new State(
            seen.current(),
            now.plus(policy.overlap()).toString(),
            false,
            now.toString(),
            was.stagedAt(),
            was.why(),
            was.handledRequest(),
            was.handledEmergency());
    return done(Step.SWITCH, was.why(), last, s, Phase.SWITCHED, policy, now, now.plus(POLL));
  }

  private static Plan overlap(Policy policy, State last, State was, Observed seen, Instant now) {
    Instant removeAt = Instant.parse(was.previousKeyRemovedAt());
    // Not counted means not known to be re-signed: the replaced key stays.
    Accounts accounts =
        seen.accounts() == null ? new Accounts(1, List.of("(not counted)")) : seen.accounts();
    boolean resigned = accounts.pending().isEmpty();
    if (resigned && !now.isBefore(removeAt)) {
      State s =
          new State(
              was.previousKey(),
              now.toString(),
              true,
              was.rotatedAt(),
              was.stagedAt(),
              was.why(),
              was.handledRequest(),
              was.handledEmergency());
      return done(Step.REMOVE_PREVIOUS, null, last, s, Phase.IDLE, policy, now, null);
    }
    String waiting =
        resigned
            ? "replaced key "
                + was.previousKey()
                + " stays in the operator JWT until "
                + removeAt
                + " (spec.rotation.overlap)"
            : "accounts re-signed by "
                + seen.current()
                + " and pushed: "
                + accounts.count()
                + "; waiting for "
                + String.join(", ", first(accounts.pending(), 5))
                + (accounts.pending().size() > 5 ? " and others" : "");
    return new Plan(
        Step.NONE,
        null,
        last,
        false,
        resigned ? Phase.OVERLAP : Phase.SWITCHED,
        nextDue(policy, was),
        waiting,
        resigned ? removeAt : now.plus(POLL));
  }

  /** Names exactly what is awaited and the one command that ends the wait. */
  static String awaitingTrust(Observed seen) {
    Servers s = seen.servers();
    String who =
        s == null
            ? "not connected to the servers"
            : s.count()
                + " servers trust it"
                + (s.notTrusting().isEmpty()
                    ? ""
                    : "; not yet: " + String.join(", ", first(s.notTrusting(), 5)))
                + (s.trusting().size() + s.notTrusting().size() < s.expected()
                    ? "; "
                        + (s.expected() - s.trusting().size() - s.notTrusting().size())
                        + " did not answer"
                    : "");
    return "next signing key "
        + seen.next()
        + " is in the operator JWT in ConfigMap "
        + seen.configMap()
        + "; waiting for every server to trust it ("
        + who
        + "). nats-server loads a changed operator JWT only on restart (a reload refuses it):"
        + " restart the servers, e.g. kubectl rollout restart statefulset/nats -n nats";
  }

  private static List<String> first(List<String> l, int n) {
    return l.size() <= n ? l : l.subList(0, n);
  }

  private static Instant nextDue(Policy policy, State s) {
    return policy.every() == null || s.rotatedAt() == null
        ? null
        : Instant.parse(s.rotatedAt()).plus(policy.every());
  }

  private static Plan done(
      Step step,
      String why,
      State last,
      State s,
      Phase phase,
      Policy policy,
      Instant now,
      Instant wake) {
    Instant due = nextDue(policy, s);
    Instant wakeAt = wake != null ? wake : due;
    if (phase == Phase.SWITCHED || phase == Phase.STAGED) {
      wakeAt = now.plus(POLL);
    }
    return new Plan(step, why, s, !Objects.equals(last, s), phase, due, null, wakeAt);
  }
}
