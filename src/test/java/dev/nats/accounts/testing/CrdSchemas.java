package dev.nats.accounts.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks manifests against the OpenAPI part of the committed CRDs, because the fabric8 mock API
 * server does not validate anything. Covers what our schemas use: types (incl. int-or-string),
 * required, unknown fields, enum, pattern, maxLength, maxItems, minimum/maximum,
 * additionalProperties maps. It does not evaluate the CEL rules (x-kubernetes-validations); nothing
 * on this machine can, so those are checked for presence only.
 */
public final class CrdSchemas {
  private static final Set<String> TOP_LEVEL =
      Set.of("apiVersion", "kind", "metadata", "spec", "status");
  private final List<CustomResourceDefinition> crds;

  public CrdSchemas(List<CustomResourceDefinition> crds) {
    this.crds = List.copyOf(crds);
  }

  /** A checker over crds/. */
  public static CrdSchemas committed() {
    return new CrdSchemas(Crds.load());
  }

  /** True when a CRD of ours serves this manifest's apiVersion and kind. */
  public boolean covers(JsonNode manifest) {
    return find(manifest) != null;
  }

  /** What is wrong with the manifest, as "path: problem" lines; empty when it passes. */
  public List<String> violations(JsonNode manifest) {
    List<String> out = new ArrayList<>();
    JSONSchemaProps schema = find(manifest);
    if (schema == null) {
      out.add(
          "no CRD for "
              + manifest.path("apiVersion").asText()
              + " "
              + manifest.path("kind").asText());
      return out;
    }
    if (manifest.path("metadata").path("name").asText().isEmpty()) {
      out.add("metadata.name: required");
    }
    for (Iterator<String> it = manifest.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP_LEVEL.contains(f)) {
        out.add(f + ": unknown field");
      }
    }
    Map<String, JSONSchemaProps> top = schema.getProperties();
    for (String part : List.of("spec", "status")) {
      if (manifest.has(part)) {
        check(top.get(part), manifest.get(part), part, out);
      }
    }
    if (schema.getRequired() != null) {
      for (String r : schema.getRequired()) {
        if (!manifest.has(r)) {
          out.add(r + ": required");
        }
      }
    }
    return out;
  }

  private JSONSchemaProps find(JsonNode manifest) {
    String apiVersion = manifest.path("apiVersion").asText();
    String kind = manifest.path("kind").asText();
    for (CustomResourceDefinition crd : crds) {
      if (!crd.getSpec().getNames().getKind().equals(kind)) {
        continue;
      }
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if ((crd.getSpec().getGroup() + "/" + v.getName()).equals(apiVersion)) {
          return v.getSchema().getOpenAPIV3Schema();
        }
      }
    }
    return null;
  }

  private static void check(JSONSchemaProps s, JsonNode v, String path, List<String> out) {
    if (s == null) {
      out.add(path + ": unknown field");
      return;
    }
    if (v.isNull()) {
      return; // the API server drops nulls of non-nullable fields before validation
    }
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      if (!(v.isIntegralNumber() || v.isTextual())) {
        out.add(path + ": must be an integer or a string");
      }
      bounds(s, v, path, out);
      return;
    }
    String type = s.getType();
    if (type == null) {
      return;
    }
    switch (type) {
      case "object" -> {
        if (!v.isObject()) {
          out.add(path + ": must be an object");
          return;
        }
        if (s.getRequired() != null) {
          for (String r : s.getRequired()) {
            if (!v.has(r) || v.get(r).isNull()) {
              out.add(path + "." + r + ": required");
            }
          }
        }
        boolean preserve = Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields());
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String p = path + "." + e.getKey();
          if (s.getProperties() != null && s.getProperties().containsKey(e.getKey())) {
            check(s.getProperties().get(e.getKey()), e.getValue(), p, out);
          } else if (s.getAdditionalProperties() != null
              && s.getAdditionalProperties().getSchema() != null) {
            check(s.getAdditionalProperties().getSchema(), e.getValue(), p, out);
          } else if (!preserve) {
            out.add(p + ": unknown field");
          }
        }
      }
      case "array" -> {
        if (!v.isArray()) {
          out.add(path + ": must be an array");
          return;
        }
        if (s.getMaxItems() != null && v.size() > s.getMaxItems()) {
          out.add(path + ": more than " + s.getMaxItems() + " items");
        }
        for (int i = 0; i < v.size(); i++) {
          check(s.getItems().getSchema(), v.get(i), path + "[" + i + "]", out);
        }
      }
      case "string" -> {
        if (!v.isTextual()) {
          out.add(path + ": must be a string");
          return;
        }
        bounds(s, v, path, out);
      }
      case "integer" -> {
        if (!v.isIntegralNumber()) {
          out.add(path + ": must be an integer");
          return;
        }
        bounds(s, v, path, out);
      }
      case "number" -> {
        if (!v.isNumber()) {
          out.add(path + ": must be a number");
        }
      }
      case "boolean" -> {
        if (!v.isBoolean()) {
          out.add(path + ": must be true or false");
        }
      }
      default -> out.add(path + ": schema type " + type + " not understood by this checker");
    }
  }

  private static void bounds(JSONSchemaProps s, JsonNode v, String path, List<String> out) {
    if (v.isTextual()) {
      String text = v.asText();
      if (s.getMaxLength() != null && text.length() > s.getMaxLength()) {
        out.add(path + ": longer than " + s.getMaxLength());
      }
      // Our patterns are RE2 and Java compatible (no lookarounds or backreferences).
      if (s.getPattern() != null && !Pattern.compile(s.getPattern()).matcher(text).find()) {
        out.add(path + ": \"" + text + "\" does not match " + s.getPattern());
      }
      if (s.getEnum() != null
          && !s.getEnum().isEmpty()
          && s.getEnum().stream().noneMatch(e -> e.isTextual() && e.asText().equals(text))) {
        out.add(path + ": \"" + text + "\" is not one of " + s.getEnum());
      }
    } else if (v.isNumber()) {
      if (s.getMinimum() != null && v.asDouble() < s.getMinimum()) {
        out.add(path + ": less than " + s.getMinimum());
      }
      if (s.getMaximum() != null && v.asDouble() > s.getMaximum()) {
        out.add(path + ": more than " + s.getMaximum());
      }
    }
  }
}
