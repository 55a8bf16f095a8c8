package dev.nats.accounts.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.SecretKeyRef;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.owned.OwnedObjects;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.owned.Ownership;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key Secret rules on the fabric8 CRUD mock API: generate once, never overwrite, never mint a
 * new identity for a resource that already has one. Generated keys are counted through the {@link
 * KeySecrets.KeyGenerator} callback, so "nothing was regenerated" is an observed fact.
 */
@EnableKubernetesMockClient(crud = true)
class KeySecretsTest {
  private static final String NS = "tenant-a";
  private static final String NAME = "a-account-keys";
  private static final Owner OWNER =
      new Owner("accounts.nats.dev/v1alpha1", "Account", NS, "a", "uid-a");
  private static final String ADOPT_FROM = "identity-to-adopt";

  KubernetesClient client;

  private List<String> generated;
  private KeySecrets keys;

  @BeforeEach
  void setUp() {
    generated = new ArrayList<>();
    keys =
        new KeySecrets(
            new OwnedObjects(client),
            (type, purpose) -> {
              generated.add(type + " " + purpose);
              return KeyPair.create(type);
            });
  }

  @Test
  void newResourceGetsALabelledSecretWithBase64Data() {
    KeySecrets.Outcome o =
        ensure(wanted("identity", "signing-default"), Optional.empty(), null, Optional.empty());

    assertTrue(o.ok(), o.failureMessage());
    assertTrue(o.created());
    assertEquals(List.of("ACCOUNT identity", "ACCOUNT signing-default"), generated);
    Secret s = live();
    assertEquals(
        Map.of(
            Ownership.KIND_LABEL,
            "Account",
            Ownership.OWNER_LABEL,
            "a",
            Ownership.MANAGED_BY_LABEL,
            "nats-account-operator"),
        s.getMetadata().getLabels());
    assertEquals("Opaque", s.getType());
    assertTrue(
        s.getStringData() == null || s.getStringData().isEmpty(), "seeds are stored as data");
    assertTrue(
        s.getMetadata().getOwnerReferences() == null
            || s.getMetadata().getOwnerReferences().isEmpty(),
        "key Secrets have no owner, so they outlive an accidental delete");
    assertEquals(o.get("identity").seed(), b64decode(s.getData().get("identity")));
    assertEquals(o.get("signing-default").seed(), b64decode(s.getData().get("signing-default")));
    assertEquals(KeyType.ACCOUNT, o.get("identity").type());
    assertNotEquals(o.get("identity"), o.get("signing-default"));
  }

  @Test
  void existingKeysAreReadBackNeverRegenerated() {
    KeySecrets.Outcome first =
        ensure(wanted("identity", "signing-default"), Optional.empty(), null, Optional.empty());
    String version = live().getMetadata().getResourceVersion();
    String knownIdentity = first.get("identity").publicKey();

    KeySecrets.Outcome fromCache =
        ensure(
            wanted("identity", "signing-default"),
            Optional.of(live()),
            knownIdentity,
            Optional.empty());
    // the informer cache may not have the Secret yet: the API is read instead of generating
    KeySecrets.Outcome fromApi =
        ensure(
            wanted("identity", "signing-default"),
            Optional.empty(),
            knownIdentity,
            Optional.empty());

    for (KeySecrets.Outcome o : List.of(fromCache, fromApi)) {
      assertTrue(o.ok(), o.failureMessage());
      assertFalse(o.created());
      assertEquals(first.keys(), o.keys());
    }
    assertEquals(2, generated.size());
    assertEquals(version, live().getMetadata().getResourceVersion(), "nothing was written");
  }

  @Test
  void aNewSigningEntryIsAddedWithoutTouchingTheOthers() {
    KeySecrets.Outcome first =
        ensure(wanted("identity", "signing-default"), Optional.empty(), null, Optional.empty());
    Secret withNote = new SecretBuilder(live()).addToData("note", b64("kept by hand")).build();
    client.secrets().inNamespace(NS).resource(withNote).update();
    Map<String, String> before = live().getData();

    KeySecrets.Outcome o =
        ensure(
            wanted("identity", "signing-default", "signing-apps"),
            Optional.of(live()),
            first.get("identity").publicKey(),
            Optional.empty());

    assertTrue(o.ok(), o.failureMessage());
    assertFalse(o.created());
    assertEquals(
        List.of("ACCOUNT identity", "ACCOUNT signing-default", "ACCOUNT signing-apps"), generated);
    Map<String, String> after = live().getData();
    assertEquals(4, after.size());
    for (String k : List.of("identity", "signing-default", "note")) {
      assertEquals(before.get(k), after.get(k), k);
    }
    assertEquals(o.get("signing-apps").seed(), b64decode(after.get("signing-apps")));
    assertEquals(first.get("identity"), o.get("identity"));
  }

  @Test
  void vanishedSecretOfAKnownIdentityIsSeedLostAndNotRecreated() {
    String known = KeyPair.create(KeyType.ACCOUNT).publicKey();

    KeySecrets.Outcome o =
        ensure(wanted("identity", "signing-default"), Optional.empty(), known, Optional.empty());

    assertFalse(o.ok());
    assertEquals(Reason.SEED_LOST, o.failureReason());
    assertTrue(
        o.failureMessage().contains(NS + "/" + NAME) && o.failureMessage().contains(known),
        o.failureMessage());
    assertEquals(Map.of(), o.keys());
    assertNull(client.secrets().inNamespace(NS).withName(NAME).get());
    assertEquals(List.of(), generated);
  }

  @Test
  void secretHoldingAnotherIdentityIsSeedLost() {
    ensure(wanted("identity"), Optional.empty(), null, Optional.empty());
    String version = live().getMetadata().getResourceVersion();
    String issuedAs = KeyPair.create(KeyType.ACCOUNT).publicKey();

    KeySecrets.Outcome o =
        ensure(
            wanted("identity", "signing-default"), Optional.of(live()), issuedAs, Optional.empty());

    assertEquals(Reason.SEED_LOST, o.failureReason());
    assertTrue(o.failureMessage().contains("issued as " + issuedAs), o.failureMessage());
    assertEquals(version, live().getMetadata().getResourceVersion());
    assertFalse(
        live().getData().containsKey("signing-default"),
        "nothing is written next to a wrong identity");
  }

  @Test
  void secretMissingItsIdentityEntryIsSeedLost() {
    Secret s = create(Map.of("signing-default", KeyPair.create(KeyType.ACCOUNT).seed()));
    String known = KeyPair.create(KeyType.ACCOUNT).publicKey();

    KeySecrets.Outcome o =
        ensure(wanted("identity", "signing-default"), Optional.of(s), known, Optional.empty());

    assertEquals(Reason.SEED_LOST, o.failureReason());
    assertEquals(List.of(), generated);
    assertFalse(live().getData().containsKey("identity"));
  }

  @Test
  void garbageSeedIsInvalidSeedWithoutEchoingIt() {
    String seed = KeyPair.create(KeyType.ACCOUNT).seed();
    String corrupted =
        seed.substring(0, 20) + (seed.charAt(20) == 'A' ? 'B' : 'A') + seed.substring(21);
    Secret s =
        create(
            Map.of(
                "identity", KeyPair.create(KeyType.ACCOUNT).seed(), "signing-default", corrupted));

    KeySecrets.Outcome o =
        ensure(wanted("identity", "signing-default"), Optional.of(s), null, Optional.empty());

    assertEquals(Reason.INVALID_SEED, o.failureReason());
    assertTrue(o.failureMessage().contains("key 'signing-default'"), o.failureMessage());
    assertFalse(o.failureMessage().contains(corrupted), o.failureMessage());
    assertFalse(o.toString().contains(corrupted));
    assertEquals(List.of(), generated);
  }

  @Test
  void seedOfTheWrongTypeIsInvalidSeedWithoutEchoingIt() {
    String operatorSeed = KeyPair.create(KeyType.OPERATOR).seed();
    Secret s = create(Map.of("identity", operatorSeed));

    KeySecrets.Outcome o = ensure(wanted("identity"), Optional.of(s), null, Optional.empty());

    assertEquals(Reason.INVALID_SEED, o.failureReason());
    assertTrue(o.failureMessage().contains("key 'identity'"), o.failureMessage());
    assertTrue(o.failureMessage().contains("expected ACCOUNT"), o.failureMessage());
    assertFalse(o.failureMessage().contains(operatorSeed), o.failureMessage());
  }

  @Test
  void handWrittenStringDataWithTrailingNewlineIsRead() {
    KeyPair id = KeyPair.create(KeyType.ACCOUNT);
    Secret cached =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace(NS)
            .withName(NAME)
            .endMetadata()
            .withStringData(Map.of("identity", id.seed() + "\n"))
            .build();

    KeySecrets.Outcome o =
        ensure(wanted("identity"), Optional.of(cached), id.publicKey(), Optional.empty());

    assertTrue(o.ok(), o.failureMessage());
    assertEquals(id, o.get("identity"));
    assertEquals(List.of(), generated);
  }

  @Test
  void givenSeedIsAdoptedAsIdentity() {
    KeyPair adopted = KeyPair.create(KeyType.ACCOUNT);

    KeySecrets.Outcome o =
        ensure(
            wanted("identity", "signing-default"),
            Optional.empty(),
            null,
            Optional.of(adopted.seed()));

    assertTrue(o.ok(), o.failureMessage());
    assertEquals(adopted, o.get("identity"));
    assertEquals(List.of("ACCOUNT signing-default"), generated);
    assertEquals(adopted.seed(), b64decode(live().getData().get("identity")));
  }

  @Test
  void adoptedSeedOfTheWrongTypeOrGarbageIsInvalidSeedAndNothingIsCreated() {
    String userSeed = KeyPair.create(KeyType.USER).seed();

    KeySecrets.Outcome wrongType =
        ensure(wanted("identity"), Optional.empty(), null, Optional.of(userSeed));
    KeySecrets.Outcome garbage =
        ensure(wanted("identity"), Optional.empty(), null, Optional.of("SAnotaseed"));

    assertEquals(Reason.INVALID_SEED, wrongType.failureReason());
    assertTrue(wrongType.failureMessage().contains("expected ACCOUNT"), wrongType.failureMessage());
    assertFalse(wrongType.failureMessage().contains(userSeed));
    assertEquals(Reason.INVALID_SEED, garbage.failureReason());
    assertFalse(garbage.failureMessage().contains("SAnotaseed"));
    // The user fixes a field: the message leads with it, and names the Secret.
    for (KeySecrets.Outcome o : List.of(wrongType, garbage)) {
      assertTrue(
          o.failureMessage().startsWith("spec.identitySecretRef: Secret " + ADOPT_FROM + " "),
          o.failureMessage());
    }
    assertNull(client.secrets().inNamespace(NS).withName(NAME).get());
    assertEquals(List.of(), generated);
  }

  @Test
  void aHandMadeKeySecretIsReadAndGetsOurLabelsWithoutAnyKeyChanging() {
    // e.g. kubectl create secret generic a-account-keys --from-file=identity=...
    // --from-file=signing-default=...
    KeyPair id = KeyPair.create(KeyType.ACCOUNT);
    KeyPair sk = KeyPair.create(KeyType.ACCOUNT);
    Secret handMade = create(Map.of("identity", id.seed(), "signing-default", sk.seed()));
    Map<String, String> data = handMade.getData();

    KeySecrets.Outcome o =
        ensure(wanted("identity", "signing-default"), Optional.empty(), null, Optional.empty());

    assertTrue(o.ok(), o.failureMessage());
    assertEquals(id, o.get("identity"));
    assertEquals(sk, o.get("signing-default"));
    assertEquals(List.of(), generated);
    assertEquals(data, live().getData(), "no key changed");
    assertEquals(
        Map.of(
            Ownership.KIND_LABEL,
            "Account",
            Ownership.OWNER_LABEL,
            "a",
            Ownership.MANAGED_BY_LABEL,
            "nats-account-operator"),
        live().getMetadata().getLabels(),
        "labelled, so the informers of the reconcilers see it");
    assertEquals("a", live().getMetadata().getAnnotations().get(Ownership.OWNER_ANNOTATION));

    String version = live().getMetadata().getResourceVersion();
    assertTrue(
        ensure(
                wanted("identity", "signing-default"),
                Optional.of(live()),
                id.publicKey(),
                Optional.empty())
            .ok());
    assertEquals(
        version, live().getMetadata().getResourceVersion(), "labelled once, then left alone");
  }

  @Test
  void aHandMadeSigningKeyIsKeptWhenTheIdentityIsAdoptedAndTheSecretIsLabelled() {
    // nsc's account signing key brought in by hand, the identity adopted through identitySecretRef
    KeyPair nscSigningKey = KeyPair.create(KeyType.ACCOUNT);
    create(Map.of("signing-nsc", nscSigningKey.seed()));
    KeyPair adopted = KeyPair.create(KeyType.ACCOUNT);

    KeySecrets.Outcome o =
        ensure(
            wanted("identity", "signing-default", "signing-nsc"),
            Optional.empty(),
            null,
            Optional.of(adopted.seed()));

    assertTrue(o.ok(), o.failureMessage());
    assertFalse(o.created());
    assertEquals(adopted, o.get("identity"));
    assertEquals(nscSigningKey, o.get("signing-nsc"));
    assertEquals(List.of("ACCOUNT signing-default"), generated);
    assertEquals(nscSigningKey.seed(), b64decode(live().getData().get("signing-nsc")));
    assertEquals(adopted.seed(), b64decode(live().getData().get("identity")));
    assertEquals(
        "nats-account-operator", live().getMetadata().getLabels().get(Ownership.MANAGED_BY_LABEL));
  }

  @Test
  void concurrentWriterMakesTheUpdateFailWithKeysConflict() {
    KeySecrets.Outcome first =
        ensure(wanted("identity", "signing-default"), Optional.empty(), null, Optional.empty());
    Secret stale = live();
    // another writer (a second operator replica) adds a key after our cache read
    String theirSeed = KeyPair.create(KeyType.ACCOUNT).seed();
    client
        .secrets()
        .inNamespace(NS)
        .resource(new SecretBuilder(stale).addToData("signing-apps", b64(theirSeed)).build())
        .update();

    KeySecrets.Outcome o =
        ensure(
            wanted("identity", "signing-default", "signing-apps"),
            Optional.of(stale),
            first.get("identity").publicKey(),
            Optional.empty());

    assertFalse(o.ok());
    assertEquals(Reason.KEYS_CONFLICT, o.failureReason());
    assertTrue(o.failureMessage().contains("HTTP 409"), o.failureMessage());
    assertEquals(
        theirSeed,
        b64decode(live().getData().get("signing-apps")),
        "the other writer's key survives");

    // the retry with fresh data finds their key and generates nothing
    int before = generated.size();
    KeySecrets.Outcome retry =
        ensure(
            wanted("identity", "signing-default", "signing-apps"),
            Optional.of(live()),
            first.get("identity").publicKey(),
            Optional.empty());
    assertTrue(retry.ok(), retry.failureMessage());
    assertEquals(theirSeed, retry.get("signing-apps").seed());
    assertEquals(before, generated.size());
  }

  // ------------------------------------------------------------------ helpers

  /** {@code adopt}: a seed put into the user's Secret that {@code spec.identitySecretRef} names. */
  private KeySecrets.Outcome ensure(
      KeySecrets.Wanted w, Optional<Secret> cached, String known, Optional<String> adopt) {
    SecretKeyRef ref = null;
    if (adopt.isPresent()) {
      client
          .secrets()
          .inNamespace(NS)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withNamespace(NS)
                  .withName(ADOPT_FROM)
                  .endMetadata()
                  .withStringData(Map.of("seed", adopt.get()))
                  .build())
          .createOr(c -> c.update());
      ref = new SecretKeyRef();
      ref.setName(ADOPT_FROM);
    }
    return keys.ensure(OWNER, NAME, w, cached, known, ref);
  }

  private static KeySecrets.Wanted wanted(String... entries) {
    Map<String, KeyType> m = new LinkedHashMap<>();
    for (String e : entries) {
      m.put(e, KeyType.ACCOUNT);
    }
    return new KeySecrets.Wanted(m);
  }

  private Secret live() {
    return client.secrets().inNamespace(NS).withName(NAME).get();
  }

  private Secret create(Map<String, String> plain) {
    Map<String, String> data = new LinkedHashMap<>();
    plain.forEach((k, v) -> data.put(k, b64(v)));
    Secret s =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace(NS)
            .withName(NAME)
            .endMetadata()
            .withData(data)
            .build();
    return client.secrets().inNamespace(NS).resource(s).create();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64decode(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }

  @Test
  void aMissingSecretToAdoptIsSecretNotFoundNamingTheField() {
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("not-there");
    ref.setKey("nkey");

    KeySecrets.Outcome o =
        keys.ensure(OWNER, NAME, wanted("identity"), Optional.empty(), null, ref);

    assertEquals(Reason.SECRET_NOT_FOUND, o.failureReason());
    assertTrue(
        o.failureMessage().startsWith("spec.identitySecretRef: Secret not-there (key 'nkey')"),
        o.failureMessage());
    assertNull(live(), "nothing created");
    assertEquals(List.of(), generated);
  }
}
