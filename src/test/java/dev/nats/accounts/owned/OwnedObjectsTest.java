package dev.nats.accounts.owned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one writer of operator-owned Secrets and ConfigMaps, on the CRUD mock: ours is kept current,
 * theirs untouched.
 */
@EnableKubernetesMockClient(crud = true)
class OwnedObjectsTest {
  private static final String NS = "tenant-a";
  private static final Owner USER =
      new Owner("accounts.nats.dev/v1alpha1", "User", NS, "u", "uid-u");
  private static final Owner OTHER_USER =
      new Owner("accounts.nats.dev/v1alpha1", "User", NS, "v", "uid-v");

  KubernetesClient client;
  OwnedObjects objects;

  @BeforeEach
  void setUp() {
    objects = new OwnedObjects(client);
  }

  private static OwnedObjects.Desired creds(String jwt) {
    return new OwnedObjects.Desired(
        "u-creds", Map.of("user.jwt", jwt), Map.of(), "hash-" + jwt, true);
  }

  private Secret live(String name) {
    return client.secrets().inNamespace(NS).withName(name).get();
  }

  @Test
  void aNewSecretIsCreatedWithOurLabelsAnnotationsAndOwnerReference() {
    objects.applySecret(USER, creds("one"), Optional.empty());

    Secret s = live("u-creds");
    assertEquals(
        Map.of(
            Ownership.MANAGED_BY_LABEL,
            Ownership.MANAGED_BY,
            Ownership.KIND_LABEL,
            "User",
            Ownership.OWNER_LABEL,
            "u"),
        s.getMetadata().getLabels());
    assertEquals(
        Map.of(Ownership.OWNER_ANNOTATION, "u", Ownership.CLAIMS_HASH_ANNOTATION, "hash-one"),
        s.getMetadata().getAnnotations());
    assertEquals("uid-u", s.getMetadata().getOwnerReferences().get(0).getUid());
    assertEquals(Optional.of("one"), OwnedObjects.entry(s, "user.jwt"));
    assertEquals("hash-one", Ownership.claimsHash(s));
    assertTrue(Ownership.isOurs(s, USER));
    assertFalse(Ownership.isOurs(s, OTHER_USER));
  }

  @Test
  void oursIsWrittenOnlyWhenSomethingChangedAndKeepsWhatOthersAdded() {
    objects.applySecret(USER, creds("one"), Optional.empty());
    Secret labelled =
        new SecretBuilder(live("u-creds"))
            .editMetadata()
            .addToLabels("team", "x")
            .endMetadata()
            .build();
    client.resource(labelled).update();
    String version = live("u-creds").getMetadata().getResourceVersion();

    objects.applySecret(USER, creds("one"), objects.ownSecret(USER, "u-creds", Optional.empty()));
    assertEquals(
        version, live("u-creds").getMetadata().getResourceVersion(), "unchanged: nothing written");

    objects.applySecret(USER, creds("two"), objects.ownSecret(USER, "u-creds", Optional.empty()));
    Secret s = live("u-creds");
    assertEquals(Optional.of("two"), OwnedObjects.entry(s, "user.jwt"));
    assertEquals("hash-two", Ownership.claimsHash(s));
    assertEquals("x", s.getMetadata().getLabels().get("team"), "a label someone added stays");
    assertEquals(1, s.getMetadata().getOwnerReferences().size());
  }

  @Test
  void aForeignSecretUnderTheWantedNameIsLeftUntouched() {
    Secret theirs =
        client
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withNamespace(NS)
                    .withName("u-creds")
                    .endMetadata()
                    .withStringData(Map.of("password", "hunter2"))
                    .build())
            .create();
    Secret otherUsers =
        client
            .resource(
                OwnedObjects.secret(
                    OTHER_USER,
                    new OwnedObjects.Desired(
                        "v-creds", Map.of("user.jwt", "v"), Map.of(), null, true)))
            .create();

    // The informer (label-selected) does not see it: the create meets a 409, the writer reads it
    // and stops.
    ForeignObjectException e =
        assertThrows(
            ForeignObjectException.class,
            () -> objects.applySecret(USER, creds("one"), Optional.empty()));
    assertTrue(
        e.getMessage().contains("Secret tenant-a/u-creds")
            && e.getMessage().contains("User tenant-a/u"),
        e.getMessage());
    assertThrows(
        ForeignObjectException.class, () -> objects.ownSecret(USER, "u-creds", Optional.empty()));
    // Another resource's object is foreign too, labels or not.
    assertThrows(
        ForeignObjectException.class,
        () ->
            objects.applySecret(
                USER,
                new OwnedObjects.Desired("v-creds", Map.of("user.jwt", "u"), Map.of(), null, true),
                Optional.of(otherUsers)));

    assertEquals(
        theirs.getMetadata().getResourceVersion(),
        live("u-creds").getMetadata().getResourceVersion());
    Map<String, String> theirLabels = live("u-creds").getMetadata().getLabels();
    assertTrue(theirLabels == null || theirLabels.isEmpty(), "no label of ours: " + theirLabels);
    assertEquals(Optional.of("v"), OwnedObjects.entry(live("v-creds"), "user.jwt"));

    objects.deleteSecretIfOurs(USER, "u-creds");
    objects.deleteSecretIfOurs(USER, "v-creds");
    assertNotNull(live("u-creds"), "a foreign Secret is never deleted");
    assertNotNull(live("v-creds"));
  }

  @Test
  void configMapsFollowTheSameRulesAndALegacyOneWithoutTheKindLabelIsOurs() {
    Owner op = new Owner("accounts.nats.dev/v1alpha1", "Operator", "nats", "main", "uid-op");
    // As written before the kind label existed.
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace("nats")
                .withName("main-server-config")
                .withLabels(
                    Map.of(
                        Ownership.MANAGED_BY_LABEL,
                        Ownership.MANAGED_BY,
                        Ownership.OWNER_LABEL,
                        "main"))
                .withAnnotations(Map.of(Ownership.OWNER_ANNOTATION, "main"))
                .endMetadata()
                .withData(Map.of("resolver.conf", "old"))
                .build())
        .create();

    OwnedObjects.Desired want =
        new OwnedObjects.Desired(
            "main-server-config", Map.of("resolver.conf", "new"), Map.of(), null, true);
    objects.applyConfigMap(
        op, want, objects.ownConfigMap(op, "main-server-config", Optional.empty()));

    ConfigMap c = client.configMaps().inNamespace("nats").withName("main-server-config").get();
    assertEquals("new", c.getData().get("resolver.conf"));
    assertEquals("Operator", c.getMetadata().getLabels().get(Ownership.KIND_LABEL));
    assertEquals("uid-op", c.getMetadata().getOwnerReferences().get(0).getUid());

    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace("nats")
                .withName("taken")
                .endMetadata()
                .withData(Map.of("x", "y"))
                .build())
        .create();
    assertThrows(
        ForeignObjectException.class,
        () ->
            objects.applyConfigMap(
                op,
                new OwnedObjects.Desired(
                    "taken", Map.of("resolver.conf", "new"), Map.of(), null, true),
                Optional.empty()));
    assertEquals(
        Map.of("x", "y"),
        client.configMaps().inNamespace("nats").withName("taken").get().getData());
  }

  @Test
  void ownersTooLongForALabelAreKeptInTheAnnotation() {
    String longName = "n".repeat(100);
    Owner owner = new Owner("accounts.nats.dev/v1alpha1", "Account", NS, longName, "uid");
    Map<String, String> labels = Ownership.labels(owner, Map.of());
    assertFalse(labels.containsKey(Ownership.OWNER_LABEL), "label values stop at 63 characters");
    assertEquals("Account", labels.get(Ownership.KIND_LABEL));
    Secret s =
        OwnedObjects.secret(owner, new OwnedObjects.Desired("x", Map.of(), Map.of(), null, false));
    assertEquals(longName, Ownership.ownerOf(s));
    assertEquals("Account", Ownership.ownerKindOf(s));
    assertTrue(Ownership.isOurs(s, owner));
  }
}
