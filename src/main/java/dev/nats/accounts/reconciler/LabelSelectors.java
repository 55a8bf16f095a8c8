package dev.nats.accounts.reconciler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes label-selector semantics (matchLabels AND matchExpressions), for namespace policies.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, l)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String v = labels.get(r.getKey());
    return switch (r.getOperator()) {
      case "In" -> v != null && values.contains(v);
      case "NotIn" -> v == null || !values.contains(v);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      default -> false;
    };
  }
}
