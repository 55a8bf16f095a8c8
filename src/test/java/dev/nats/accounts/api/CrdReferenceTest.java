package dev.nats.accounts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.GeneratedFiles;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md, every field of every kind, is generated from the committed CRDs (which
 * CrdDriftTest keeps equal to the API classes): path, type, description and what the API server
 * enforces (required, enum, pattern, bounds, CEL rules with their messages). A field added to a
 * class and not to the page fails here; scripts/update-docs regenerates it.
 */
class CrdReferenceTest {
  static final List<String> ORDER =
      List.of(
          "Operator",
          "Account",
          "User",
          "ServiceExport",
          "StreamExport",
          "ServiceImport",
          "StreamImport");

  @Test
  void theFieldReferenceIsGeneratedFromTheCrds() {
    GeneratedFiles.check("docs/reference.md", reference());
  }

  @Test
  void everyFieldOfEveryKindIsListed() {
    String page = reference();
    for (String field :
        List.of(
            "`spec.operatorRef.namespace`",
            "`spec.grants[].expiresAfter`",
            "`spec.limits.jetstream.diskStorage`",
            "`spec.limits.jetstream.tiers.<key>.diskStorage`",
            "`status.conditions[].reason`",
            "`spec.from.tokenSecretRef.key`",
            "`status.activations[].hashId`",
            "`spec.defaultPermissions.publish.allow[]`")) {
      assertTrue(page.contains(field), field + " listed");
    }
    assertEquals(
        ORDER.size(),
        page.lines().filter(l -> l.startsWith("## ")).count() - 1,
        "one section per kind");
  }

  static String reference() {
    Map<String, CustomResourceDefinition> byKind = new TreeMap<>();
    for (CustomResourceDefinition crd : Crds.load()) {
      byKind.put(crd.getSpec().getNames().getKind(), crd);
    }
    StringBuilder sb =
        new StringBuilder(
            """
        # API reference (accounts.nats.dev/v1alpha1)

        Every field of the seven kinds, generated from the CRDs in `crds/` by `scripts/update-docs`
        (`CrdReferenceTest` fails while this page differs). What each field does today, and what is deferred:
        [api-status.md](api-status.md); the contract: [api-changes.md](api-changes.md). "Rules" are enforced by the
        API server at admission (OpenAPI schema and CEL); a refused manifest names the rule's message.

        """);
    sb.append("Kinds: ");
    sb.append(
        String.join(
            ", ", ORDER.stream().map(k -> "[" + k + "](#" + k.toLowerCase() + ")").toList()));
    sb.append(".\n\n## Common to every kind\n\n");
    sb.append(
        """
        Every kind is namespaced, in category `nats` (`kubectl get nats -A`), with a `status` subresource,
        `status.observedGeneration` and `status.conditions` (type, status, reason, message, lastTransitionTime,
        observedGeneration). See [gitops.md](gitops.md) for what Argo CD, Flux and `kubectl wait` make of them and
        [operations/troubleshooting.md](operations/troubleshooting.md) for every reason.

        """);
    for (String kind : ORDER) {
      CustomResourceDefinition crd = byKind.get(kind);
      CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
      sb.append("## ").append(kind).append("\n\n");
      sb.append("`")
          .append(crd.getSpec().getGroup())
          .append('/')
          .append(v.getName())
          .append("`, plural `")
          .append(crd.getSpec().getNames().getPlural())
          .append('`');
      if (crd.getSpec().getNames().getShortNames() != null
          && !crd.getSpec().getNames().getShortNames().isEmpty()) {
        sb.append(", short names ")
            .append(
                String.join(
                    ", ",
                    crd.getSpec().getNames().getShortNames().stream()
                        .map(s -> "`" + s + "`")
                        .toList()));
      }
      sb.append(". Printer columns: ")
          .append(
              String.join(
                  ", ", v.getAdditionalPrinterColumns().stream().map(c -> c.getName()).toList()))
          .append(".\n\n");
      JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
      List<String[]> rows = new ArrayList<>();
      for (String top : List.of("spec", "status")) {
        JSONSchemaProps p = root.getProperties().get(top);
        if (p != null) {
          walk(top, p, root.getRequired() != null && root.getRequired().contains(top), rows);
        }
      }
      sb.append("| Field | Type | Description | Rules |\n| --- | --- | --- | --- |\n");
      for (String[] r : rows) {
        sb.append("| `")
            .append(r[0])
            .append("` | ")
            .append(r[1])
            .append(" | ")
            .append(cell(r[2]))
            .append(" | ")
            .append(cell(r[3]))
            .append(" |\n");
      }
      sb.append('\n');
    }
    return sb.toString().replaceAll("\n+$", "\n");
  }

  private static void walk(String path, JSONSchemaProps p, boolean required, List<String[]> rows) {
    rows.add(
        new String[] {
          path, type(p), p.getDescription() == null ? "" : p.getDescription(), rules(p, required)
        });
    if (p.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> e : new TreeMap<>(p.getProperties()).entrySet()) {
        walk(
            path + "." + e.getKey(),
            e.getValue(),
            p.getRequired() != null && p.getRequired().contains(e.getKey()),
            rows);
      }
    }
    walkMapValues(path, p, rows);
    if (p.getItems() != null && p.getItems().getSchema() != null) {
      JSONSchemaProps items = p.getItems().getSchema();
      if (items.getProperties() != null && !items.getProperties().isEmpty()) {
        for (Map.Entry<String, JSONSchemaProps> e :
            new TreeMap<>(items.getProperties()).entrySet()) {
          walk(
              path + "[]." + e.getKey(),
              e.getValue(),
              items.getRequired() != null && items.getRequired().contains(e.getKey()),
              rows);
        }
      } else if (!rules(items, false).isEmpty()) {
        rows.add(
            new String[] {
              path + "[]",
              type(items),
              items.getDescription() == null ? "" : items.getDescription(),
              rules(items, false)
            });
      }
    }
  }

  /**
   * The fields of a map's values (the JetStream tiers), under {@code <key>}: the key is the user's
   * choice, so the path shows where it goes rather than one example.
   */
  private static void walkMapValues(String path, JSONSchemaProps p, List<String[]> rows) {
    JSONSchemaProps values =
        p.getAdditionalProperties() == null ? null : p.getAdditionalProperties().getSchema();
    if (values == null || values.getProperties() == null) {
      return;
    }
    for (Map.Entry<String, JSONSchemaProps> e : new TreeMap<>(values.getProperties()).entrySet()) {
      walk(
          path + ".<key>." + e.getKey(),
          e.getValue(),
          values.getRequired() != null && values.getRequired().contains(e.getKey()),
          rows);
    }
  }

  private static String type(JSONSchemaProps p) {
    if (Boolean.TRUE.equals(p.getXKubernetesIntOrString())) {
      return "int or string";
    }
    if ("array".equals(p.getType()) && p.getItems() != null && p.getItems().getSchema() != null) {
      return "[]" + type(p.getItems().getSchema());
    }
    if ("object".equals(p.getType())
        && p.getAdditionalProperties() != null
        && p.getAdditionalProperties().getSchema() != null) {
      return "map[string]" + type(p.getAdditionalProperties().getSchema());
    }
    return p.getType() == null ? "any" : p.getType();
  }

  private static String rules(JSONSchemaProps p, boolean required) {
    List<String> out = new ArrayList<>();
    if (required) {
      out.add("required");
    }
    if (p.getEnum() != null && !p.getEnum().isEmpty()) {
      out.add(
          "one of "
              + String.join(", ", p.getEnum().stream().map(e -> "`" + e.asText() + "`").toList()));
    }
    if (p.getDefault() != null) {
      out.add("default `" + p.getDefault() + "`");
    }
    if (p.getMinimum() != null) {
      out.add("minimum " + number(p.getMinimum()));
    }
    if (p.getMaximum() != null) {
      out.add("maximum " + number(p.getMaximum()));
    }
    if (p.getMinLength() != null) {
      out.add("minLength " + p.getMinLength());
    }
    if (p.getMaxLength() != null) {
      out.add("maxLength " + p.getMaxLength());
    }
    if (p.getMinItems() != null) {
      out.add("minItems " + p.getMinItems());
    }
    if (p.getMaxItems() != null) {
      out.add("maxItems " + p.getMaxItems());
    }
    if (p.getMinProperties() != null) {
      out.add("minProperties " + p.getMinProperties());
    }
    if (p.getMaxProperties() != null) {
      out.add("maxProperties " + p.getMaxProperties());
    }
    if (p.getPattern() != null) {
      out.add("pattern `" + p.getPattern() + "`");
    }
    if (p.getXKubernetesValidations() != null) {
      for (ValidationRule r : p.getXKubernetesValidations()) {
        out.add("CEL: " + (r.getMessage() == null ? "`" + r.getRule() + "`" : r.getMessage()));
      }
    }
    return String.join("; ", out);
  }

  private static String number(Double d) {
    return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
