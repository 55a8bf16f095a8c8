package dev.nats.accounts.informers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.app.BundledCrds;
import dev.nats.accounts.reconciler.Fixtures;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The one-pass read of watch events against fabric8's own: the same object for every shape, our
 * classes rather than generic ones, and the managed fields left out.
 */
class WatchEventSerializationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final WatchEventSerialization lean = new WatchEventSerialization(BundledCrds.KINDS);
  private final KubernetesSerialization fabric8 = new KubernetesSerialization();

  /** An Account as kube-apiserver sends a custom resource: every map's keys sorted. */
  @Test
  void aCustomResourceIsReadInOnePassIntoItsClass() throws Exception {
    String json = event("MODIFIED", sorted(withManagedFields(toMap(account()))));

    WatchEvent event = lean.readWatchEvent(json);

    assertNotNull(event, "the API server's shape is read in one pass");
    assertEquals("MODIFIED", event.getType());
    Account a = assertInstanceOf(Account.class, event.getObject());
    assertTrue(a.getMetadata().getManagedFields().isEmpty(), "managed fields skipped");
    assertEquals("AABC", a.getStatus().getPublicKey());
    assertEquals(Map.of("team", "a"), a.getMetadata().getLabels());
    assertSameAsFabric8(json);
  }

  /** Typed objects (a Secret) come from Go structs: kind, then apiVersion, then the rest. */
  @Test
  void aSecretLedByKindThenApiVersionIsReadInOnePass() throws Exception {
    Map<String, Object> secret = new LinkedHashMap<>();
    secret.put("kind", "Secret");
    secret.put("apiVersion", "v1");
    Map<String, Object> rest = withManagedFields(toMap(secret()));
    rest.remove("kind");
    rest.remove("apiVersion");
    secret.putAll(rest);
    String json = event("ADDED", secret);

    WatchEvent event = lean.readWatchEvent(json);

    assertNotNull(event);
    Secret s = assertInstanceOf(Secret.class, event.getObject());
    assertEquals("c2VlZA==", s.getData().get("seed"));
    assertTrue(s.getMetadata().getManagedFields().isEmpty());
    assertSameAsFabric8(json);
  }

  @Test
  void bookmarksAndErrorsAreReadInOnePass() throws Exception {
    String bookmark =
        "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"User\",\"apiVersion\":"
            + "\"accounts.nats.dev/v1alpha1\",\"metadata\":{\"resourceVersion\":\"12746\","
            + "\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}";
    String error =
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"too old resource version: 1 (5)\","
            + "\"reason\":\"Expired\",\"code\":410}}";

    User user = assertInstanceOf(User.class, lean.readWatchEvent(bookmark).getObject());
    assertEquals("12746", user.getMetadata().getResourceVersion());
    Status status = assertInstanceOf(Status.class, lean.readWatchEvent(error).getObject());
    assertEquals(410, status.getCode());
    assertSameAsFabric8(bookmark);
    assertSameAsFabric8(error);
  }

  /**
   * Any other shape goes to fabric8's path, with the same result as before: the object's type not
   * leading it, a kind no class is registered for, an unexpected field in the event. The order of
   * the event's own two fields does not matter.
   */
  @Test
  void otherShapesAreHandedToFabric8sPath() throws Exception {
    Map<String, Object> export = toMap(Fixtures.serviceExport("t", "svc", "acc", "svc.>"));
    Map<String, Object> metadataFirst = new LinkedHashMap<>();
    metadataFirst.put("metadata", export.get("metadata"));
    metadataFirst.putAll(export);
    Map<String, Object> unknown = new LinkedHashMap<>();
    unknown.put("apiVersion", "example.com/v1");
    unknown.put("kind", "Widget");
    unknown.put("metadata", Map.of("name", "w", "namespace", "t"));
    unknown.put("spec", Map.of("size", 3));
    String accountJson = JSON.writeValueAsString(sorted(toMap(account())));
    String extraField = "{\"type\":\"ADDED\",\"extra\":1,\"object\":" + accountJson + "}";
    String typeLast = "{\"object\":" + accountJson + ",\"type\":\"ADDED\"}";

    for (String json :
        List.of(event("ADDED", metadataFirst), event("ADDED", unknown), extraField)) {
      assertNull(lean.readWatchEvent(json), json);
      assertSameAsFabric8(json);
    }
    assertNotNull(lean.readWatchEvent(typeLast));
    assertSameAsFabric8(typeLast);
    assertEquals(3, lean.watchEventsHandedOn());
    assertEquals(1, lean.watchEventsReadInOnePass());
    assertInstanceOf(
        ServiceExport.class,
        lean.unmarshal(event("ADDED", metadataFirst), WatchEvent.class).getObject());
    assertInstanceOf(
        GenericKubernetesResource.class,
        lean.unmarshal(event("ADDED", unknown), WatchEvent.class).getObject());
  }

  @Test
  void brokenJsonFailsAsFabric8sPathFails() {
    String broken = "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Secret\",";

    assertNull(lean.readWatchEvent(broken));
    KubernetesClientException expected =
        assertThrows(
            KubernetesClientException.class, () -> fabric8.unmarshal(broken, WatchEvent.class));
    KubernetesClientException actual =
        assertThrows(
            KubernetesClientException.class, () -> lean.unmarshal(broken, WatchEvent.class));
    assertEquals(expected.getMessage(), actual.getMessage());
  }

  /** Every other read is fabric8's, managed fields and all: only watch events are read anew. */
  @Test
  void otherReadsKeepManagedFields() throws Exception {
    String json = JSON.writeValueAsString(withManagedFields(toMap(account())));

    Account a = lean.unmarshal(json, Account.class);

    assertFalse(a.getMetadata().getManagedFields().isEmpty());
    assertEquals(0, lean.watchEventsReadInOnePass() + lean.watchEventsHandedOn());
  }

  /**
   * Both paths give the same event: fabric8's, with the conversion its watch makes of a generic
   * object into the watched class and the managed fields our caches drop, against ours.
   */
  private void assertSameAsFabric8(String json) {
    WatchEvent expected = fabric8.unmarshal(json, WatchEvent.class);
    WatchEvent actual = lean.unmarshal(json, WatchEvent.class);
    assertEquals(expected.getType(), actual.getType());
    Object expectedObject = expected.getObject();
    if (expectedObject instanceof GenericKubernetesResource g
        && actual.getObject() instanceof HasMetadata typed
        && !(typed instanceof GenericKubernetesResource)) {
      expectedObject = fabric8.convertValue(g, typed.getClass());
    }
    if (expectedObject instanceof HasMetadata h && h.getMetadata() != null) {
      h.getMetadata().setManagedFields(null);
      ((HasMetadata) actual.getObject()).getMetadata().setManagedFields(null);
    }
    assertEquals(expectedObject.getClass(), actual.getObject().getClass(), json);
    assertEquals(fabric8.asJson(expectedObject), fabric8.asJson(actual.getObject()), json);
  }

  private static Account account() {
    Account a = Fixtures.account("tenant-1", "acc");
    a.getMetadata().setLabels(Map.of("team", "a"));
    a.getMetadata().setResourceVersion("981");
    a.getMetadata().setUid("9f0c1f4e-1111-2222-3333-444455556666");
    a.getMetadata().setGeneration(2L);
    a.getMetadata().setFinalizers(List.of("accounts.nats.dev/finalizer"));
    AccountStatus status = new AccountStatus();
    status.setPublicKey("AABC");
    status.setJwt("eyJ0eXAiOiJKV1QifQ.e30.c2ln");
    status.setIssuedAt("2026-12-02T10:00:00Z");
    status.setObservedGeneration(2L);
    Condition ready = new Condition();
    ready.setType("Ready");
    ready.setStatus("True");
    ready.setReason("Pushed");
    ready.setLastTransitionTime("2026-12-02T10:00:00Z");
    status.setConditions(List.of(ready));
    a.setStatus(status);
    return a;
  }

  private static Secret secret() {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("acc-keys")
        .withNamespace("tenant-1")
        .withResourceVersion("982")
        .endMetadata()
        .withType("Opaque")
        .addToData("seed", "c2VlZA==")
        .build();
  }

  private Map<String, Object> toMap(Object o) throws Exception {
    return JSON.readValue(fabric8.asJson(o), new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  /** managedFields as kube-apiserver records them: two managers, each a tree of field sets. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withManagedFields(Map<String, Object> object) {
    Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
    List<Object> entries = new ArrayList<>();
    for (String manager : List.of("kubectl", "nats-account-operator")) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("apiVersion", "accounts.nats.dev/v1alpha1");
      entry.put("fieldsType", "FieldsV1");
      entry.put(
          "fieldsV1",
          Map.of(
              "f:status",
              Map.of("f:conditions", Map.of(), "f:publicKey", Map.of(), ".", Map.of())));
      entry.put("manager", manager);
      entry.put("operation", "Update");
      entry.put("time", "2026-12-02T10:00:00Z");
      entries.add(entry);
    }
    metadata.put("managedFields", entries);
    return object;
  }

  /** Keys sorted at every level, as Go's encoder writes an unstructured object. */
  @SuppressWarnings("unchecked")
  private static Object sortedValue(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put((String) k, sortedValue(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(WatchEventSerializationTest::sortedValue).toList();
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sorted(Map<String, Object> object) {
    return (Map<String, Object>) sortedValue(object);
  }

  private static String event(String type, Map<String, Object> object) throws Exception {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("object", object);
    return JSON.writeValueAsString(event);
  }
}
