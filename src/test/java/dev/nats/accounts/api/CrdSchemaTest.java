package dev.nats.accounts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.ApiPatterns;
import dev.nats.accounts.testing.Crds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The admission rules of api.md are in the committed CRDs at the right places. The CEL rules
 * (x-kubernetes-validations) are only checked for presence: neither the fabric8 mock nor anything
 * else on this machine evaluates CEL; a real API server (e2e/, kind) does.
 */
class CrdSchemaTest {
  private static final Map<String, CustomResourceDefinition> CRDS =
      Crds.load().stream().collect(Collectors.toMap(c -> c.getSpec().getNames().getKind(), c -> c));

  private static JSONSchemaProps at(String kind, String path) {
    JSONSchemaProps s =
        CRDS.get(kind).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    for (String part : path.split("\\.")) {
      if (part.equals("[]")) {
        s = s.getItems().getSchema();
      } else {
        assertNotNull(s.getProperties(), kind + " " + path + ": no properties above " + part);
        s = s.getProperties().get(part);
      }
      assertNotNull(s, kind + " " + path + ": no " + part);
    }
    return s;
  }

  private static List<String> rules(String kind, String path) {
    List<ValidationRule> rules = at(kind, path).getXKubernetesValidations();
    return rules == null ? List.of() : rules.stream().map(ValidationRule::getRule).toList();
  }

  private static void assertRule(String kind, String path, String rule) {
    assertTrue(
        rules(kind, path).contains(rule),
        kind + " " + path + ": missing CEL rule " + rule + " in " + rules(kind, path));
  }

  @Test
  void importsNeedExactlyOneSource() {
    for (String kind : List.of("ServiceImport", "StreamImport")) {
      assertRule(kind, "spec.from", "has(self.exportRef) != has(self.account)");
      assertRule(kind, "spec.from", "!has(self.account) || has(self.subject)");
      assertRule(
          kind,
          "spec.from",
          "!has(self.exportRef) || (!has(self.subject) && !has(self.tokenSecretRef)"
              + " && !has(self.tokenURL))");
      assertRule(kind, "spec.from", "!(has(self.tokenSecretRef) && has(self.tokenURL))");
      assertEquals(ApiPatterns.URL, at(kind, "spec.from.tokenURL").getPattern());
      assertEquals(ApiPatterns.ACCOUNT_KEY, at(kind, "spec.from.account.publicKey").getPattern());
      assertEquals(List.of("name"), at(kind, "spec.from.exportRef").getRequired());
      assertTrue(at(kind, "spec").getRequired().containsAll(List.of("accountRef", "from")));
      assertRule(kind, "spec", "self.accountRef == oldSelf.accountRef");
    }
    assertNotNull(at("ServiceImport", "spec.share"));
    assertTrue(
        at("StreamImport", "spec").getProperties().get("share") == null,
        "share is for services only");
  }

  @Test
  void exportsCarryGrantRulesAndOnlyServicesHaveResponseFields() {
    for (String kind : List.of("ServiceExport", "StreamExport")) {
      assertRule(kind, "spec.grants.[]", "has(self.account) != has(self.publicKey)");
      assertRule(
          kind,
          "spec",
          "!has(self.grants) || size(self.grants) == 0 || (has(self.private) && self.private)");
      assertRule(
          kind,
          "spec",
          "!has(self.accountTokenPosition) || self.accountTokenPosition == 0 || self.subject.contains('*')");
      assertEquals(0.0, at(kind, "spec.accountTokenPosition").getMinimum());
      assertEquals(ApiPatterns.SUBJECT, at(kind, "spec.subject").getPattern());
      assertEquals(ApiPatterns.ACCOUNT_KEY, at(kind, "spec.grants.[].publicKey").getPattern());
      assertEquals(ApiPatterns.DURATION, at(kind, "spec.grants.[].expiresAfter").getPattern());
      assertEquals(List.of("accountRef", "subject"), at(kind, "spec").getRequired());
    }
    Map<String, JSONSchemaProps> stream = at("StreamExport", "spec").getProperties();
    for (String serviceOnly : List.of("responseType", "responseThreshold", "latency")) {
      assertTrue(stream.get(serviceOnly) == null, "StreamExport must not have " + serviceOnly);
      assertNotNull(at("ServiceExport", "spec." + serviceOnly));
    }
    assertEquals(
        List.of("Chunked", "Singleton", "Stream"),
        at("ServiceExport", "spec.responseType").getEnum().stream().map(n -> n.asText()).toList());
    assertEquals(ApiPatterns.DURATION, at("ServiceExport", "spec.responseThreshold").getPattern());
    assertRule("ServiceExport", "spec.latency.sampling", ApiPatterns.SAMPLING_RULE);
    assertEquals(
        ApiPatterns.LITERAL_SUBJECT, at("ServiceExport", "spec.latency.subject").getPattern());
  }

  @Test
  void operatorAccountAndUserRules() {
    assertEquals(
        List.of("cache", "full", "memory"),
        at("Operator", "spec.resolver.type").getEnum().stream().map(n -> n.asText()).toList());
    assertRule("Operator", "spec.resolver", "self.type == 'memory' || has(self.dir)");
    assertRule("Operator", "spec.accountNamespaces", "!(has(self.selector) && has(self.names))");
    assertEquals(ApiPatterns.SERVER_URL, at("Operator", "spec.servers.[]").getPattern());

    assertEquals(
        List.of("Delete", "Retain"),
        at("Account", "spec.deletionPolicy").getEnum().stream().map(n -> n.asText()).toList());
    assertEquals("Retain", at("Account", "spec.deletionPolicy").getDefault().asText());
    assertRule(
        "Account",
        "spec",
        "!has(self.signingKeys) || self.signingKeys.all(k, self.signingKeys.exists_one(j, j.name == k.name))");
    assertRule("Account", "spec.signingKeys.[]", "!has(self.role) || has(self.template)");
    for (String size :
        List.of("data", "payload", "jetstream.memoryStorage", "jetstream.diskStorage")) {
      assertRule("Account", "spec.limits." + size, ApiPatterns.QUANTITY_RULE);
      assertTrue(
          at("Account", "spec.limits." + size).getXKubernetesIntOrString(),
          size + " is int-or-string");
    }
    assertEquals(-1.0, at("Account", "spec.limits.connections").getMinimum());
    assertRule(
        "Account",
        "spec.defaultPermissions",
        "!has(self.publish) || ((!has(self.publish.allow) || self.publish.allow.all(s, !s.contains(' '))) "
            + "&& (!has(self.publish.deny) || self.publish.deny.all(s, !s.contains(' '))))");

    assertRule("User", "spec", "self.accountRef == oldSelf.accountRef");
    assertRule("User", "spec", "!has(self.renewBefore) || has(self.expiresAfter)");
    assertEquals(ApiPatterns.DNS_LABEL, at("User", "spec.signingKey").getPattern());
    assertEquals(ApiPatterns.DURATION, at("User", "spec.expiresAfter").getPattern());
    assertEquals(ApiPatterns.DURATION, at("User", "spec.permissions.responses.ttl").getPattern());
    assertEquals(
        ApiPatterns.SUBJECT_OR_QUEUE,
        at("User", "spec.permissions.subscribe.allow.[]").getPattern());
    assertEquals(ApiPatterns.CIDR, at("User", "spec.sourceNetworks.[]").getPattern());
    assertEquals(
        List.of("LEAFNODE", "LEAFNODE_WS", "MQTT", "MQTT_WS", "STANDARD", "WEBSOCKET"),
        at("User", "spec.connectionTypes.[]").getEnum().stream().map(n -> n.asText()).toList());
  }

  /**
   * CEL cost is estimated from list and string bounds; every list a rule iterates must be bounded.
   */
  @Test
  void listsIteratedByRulesAreBounded() {
    assertNotNull(at("Account", "spec.signingKeys").getMaxItems());
    assertNotNull(at("Account", "spec.signingKeys.[].name").getMaxLength());
    for (String p : List.of("allow", "deny")) {
      assertNotNull(at("User", "spec.permissions.publish." + p).getMaxItems());
      assertNotNull(at("User", "spec.permissions.publish." + p + ".[]").getMaxLength());
    }
    assertNotNull(at("ServiceExport", "spec.subject").getMaxLength());
    assertEquals(5L, at("Account", "spec.limits.jetstream.tiers").getMaxProperties());
  }

  @Test
  void everyKindHasReadyPublicKeyAndAgeColumns() {
    Map<String, String> keyColumn =
        Map.of(
            "Operator",
            ".status.publicKey",
            "Account",
            ".status.publicKey",
            "User",
            ".status.publicKey",
            "ServiceExport",
            ".status.accountPublicKey",
            "StreamExport",
            ".status.accountPublicKey",
            "ServiceImport",
            ".status.exporterPublicKey",
            "StreamImport",
            ".status.exporterPublicKey");
    assertEquals(keyColumn.keySet(), CRDS.keySet());
    for (var e : keyColumn.entrySet()) {
      List<String> paths =
          CRDS.get(e.getKey()).getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
              .map(CustomResourceColumnDefinition::getJsonPath)
              .toList();
      assertTrue(
          paths.contains(".status.conditions[?(@.type==\"Ready\")].status"),
          e.getKey() + " Ready: " + paths);
      assertTrue(paths.contains(e.getValue()), e.getKey() + " key column: " + paths);
      assertTrue(paths.contains(".metadata.creationTimestamp"), e.getKey() + " Age: " + paths);
    }
    List<String> account =
        CRDS.get("Account").getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
            .map(CustomResourceColumnDefinition::getJsonPath)
            .toList();
    assertTrue(
        account.containsAll(
            List.of(".status.exportCount", ".status.importCount", ".status.servers")),
        account.toString());
  }
}
