package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubernetes label-selector semantics, as used by Operator.spec.accountNamespaces.selector. */
class LabelSelectorsTest {
  private static final Map<String, String> TENANT = Map.of("nats.dev/tenant", "true", "team", "a");

  @Test
  void nullOrEmptySelectorMatchesEverything() {
    assertTrue(LabelSelectors.matches(null, TENANT));
    assertTrue(LabelSelectors.matches(null, null));
    assertTrue(LabelSelectors.matches(new LabelSelector(), Map.of()));
  }

  @Test
  void matchLabelsNeedsEveryPair() {
    LabelSelector s =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("nats.dev/tenant", "true", "team", "a"))
            .build();

    assertTrue(LabelSelectors.matches(s, TENANT));
    assertTrue(
        LabelSelectors.matches(s, Map.of("nats.dev/tenant", "true", "team", "a", "extra", "x")));
    assertFalse(LabelSelectors.matches(s, Map.of("nats.dev/tenant", "true")));
    assertFalse(LabelSelectors.matches(s, Map.of("nats.dev/tenant", "false", "team", "a")));
    assertFalse(LabelSelectors.matches(s, null));
  }

  @Test
  void in() {
    LabelSelector s = expr("team", "In", "a", "b");

    assertTrue(LabelSelectors.matches(s, Map.of("team", "a")));
    assertTrue(LabelSelectors.matches(s, Map.of("team", "b")));
    assertFalse(LabelSelectors.matches(s, Map.of("team", "c")));
    assertFalse(LabelSelectors.matches(s, Map.of()));
  }

  @Test
  void notIn() {
    LabelSelector s = expr("team", "NotIn", "a", "b");

    assertFalse(LabelSelectors.matches(s, Map.of("team", "a")));
    assertTrue(LabelSelectors.matches(s, Map.of("team", "c")));
    assertTrue(LabelSelectors.matches(s, Map.of()), "an absent label is not in the set");
  }

  @Test
  void existsAndDoesNotExist() {
    LabelSelector exists = expr("team", "Exists");
    LabelSelector absent = expr("team", "DoesNotExist");

    assertTrue(LabelSelectors.matches(exists, Map.of("team", "")));
    assertFalse(LabelSelectors.matches(exists, Map.of("other", "a")));
    assertFalse(LabelSelectors.matches(absent, Map.of("team", "")));
    assertTrue(LabelSelectors.matches(absent, Map.of("other", "a")));
    assertTrue(LabelSelectors.matches(absent, null));
  }

  @Test
  void unknownOperatorMatchesNothing() {
    assertFalse(LabelSelectors.matches(expr("team", "Gt", "1"), Map.of("team", "2")));
  }

  @Test
  void labelsAndExpressionsAreAnded() {
    LabelSelector s =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("nats.dev/tenant", "true"))
            .withMatchExpressions(
                new LabelSelectorRequirement("team", "In", List.of("a")),
                new LabelSelectorRequirement("frozen", "DoesNotExist", null))
            .build();

    assertTrue(LabelSelectors.matches(s, TENANT));
    assertFalse(LabelSelectors.matches(s, Map.of("nats.dev/tenant", "true", "team", "b")));
    assertFalse(
        LabelSelectors.matches(s, Map.of("nats.dev/tenant", "true", "team", "a", "frozen", "yes")));
    assertFalse(LabelSelectors.matches(s, Map.of("team", "a")));
  }

  private static LabelSelector expr(String key, String op, String... values) {
    return new LabelSelectorBuilder()
        .withMatchExpressions(
            new LabelSelectorRequirement(key, op, values.length == 0 ? null : List.of(values)))
        .build();
  }
}
