package dev.nats.accounts.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kubernetes objects parsed from rendered YAML (helm template output, a manifest file), with the
 * look-ups the packaging tests need. Small on purpose: the tests assert on plain JSON trees.
 */
record Rendered(List<JsonNode> objects) {

  private static final YAMLMapper YAML = new YAMLMapper();

  static Rendered parse(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try {
      for (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not valid YAML", e);
    }
    return new Rendered(List.copyOf(docs));
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  /** The single object of a kind; fails when there is none or more than one. */
  JsonNode one(String kind) {
    List<JsonNode> found = ofKind(kind);
    if (found.size() != 1) {
      throw new AssertionError("expected exactly one " + kind + ", found " + found.size());
    }
    return found.get(0);
  }

  /** The first container of the single Deployment. */
  JsonNode operatorContainer() {
    return one("Deployment").path("spec").path("template").path("spec").path("containers").path(0);
  }

  /** The value of an env var of the operator container, or null when it is not set. */
  String env(String name) {
    for (JsonNode e : operatorContainer().path("env")) {
      if (name.equals(e.path("name").asText())) {
        return e.path("value").asText();
      }
    }
    return null;
  }

  /** The downward-API field an env var is taken from, or null. */
  String envFieldRef(String name) {
    for (JsonNode e : operatorContainer().path("env")) {
      if (name.equals(e.path("name").asText())) {
        return e.path("valueFrom").path("fieldRef").path("fieldPath").asText(null);
      }
    }
    return null;
  }

  /**
   * The rules of a ClusterRole flattened to "group|resource|verb" triples, so two roles that grant
   * the same permissions compare equal however their rules are grouped or ordered.
   */
  /** "group|resource|verb", or "group|resource#name|verb" for a rule limited to resourceNames. */
  static Set<String> grants(JsonNode clusterRole) {
    Set<String> out = new TreeSet<>();
    for (JsonNode rule : clusterRole.path("rules")) {
      if (rule.has("nonResourceURLs")) {
        throw new AssertionError("unexpected rule shape: " + rule);
      }
      List<String> names =
          rule.has("resourceNames") ? strings(rule.path("resourceNames")) : List.of("");
      for (String g : strings(rule.path("apiGroups"))) {
        for (String r : strings(rule.path("resources"))) {
          for (String v : strings(rule.path("verbs"))) {
            for (String n : names) {
              out.add(g + "|" + r + (n.isEmpty() ? "" : "#" + n) + "|" + v);
            }
          }
        }
      }
    }
    return out;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array instanceof ArrayNode) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
