package dev.nats.accounts.reconciler.user;

import dev.nats.accounts.api.v1alpha1.KeyRotation;
import dev.nats.accounts.api.v1alpha1.KeyRotationStatus;
import dev.nats.accounts.reconciler.InvalidSpecException;
import dev.nats.accounts.reconciler.RotationAnnotations;
import dev.nats.accounts.reconciler.SpecConversions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides when a User gets a new key and when the key it replaces stops working. Pure: the User
 * reconciler applies the plan (a new key in the creds Secret, the replaced keys into {@code
 * status.retiredKeys}, which its Account revokes).
 *
 * <p>A rotation is due on schedule ({@code spec.rotation.every} after the last one), on request (a
 * new value of annotation {@value #REQUEST}), or in an emergency (a new value of {@value
 * #EMERGENCY}). The replaced key keeps working for {@code overlap}, so that clients reloading their
 * creds file move over without a failed request; an emergency revokes it at once. A second rotation
 * within the overlap revokes the key replaced by the first at once: only one old key ever works.
 *
 * <p>The creds Secret holding another key than the status names means a rotation was written but
 * its status was not (the process died in between), or the Secret was changed by hand: either way
 * the status key is replaced, as if rotated now, and never left working forever.
 */
public final class UserKeyRotation {
  /** Rotate once more: any new value. */
  public static final String REQUEST = RotationAnnotations.REQUEST;

  /** Rotate and revoke the replaced key at once: any new value. */
  public static final String EMERGENCY = RotationAnnotations.EMERGENCY;

  static final Duration DEFAULT_OVERLAP = Duration.ofHours(1);

  private UserKeyRotation() {}

  /** Why a key is replaced; names the Event and the metric. */
  public enum Why {
    SCHEDULED,
    REQUESTED,
    EMERGENCY,
    /** The creds Secret holds another key than status names. */
    REPLACED;

    public String label() {
      return name().toLowerCase();
    }
  }

  /** {@code spec.rotation}, parsed and checked. */
  public record Policy(Duration every, Duration overlap) {
    public static final Policy NONE = new Policy(null, DEFAULT_OVERLAP);

    public static Policy of(KeyRotation spec) {
      if (spec == null) {
        return NONE;
      }
      Duration every =
          spec.getEvery() == null
              ? null
              : positive(
                  SpecConversions.duration(spec.getEvery(), "spec.rotation.every"),
                  "spec.rotation.every");
      Duration overlap =
          spec.getOverlap() == null
              ? DEFAULT_OVERLAP
              : SpecConversions.duration(spec.getOverlap(), "spec.rotation.overlap");
      if (overlap.isNegative()) {
        throw new InvalidSpecException("spec.rotation.overlap", "must not be negative");
      }
      if (every != null && overlap.compareTo(every) >= 0) {
        throw new InvalidSpecException(
            "spec.rotation.overlap",
            "must be shorter than spec.rotation.every (" + spec.getEvery() + ")");
      }
      return new Policy(every, overlap);
    }

    private static Duration positive(Duration d, String field) {
      if (d.isZero() || d.isNegative()) {
        throw new InvalidSpecException(field, "must be positive");
      }
      return d;
    }
  }

  /**
   * What to do now.
   *
   * @param newKey issue a new user key now
   * @param why why the key is replaced (by a new key, or already in the Secret); null: it is not
   * @param replaced the key replaced now, if any
   * @param retire keys that stop working now (public key → unix seconds), for {@code
   *     status.retiredKeys}
   * @param status the rotation status to write
   * @param wakeAt when to look again for this rotation (next due, or the old key's end); null: no
   *     need
   */
  public record Plan(
      boolean newKey,
      Why why,
      String replaced,
      Map<String, Long> retire,
      KeyRotationStatus status,
      Instant wakeAt) {}

  /**
   * @param statusKey the key the status names (null before the first one is issued)
   * @param secretKey the key the creds Secret holds (null when the Secret has none)
   */
  public static Plan plan(
      Policy policy,
      Map<String, String> annotations,
      KeyRotationStatus last,
      String statusKey,
      String secretKey,
      Instant now) {
    Map<String, String> ann = annotations == null ? Map.of() : annotations;
    String request = ann.get(REQUEST);
    String emergency = ann.get(EMERGENCY);
    boolean replacedInSecret =
        statusKey != null && secretKey != null && !secretKey.equals(statusKey);
    if (last == null
        && policy.every() == null
        && request == null
        && emergency == null
        && !replacedInSecret) {
      // Never rotated, nothing asked: no rotation status at all, so no write for it either.
      return new Plan(false, null, null, Map.of(), null, null);
    }
    now = now.truncatedTo(ChronoUnit.SECONDS);
    KeyRotationStatus was = last == null ? new KeyRotationStatus() : last;
    KeyRotationStatus next = copy(was);
    Map<String, Long> retire = new LinkedHashMap<>();
    long nowSeconds = now.getEpochSecond();

    if (statusKey == null) {
      // The first key: nothing to replace; requests made before it count as done.
      next.setRotatedAt(now.toString());
      next.setHandledRequest(request);
      next.setHandledEmergency(emergency);
      return finish(policy, next, false, null, null, retire, now);
    }
    Instant rotatedAt = Optional.ofNullable(was.getRotatedAt()).map(Instant::parse).orElse(null);
    if (rotatedAt == null) {
      // A User from before rotation existed, or one just given spec.rotation: start counting now.
      next.setRotatedAt(now.toString());
      rotatedAt = now;
    }
    boolean emergencyPending = emergency != null && !emergency.equals(was.getHandledEmergency());
    boolean requestPending = request != null && !request.equals(was.getHandledRequest());
    boolean scheduleDue = policy.every() != null && !now.isBefore(rotatedAt.plus(policy.every()));

    Why why =
        emergencyPending
            ? Why.EMERGENCY
            : requestPending
                ? Why.REQUESTED
                : scheduleDue ? Why.SCHEDULED : replacedInSecret ? Why.REPLACED : null;
    if (why == null) {
      retireEndedPrevious(next, retire, now, nowSeconds);
      return finish(policy, next, false, null, null, retire, now);
    }
    boolean newKey = !replacedInSecret;
    if (why == Why.EMERGENCY || why == Why.REPLACED) {
      retire.put(statusKey, nowSeconds);
      if (next.getPreviousKey() != null) {
        retire.put(next.getPreviousKey(), nowSeconds);
      }
      next.setPreviousKey(null);
      next.setPreviousKeyRevokedAt(null);
    } else {
      if (next.getPreviousKey() != null) {
        retire.put(next.getPreviousKey(), nowSeconds);
      }
      next.setPreviousKey(statusKey);
      next.setPreviousKeyRevokedAt(now.plus(policy.overlap()).toString());
    }
    next.setRotatedAt(now.toString());
    next.setHandledRequest(request);
    next.setHandledEmergency(emergency);
    return finish(policy, next, newKey, why, statusKey, retire, now);
  }

  private static void retireEndedPrevious(
      KeyRotationStatus next, Map<String, Long> retire, Instant now, long nowSeconds) {
    if (next.getPreviousKey() != null
        && (next.getPreviousKeyRevokedAt() == null
            || !now.isBefore(Instant.parse(next.getPreviousKeyRevokedAt())))) {
      retire.put(next.getPreviousKey(), nowSeconds);
      next.setPreviousKey(null);
      next.setPreviousKeyRevokedAt(null);
    }
  }

  private static Plan finish(
      Policy policy,
      KeyRotationStatus next,
      boolean newKey,
      Why why,
      String replaced,
      Map<String, Long> retire,
      Instant now) {
    Instant due =
        policy.every() == null || next.getRotatedAt() == null
            ? null
            : Instant.parse(next.getRotatedAt()).plus(policy.every());
    next.setNextRotationAt(due == null ? null : due.toString());
    Instant previousEnds =
        next.getPreviousKeyRevokedAt() == null
            ? null
            : Instant.parse(next.getPreviousKeyRevokedAt());
    Instant wake = earliest(due, previousEnds);
    return new Plan(newKey, why, replaced, Map.copyOf(retire), next, wake);
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }

  private static KeyRotationStatus copy(KeyRotationStatus s) {
    KeyRotationStatus c = new KeyRotationStatus();
    c.setRotatedAt(s.getRotatedAt());
    c.setNextRotationAt(s.getNextRotationAt());
    c.setPreviousKey(s.getPreviousKey());
    c.setPreviousKeyRevokedAt(s.getPreviousKeyRevokedAt());
    c.setHandledRequest(s.getHandledRequest());
    c.setHandledEmergency(s.getHandledEmergency());
    return c;
  }
}
