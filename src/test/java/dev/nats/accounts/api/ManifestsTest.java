package dev.nats.accounts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.testing.CrdSchemas;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Manifests users would write (the api.md samples, the seed tutorial, and everything under
 * examples/) pass the OpenAPI schema of the committed CRDs and bind to our classes without losing
 * or inventing a field; and the schema refuses the structural mistakes it is meant to refuse. CEL
 * rules are not evaluated here (see CrdSchemas).
 */
class ManifestsTest {
  private static final CrdSchemas SCHEMAS = CrdSchemas.committed();

  @Test
  void apiSamplesPassSchemaAndBindWithoutLoss() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    docs.addAll(Manifests.resource(ManifestsTest.class, "tutorial.yaml"));
    docs.addAll(Manifests.resource(ManifestsTest.class, "full.yaml"));
    assertEquals(16, docs.size());
    assertEquals(
        Manifests.KINDS.keySet(),
        docs.stream().map(d -> d.get("kind").asText()).collect(java.util.stream.Collectors.toSet()),
        "the samples cover every kind");
    for (JsonNode doc : docs) {
      assertValid(
          doc,
          "sample " + doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText());
    }
  }

  @Test
  void everyManifestUnderExamplesIsValid() throws IOException {
    Path examples = Crds.projectRoot().resolve("examples");
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(examples)) {
      try (Stream<Path> walk = Files.walk(examples)) {
        walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .sorted()
            .forEach(files::add);
      }
    }
    int checked = 0;
    for (Path f : files) {
      for (JsonNode doc : Manifests.documents(f)) {
        if (Manifests.ours(doc)) {
          assertValid(doc, Crds.projectRoot().relativize(f).toString());
          checked++;
        }
      }
    }
    // examples/ may not exist yet; the samples test above always checks something.
    System.out.println(
        "examples/: checked " + checked + " manifests in " + files.size() + " files");
  }

  private static void assertValid(JsonNode doc, String where) throws IOException {
    assertTrue(SCHEMAS.covers(doc), where + ": no CRD for its apiVersion/kind");
    assertEquals(List.of(), SCHEMAS.violations(doc), where + ": schema violations");
    JsonNode bound = Manifests.tree(Manifests.bind(doc));
    assertSameContent(doc.get("spec"), bound.get("spec"), where + " spec");
  }

  /**
   * Equal trees, except that numbers compare by their decimal text: Integer vs Long fields, and
   * quantities, which come back as strings ("-1").
   */
  private static void assertSameContent(JsonNode expected, JsonNode actual, String path) {
    if (expected.isObject()) {
      assertTrue(actual != null && actual.isObject(), path + ": object expected, got " + actual);
      assertEquals(names(expected), names(actual), path + ": fields");
      expected
          .fields()
          .forEachRemaining(
              e ->
                  assertSameContent(e.getValue(), actual.get(e.getKey()), path + "." + e.getKey()));
    } else if (expected.isArray()) {
      assertTrue(
          actual != null && actual.isArray() && actual.size() == expected.size(),
          path + ": array " + actual);
      for (int i = 0; i < expected.size(); i++) {
        assertSameContent(expected.get(i), actual.get(i), path + "[" + i + "]");
      }
    } else if (expected.isNumber()) {
      assertTrue(
          actual != null && (actual.isNumber() || actual.isTextual()),
          path + ": number expected, got " + actual);
      assertEquals(expected.asText(), actual.asText(), path);
    } else {
      assertEquals(expected, actual, path);
    }
  }

  private static List<String> names(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return names;
  }

  // ---- the schema refuses what it should ----

  private static JsonNode sample(String kind) {
    return Manifests.resource(ManifestsTest.class, "full.yaml").stream()
        .filter(d -> d.get("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow()
        .deepCopy();
  }

  private static List<String> violationsAfter(String kind, Consumer<ObjectNode> change) {
    JsonNode doc = sample(kind);
    assertEquals(List.of(), SCHEMAS.violations(doc), "the unmodified sample is valid");
    change.accept((ObjectNode) doc.get("spec"));
    return SCHEMAS.violations(doc);
  }

  private static void assertRefused(List<String> violations, String expectedFragment) {
    assertTrue(
        violations.stream().anyMatch(v -> v.contains(expectedFragment)),
        "expected a violation containing \"" + expectedFragment + "\", got " + violations);
  }

  @Test
  void requiredFieldsAreRequired() {
    assertRefused(
        violationsAfter("ServiceExport", s -> s.remove("subject")), "spec.subject: required");
    assertRefused(
        violationsAfter("User", s -> s.remove("accountRef")), "spec.accountRef: required");
    assertRefused(violationsAfter("ServiceImport", s -> s.remove("from")), "spec.from: required");
    assertRefused(
        violationsAfter("ServiceExport", s -> ((ObjectNode) s.get("latency")).remove("subject")),
        "spec.latency.subject: required");
    assertRefused(
        violationsAfter("Operator", s -> ((ObjectNode) s.get("resolver")).remove("type")),
        "spec.resolver.type: required");
  }

  @Test
  void patternsRefuseBadSubjectsKeysAndDurations() {
    assertRefused(
        violationsAfter("ServiceExport", s -> s.put("subject", "private help")), "spec.subject");
    assertRefused(violationsAfter("ServiceExport", s -> s.put("subject", "a..b")), "spec.subject");
    assertRefused(violationsAfter("ServiceExport", s -> s.put("subject", "a.>.b")), "spec.subject");
    assertRefused(violationsAfter("ServiceExport", s -> s.put("subject", "a.b*")), "spec.subject");
    assertRefused(
        violationsAfter(
            "ServiceExport",
            s ->
                ((ObjectNode) s.get("grants").get(1))
                    .put("publicKey", "UAM46E3YF5WOZSE5WNYWHN3YYISVZOSI6XHTF2Q64ECPXSFQZROJMP2H")),
        "spec.grants[1].publicKey");
    assertRefused(
        violationsAfter("ServiceExport", s -> s.put("responseThreshold", "2 seconds")),
        "spec.responseThreshold");
    assertRefused(violationsAfter("User", s -> s.put("expiresAfter", "30d")), "spec.expiresAfter");
    assertRefused(
        violationsAfter(
            "User",
            s -> ((ArrayNode) s.get("permissions").get("publish").get("allow")).add("two  spaces")),
        "spec.permissions.publish.allow[2]");
    assertRefused(
        violationsAfter("User", s -> ((ArrayNode) s.get("sourceNetworks")).add("10.1.2.3")),
        "spec.sourceNetworks[2]");
    assertRefused(
        violationsAfter("Operator", s -> ((ArrayNode) s.get("servers")).add("http://nats:4222")),
        "spec.servers[2]");
    assertRefused(
        violationsAfter(
            "Account", s -> ((ObjectNode) s.get("signingKeys").get(1)).put("name", "Apps Key")),
        "spec.signingKeys[1].name");
  }

  @Test
  void enumsAndBoundsAreEnforced() {
    assertRefused(
        violationsAfter("ServiceExport", s -> s.put("responseType", "Many")), "spec.responseType");
    assertRefused(
        violationsAfter("Account", s -> s.put("deletionPolicy", "Orphan")), "spec.deletionPolicy");
    assertRefused(
        violationsAfter("Operator", s -> ((ObjectNode) s.get("resolver")).put("type", "FULL")),
        "spec.resolver.type");
    assertRefused(
        violationsAfter("User", s -> ((ArrayNode) s.get("connectionTypes")).add("CARRIER_PIGEON")),
        "spec.connectionTypes[2]");
    assertRefused(
        violationsAfter("ServiceExport", s -> s.put("accountTokenPosition", -1)),
        "spec.accountTokenPosition");
    assertRefused(
        violationsAfter("Account", s -> ((ObjectNode) s.get("limits")).put("connections", -2)),
        "spec.limits.connections");
    assertRefused(violationsAfter("Operator", s -> s.put("signingKeys", 0)), "spec.signingKeys");
  }

  @Test
  void unknownFieldsAreRefusedBySchemaAndByBinding() {
    // StreamExport has no service-only fields, so a responseType there is an unknown field.
    JsonNode stream = sample("StreamExport");
    ((ObjectNode) stream.get("spec")).put("responseType", "Singleton");
    assertRefused(SCHEMAS.violations(stream), "spec.responseType: unknown field");
    assertThrows(IOException.class, () -> Manifests.bind(stream));

    JsonNode typo = sample("ServiceImport");
    ((ObjectNode) typo.get("spec")).put("localSubjct", "x");
    assertRefused(SCHEMAS.violations(typo), "spec.localSubjct: unknown field");
    assertThrows(IOException.class, () -> Manifests.bind(typo));
  }

  @Test
  void privateIsBoundToTheJavaPropertyAndBack() throws IOException {
    ServiceExport export = (ServiceExport) Manifests.bind(sample("ServiceExport"));
    assertEquals(Boolean.TRUE, export.getSpec().getPrivate());
    assertEquals(2, export.getSpec().getGrants().size());
    assertTrue(Manifests.tree(export).get("spec").get("private").asBoolean());
    Iterator<String> fields = Manifests.tree(export).get("spec").fieldNames();
    List<String> names = new ArrayList<>();
    fields.forEachRemaining(names::add);
    assertTrue(!names.contains("privateExport"), names.toString());
  }
}
