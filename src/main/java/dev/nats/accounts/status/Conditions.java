package dev.nats.accounts.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Maintains Kubernetes-style conditions. lastTransitionTime only moves when the status flips, so a
 * resync that finds nothing new writes an identical status (no churn, no spurious watch events).
 * Setting Ready also sets or removes {@link ConditionType#STALLED} (kstatus' Failed).
 */
public final class Conditions {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private final Clock clock;

  public Conditions(Clock clock) {
    this.clock = clock;
  }

  public static Conditions system() {
    return new Conditions(Clock.systemUTC());
  }

  /** Returns a new list with {@code type} set; other conditions are kept in their order. */
  public List<Condition> set(
      List<Condition> current,
      ConditionType type,
      String status,
      Reason reason,
      String message,
      Long observedGeneration) {
    List<Condition> out = new ArrayList<>(current == null ? List.of() : current);
    Optional<Condition> old = find(out, type);
    String transition =
        old.filter(c -> Objects.equals(c.getStatus(), status))
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    Condition next =
        new ConditionBuilder()
            .withType(type.value())
            .withStatus(status)
            .withReason(reason.value())
            .withMessage(message == null ? "" : message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(transition)
            .build();
    int idx = indexOf(out, type);
    if (idx >= 0) {
      out.set(idx, next);
    } else {
      out.add(next);
    }
    if (type == ConditionType.READY) {
      return stalled(out, status, reason, message, observedGeneration);
    }
    return out;
  }

  /**
   * Stalled follows Ready, so that every reconciler gets it from the one place conditions are
   * assembled: True with Ready's reason and message when Ready is False for a reason only a human
   * can resolve ({@link Reason#stalls()}), removed otherwise.
   */
  private List<Condition> stalled(
      List<Condition> out,
      String readyStatus,
      Reason reason,
      String message,
      Long observedGeneration) {
    if (FALSE.equals(readyStatus) && reason.stalls()) {
      return set(out, ConditionType.STALLED, TRUE, reason, message, observedGeneration);
    }
    int idx = indexOf(out, ConditionType.STALLED);
    if (idx >= 0) {
      out.remove(idx);
    }
    return out;
  }

  public static Optional<Condition> find(List<Condition> conditions, ConditionType type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.value().equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, ConditionType type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  /** The reason of condition {@code type}; null when absent or not one of ours. */
  public static Reason reason(List<Condition> conditions, ConditionType type) {
    return find(conditions, type).flatMap(c -> Reason.of(c.getReason())).orElse(null);
  }

  /** The message of condition {@code type}, empty when absent. */
  public static String message(List<Condition> conditions, ConditionType type) {
    return find(conditions, type).map(Condition::getMessage).orElse("");
  }

  private static int indexOf(List<Condition> list, ConditionType type) {
    for (int i = 0; i < list.size(); i++) {
      if (type.value().equals(list.get(i).getType())) {
        return i;
      }
    }
    return -1;
  }
}
