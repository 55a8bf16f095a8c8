package dev.nats.accounts.reconciler.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nats.accounts.api.v1alpha1.KeyRotation;
import dev.nats.accounts.api.v1alpha1.SigningKeyStatus;
import dev.nats.accounts.reconciler.InvalidSpecException;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.RotationAnnotations;
import dev.nats.accounts.reconciler.SpecConversions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides, per account signing key slot, when a new key is staged, when it starts signing and when
 * the key it replaced leaves the account JWT. Pure: the Account reconciler keeps the seeds and this
 * state in the account key Secret and applies the plan.
 *
 * <p>A rotation has three steps so that no client ever holds creds the servers do not accept: the
 * next key is put into the account JWT beside the current one (phase Staged); once every resolver
 * acknowledged that JWT it becomes the signer (Users and activation tokens are signed again with
 * it) and the replaced key stays in the JWT, with the same scope, for the overlap (phase Overlap);
 * then it leaves. Both JWTs hold the same two keys, so the switch itself signs and pushes nothing.
 *
 * <p>Due on schedule ({@code rotation.every} after the last one) or on request (a new value of the
 * Account annotation {@value #REQUEST}): one request rotates every slot, because all seeds live in
 * one Secret and a leak of it exposes them all. An emergency ({@value #EMERGENCY}) replaces every
 * current key at once and drops the previous and any staged one from the JWT, so connections of
 * users signed by them end. A second rotation during an overlap drops the earlier previous key:
 * only one old key is ever trusted.
 *
 * <p>The state lives in the key Secret ({@value #STATE_ENTRY}, the staged seeds under {@code
 * signing-<name>.next}), not only in status: a wiped status must neither restart the schedule nor
 * forget a previous key that is due to leave.
 */
public final class SigningKeyRotation {
  /** Rotate every signing key once more: any new value. */
  public static final String REQUEST = RotationAnnotations.REQUEST;

  /** Replace every signing key at once, dropping the replaced ones: any new value. */
  public static final String EMERGENCY = RotationAnnotations.EMERGENCY;

  /** The key Secret entry holding {@link State}. */
  public static final String STATE_ENTRY = "signing-rotation.json";

  static final Duration DEFAULT_OVERLAP = Duration.ofHours(1);

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private SigningKeyRotation() {}

  /** The key Secret entry of a slot's staged next seed. */
  public static String nextEntry(String slot) {
    return Names.signingEntry(slot) + ".next";
  }

  /** Why a key is replaced; names the Event and the metric. */
  public enum Why {
    SCHEDULED,
    REQUESTED,
    EMERGENCY;

    public String label() {
      return name().toLowerCase();
    }
  }

  /** Where a slot's rotation stands, as {@code status.signingKeys[].phase} shows it. */
  public enum Phase {
    Idle,
    Staged,
    Overlap
  }

  /** {@code spec.signingKeys[i].rotation}, parsed and checked. */
  public record Policy(Duration every, Duration overlap) {
    public static final Policy NONE = new Policy(null, DEFAULT_OVERLAP);

    /**
     * @param at the field path of the slot, e.g. {@code spec.signingKeys[0]}
     */
    public static Policy of(KeyRotation spec, String at) {
      if (spec == null) {
        return NONE;
      }
      String everyField = at + ".rotation.every";
      String overlapField = at + ".rotation.overlap";
      Duration every =
          spec.getEvery() == null ? null : SpecConversions.duration(spec.getEvery(), everyField);
      if (every != null && (every.isZero() || every.isNegative())) {
        throw new InvalidSpecException(everyField, "must be positive");
      }
      Duration overlap =
          spec.getOverlap() == null
              ? DEFAULT_OVERLAP
              : SpecConversions.duration(spec.getOverlap(), overlapField);
      if (overlap.isNegative()) {
        throw new InvalidSpecException(overlapField, "must not be negative");
      }
      if (every != null && overlap.compareTo(every) >= 0) {
        throw new InvalidSpecException(
            overlapField, "must be shorter than " + everyField + " (" + spec.getEvery() + ")");
      }
      return new Policy(every, overlap);
    }
  }

  /**
   * One slot's durable state.
   *
   * @param rotatedAt when the current key started signing, or the schedule started counting
   * @param stagedWhy why the staged next key was staged (its switch is counted under it)
   * @param previousKey the replaced key still in the JWT
   * @param previousKeyRemovedAt when it leaves
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Slot(
      String rotatedAt, String stagedWhy, String previousKey, String previousKeyRemovedAt) {
    static final Slot EMPTY = new Slot(null, null, null, null);

    Slot withPrevious(String key, String removedAt) {
      return new Slot(rotatedAt, stagedWhy, key, removedAt);
    }
  }

  /**
   * Every slot's state, and the annotation values already acted on.
   *
   * @param slots by slot name; a slot never rotated and without schedule has none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record State(String handledRequest, String handledEmergency, Map<String, Slot> slots) {
    public static final State EMPTY = new State(null, null, Map.of());

    public State {
      slots = slots == null ? Map.of() : Map.copyOf(new TreeMap<>(slots));
    }

    Slot slot(String name) {
      return slots.getOrDefault(name, Slot.EMPTY);
    }

    /** The stored entry; one that does not parse counts as none (nothing rotated yet). */
    public static State parse(String json) {
      if (json == null || json.isBlank()) {
        return EMPTY;
      }
      try {
        return JSON.readValue(json, State.class);
      } catch (JsonProcessingException e) {
        return EMPTY;
      }
    }

    public String write() {
      try {
        return JSON.writeValueAsString(
            new State(handledRequest, handledEmergency, new TreeMap<>(slots)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A slot's public keys as the key Secret holds them; {@code next} null when none is staged. */
  public record Keys(String current, String next) {}

  /** What a slot is to do now. */
  public enum Action {
    NONE,
    /** Generate a next key and put it into the JWT beside the current one. */
    STAGE,
    /** Replace the current key at once (emergency); the staged and previous ones go too. */
    REPLACE
  }

  /**
   * A stage change, for an Event (and, for a key that starts signing, the metric).
   *
   * @param slot the slot
   * @param what what happened, in words the Event carries after the new key
   * @param why the rotation it belongs to
   * @param counted whether this change is the rotation (a key started signing)
   */
  public record Change(String slot, String what, Why why, boolean counted) {}

  /**
   * The plan for now.
   *
   * @param actions per slot that does something
   * @param state the state to store (equal to the stored one: nothing to write)
   * @param changes what to announce (for REPLACE and STAGE the reconciler names the new key)
   */
  public record Plan(Map<String, Action> actions, State state, List<Change> changes) {}

  /**
   * @param policies per slot, in spec order
   * @param keys per slot, as the Secret holds them
   * @param fresh the key Secret was created just now: requests made before count as done
   * @param inUse keys that still sign activation tokens the importers' JWTs carry: a previous key
   *     among them stays in the JWT past its overlap, until every token is signed again
   */
  public record Inputs(
      Map<String, Policy> policies,
      Map<String, String> annotations,
      State stored,
      Map<String, Keys> keys,
      boolean fresh,
      Set<String> inUse,
      Instant now) {}

  public static Plan plan(Inputs in) {
    Instant now = in.now().truncatedTo(ChronoUnit.SECONDS);
    Map<String, String> ann = in.annotations() == null ? Map.of() : in.annotations();
    State stored = in.stored() == null ? State.EMPTY : in.stored();
    String request = ann.get(REQUEST);
    String emergency = ann.get(EMERGENCY);
    boolean requestPending =
        !in.fresh() && request != null && !request.equals(stored.handledRequest());
    boolean emergencyPending =
        !in.fresh() && emergency != null && !emergency.equals(stored.handledEmergency());
    Map<String, Action> actions = new LinkedHashMap<>();
    Map<String, Slot> slots = new TreeMap<>(stored.slots());
    // Slots gone from the spec leave with their state.
    slots.keySet().retainAll(in.policies().keySet());
    List<Change> changes = new ArrayList<>();
    for (Map.Entry<String, Policy> e : in.policies().entrySet()) {
      String name = e.getKey();
      Policy policy = e.getValue();
      Slot was = stored.slot(name);
      Keys keys = in.keys().getOrDefault(name, new Keys(null, null));
      boolean never = !stored.slots().containsKey(name);
      if (never && policy.every() == null && !requestPending && !emergencyPending) {
        continue; // never rotated, nothing asked: no state, no write
      }
      Slot next = was;
      if (emergencyPending) {
        actions.put(name, Action.REPLACE);
        next = new Slot(now.toString(), null, null, null);
        changes.add(
            new Change(
                name,
                "replaced "
                    + keys.current()
                    + " at once"
                    + dropped(was.previousKey(), keys.next())
                    + "; users signed by it are disconnected",
                Why.EMERGENCY,
                true));
        slots.put(name, next);
        continue;
      }
      if (next.rotatedAt() == null) {
        // A slot from before rotation existed, or just given a schedule: start counting now.
        next =
            new Slot(
                now.toString(), next.stagedWhy(), next.previousKey(), next.previousKeyRemovedAt());
      }
      if (keys.next() != null) {
        // Staged: the switch waits for the servers to acknowledge the JWT holding the next key.
        slots.put(name, next);
        continue;
      }
      if (next.previousKey() != null
          && previousEnded(next, now)
          && !in.inUse().contains(next.previousKey())) {
        changes.add(
            new Change(
                name, "previous key " + next.previousKey() + " left the account JWT", null, false));
        next = next.withPrevious(null, null);
      }
      Why why =
          requestPending
              ? Why.REQUESTED
              : policy.every() != null
                      && !now.isBefore(Instant.parse(next.rotatedAt()).plus(policy.every()))
                  ? Why.SCHEDULED
                  : null;
      if (why != null && next.previousKey() != null && in.inUse().contains(next.previousKey())) {
        why = null; // the earlier rotation's tokens are not all signed again yet: it goes first
      }
      if (why != null) {
        actions.put(name, Action.STAGE);
        String droppedNow = "";
        if (next.previousKey() != null) {
          droppedNow = "; previous key " + next.previousKey() + " left the account JWT early";
          next = next.withPrevious(null, null);
        }
        next = new Slot(next.rotatedAt(), why.label(), null, null);
        changes.add(
            new Change(
                name,
                "staged in the account JWT beside "
                    + keys.current()
                    + "; it signs once the servers acknowledge it"
                    + droppedNow,
                why,
                false));
      }
      slots.put(name, next);
    }
    State state =
        new State(
            request != null && (requestPending || in.fresh()) ? request : stored.handledRequest(),
            emergency != null && (emergencyPending || in.fresh())
                ? emergency
                : stored.handledEmergency(),
            slots);
    return new Plan(actions, state, changes);
  }

  /**
   * After the servers acknowledged a JWT holding the staged keys: each becomes the signer, and the
   * key it replaces stays in the JWT for the overlap.
   *
   * @return the new state and what changed; the same state when nothing was staged
   */
  public static Switch switchStaged(
      State state, Map<String, Policy> policies, Map<String, Keys> keys, Instant now) {
    now = now.truncatedTo(ChronoUnit.SECONDS);
    Map<String, Slot> slots = new TreeMap<>(state.slots());
    List<Change> changes = new ArrayList<>();
    for (Map.Entry<String, Keys> e : keys.entrySet()) {
      Keys k = e.getValue();
      if (k.next() == null || !policies.containsKey(e.getKey())) {
        continue;
      }
      Policy policy = policies.get(e.getKey());
      Slot was = state.slot(e.getKey());
      Why why =
          was.stagedWhy() == null ? Why.REQUESTED : Why.valueOf(was.stagedWhy().toUpperCase());
      String removedAt = now.plus(policy.overlap()).toString();
      slots.put(e.getKey(), new Slot(now.toString(), null, k.current(), removedAt));
      changes.add(
          new Change(
              e.getKey(),
              "now signs (users and activation tokens are signed again); previous key "
                  + k.current()
                  + " stays in the account JWT until "
                  + removedAt,
              why,
              true));
    }
    return new Switch(new State(state.handledRequest(), state.handledEmergency(), slots), changes);
  }

  public record Switch(State state, List<Change> changes) {}

  /**
   * A slot as the JWT and the status show it.
   *
   * @param jwtKeys the public keys the account JWT trusts for this slot, sorted (the same set
   *     before and after a switch, so the switch re-signs nothing)
   * @param status the slot's status entry
   * @param wakeAt when to look again (schedule due, previous key's end); null: no need
   */
  public record View(List<String> jwtKeys, SigningKeyStatus status, Instant wakeAt) {}

  public static View view(String name, Policy policy, Slot slot, Keys keys) {
    Slot s = slot == null ? Slot.EMPTY : slot;
    List<String> jwt = new ArrayList<>();
    jwt.add(keys.current());
    if (keys.next() != null) {
      jwt.add(keys.next());
    }
    if (s.previousKey() != null && !s.previousKey().equals(keys.current())) {
      jwt.add(s.previousKey());
    }
    jwt.sort(null);
    SigningKeyStatus st = new SigningKeyStatus();
    st.setName(name);
    st.setPublicKey(keys.current());
    Instant due =
        policy.every() == null || s.rotatedAt() == null
            ? null
            : Instant.parse(s.rotatedAt()).plus(policy.every());
    Instant ends =
        s.previousKeyRemovedAt() == null ? null : Instant.parse(s.previousKeyRemovedAt());
    if (!s.equals(Slot.EMPTY) || keys.next() != null) {
      st.setPhase(
          (keys.next() != null
                  ? Phase.Staged
                  : s.previousKey() != null ? Phase.Overlap : Phase.Idle)
              .name());
      st.setNextKey(keys.next());
      st.setPreviousKey(s.previousKey());
      st.setPreviousKeyRemovedAt(s.previousKey() == null ? null : s.previousKeyRemovedAt());
      st.setRotatedAt(s.rotatedAt());
      st.setNextRotationAt(due == null ? null : due.toString());
    }
    Instant wake =
        keys.next() != null ? null : earliest(due, s.previousKey() == null ? null : ends);
    return new View(List.copyOf(jwt), st, wake);
  }

  private static boolean previousEnded(Slot s, Instant now) {
    return s.previousKeyRemovedAt() == null
        || !now.isBefore(Instant.parse(s.previousKeyRemovedAt()));
  }

  private static String dropped(String previous, String next) {
    List<String> gone = new ArrayList<>();
    if (previous != null) {
      gone.add("previous key " + previous);
    }
    if (next != null) {
      gone.add("staged key " + next);
    }
    return gone.isEmpty() ? "" : "; dropped " + String.join(" and ", gone);
  }

  static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }
}
