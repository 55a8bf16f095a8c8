package dev.nats.accounts.keys;

import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Key Secrets are the one place where an identity lives. The rules here are the operator's promise:
 * a key is generated once; an existing Secret is never overwritten blindly (creation uses create,
 * which fails on conflict, and additions use optimistic locking); a Secret that vanished after the
 * identity was published is reported, never silently replaced by a new identity.
 */
public final class KeySecrets {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "nats-account-operator";
  /** The label selector of every informer over objects the operator writes. */
  public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;
  public static final String KIND_LABEL = "accounts.nats.dev/key-owner-kind";
  public static final String OWNER_LABEL = "accounts.nats.dev/key-owner";
  /** The owner's name, always: label values stop at 63 characters, object names at 253. */
  public static final String OWNER_ANNOTATION = "accounts.nats.dev/owner";
  static final int MAX_LABEL_VALUE = 63;
  public static final String IDENTITY = "identity";

  private final KubernetesClient client;
  private final KeyGenerator generator;

  /** Generates keys; counted by the caller's metrics so tests can prove nothing is regenerated. */
  public interface KeyGenerator {
    KeyPair generate(KeyType type, String purpose);
  }

  public KeySecrets(KubernetesClient client, KeyGenerator generator) {
    this.client = client;
    this.generator = generator;
  }

  /** What a resource wants in its key Secret: entry name to key type. */
  public record Wanted(Map<String, KeyType> entries) {}

  /** The outcome of {@link #ensure}: keys, or a reason the caller turns into a condition. */
  public record Outcome(Map<String, KeyPair> keys, Reason failureReason, String failureMessage, boolean created) {
    public boolean ok() {
      return failureReason == null;
    }

    public KeyPair get(String entry) {
      return keys.get(entry);
    }

    static Outcome failed(Reason reason, String message) {
      return new Outcome(Map.of(), reason, message, false);
    }

    @Override
    public String toString() {
      return "Outcome[keys=" + keys.keySet() + ", failureReason=" + failureReason + "]";
    }
  }

  /**
   * Ensures the Secret holds every wanted entry.
   *
   * @param cached the Secret as the informer sees it (may lag behind the API)
   * @param knownIdentity the identity public key already published in status, or null for a new resource
   * @param adoptedIdentitySeed a seed to adopt as identity when the Secret is first created
   */
  public Outcome ensure(
      String namespace,
      String secretName,
      Map<String, String> labels,
      Wanted wanted,
      Optional<Secret> cached,
      String knownIdentity,
      Optional<String> adoptedIdentitySeed) {
    Secret secret = cached.orElse(null);
    if (secret == null) {
      // The cache may lag behind a Secret we created a moment ago: read once before deciding.
      secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    }
    if (secret == null && knownIdentity != null) {
      return Outcome.failed(
          Reason.SEED_LOST,
          "Secret "
              + namespace
              + "/"
              + secretName
              + " holding identity "
              + knownIdentity
              + " is gone; restore it from backup (no new identity is created)");
    }
    Map<String, KeyPair> keys = new LinkedHashMap<>();
    Map<String, String> toAdd = new LinkedHashMap<>();
    boolean created = secret == null;
    for (Map.Entry<String, KeyType> e : wanted.entries().entrySet()) {
      String entry = e.getKey();
      KeyType type = e.getValue();
      Optional<String> existing = secret == null ? Optional.empty() : read(secret, entry);
      KeyPair kp;
      if (existing.isPresent()) {
        try {
          kp = KeyPair.fromSeed(existing.get());
        } catch (RuntimeException ex) {
          return Outcome.failed(
              Reason.INVALID_SEED, "Secret " + secretName + " key '" + entry + "' does not hold a valid seed");
        }
        if (kp.type() != type) {
          return Outcome.failed(
              Reason.INVALID_SEED,
              "Secret " + secretName + " key '" + entry + "' holds a " + kp.type() + " seed, expected " + type);
        }
      } else if (IDENTITY.equals(entry) && knownIdentity != null) {
        return Outcome.failed(
            Reason.SEED_LOST,
            "Secret " + secretName + " lost its '" + entry + "' seed for " + knownIdentity + "; restore it from backup");
      } else if (IDENTITY.equals(entry) && adoptedIdentitySeed.isPresent()) {
        try {
          kp = KeyPair.fromSeed(adoptedIdentitySeed.get());
        } catch (RuntimeException ex) {
          return Outcome.failed(Reason.INVALID_SEED, "the adopted identity Secret does not hold a valid seed");
        }
        if (kp.type() != type) {
          return Outcome.failed(
              Reason.INVALID_SEED, "the adopted identity seed is a " + kp.type() + " seed, expected " + type);
        }
        toAdd.put(entry, kp.seed());
      } else {
        kp = generator.generate(type, entry);
        toAdd.put(entry, kp.seed());
      }
      keys.put(entry, kp);
    }
    if (identityMismatch(keys, knownIdentity)) {
      return Outcome.failed(
          Reason.SEED_LOST,
          "Secret "
              + secretName
              + " holds identity "
              + keys.get(IDENTITY).publicKey()
              + " but the resource was issued as "
              + knownIdentity
              + "; restore the original Secret");
    }
    if (!toAdd.isEmpty()) {
      try {
        if (secret == null) {
          Secret fresh =
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(secretName)
                  .withNamespace(namespace)
                  .withLabels(withManagedLabel(labels))
                  .withAnnotations(ownerAnnotation(labels))
                  .endMetadata()
                  .withType("Opaque")
                  .withData(encoded(toAdd))
                  .build();
          client.secrets().inNamespace(namespace).resource(fresh).create();
        } else {
          Secret copy = withOurMetadata(secret, labels);
          Map<String, String> data = new LinkedHashMap<>(copy.getData() == null ? Map.of() : copy.getData());
          toAdd.forEach((k, v) -> data.put(k, b64(v)));
          copy.setData(data);
          copy.setStringData(null);
          // update() carries the resourceVersion: a concurrent writer makes this fail instead of losing keys.
          client.secrets().inNamespace(namespace).resource(copy).update();
        }
      } catch (KubernetesClientException ex) {
        return Outcome.failed(
            Reason.KEYS_CONFLICT,
            "could not write Secret " + secretName + " (HTTP " + ex.getCode() + "); will retry with fresh data");
      }
    } else if (secret != null && lacksOurMetadata(secret, labels)) {
      // A key Secret made by hand (restored, or seeds brought from nsc) has none of our labels: the informers
      // that the User and Account reconcilers read key Secrets from select on them and would never see it.
      // Labelling it changes no key; if it fails (a concurrent write), the next reconcile tries again.
      try {
        client.secrets().inNamespace(namespace).resource(withOurMetadata(secret, labels)).update();
      } catch (KubernetesClientException ex) {
        // keys were read fine; only the labels wait for the next reconcile
      }
    }
    return new Outcome(Map.copyOf(keys), null, null, created);
  }

  private static boolean lacksOurMetadata(Secret secret, Map<String, String> labels) {
    Map<String, String> have = orEmpty(secret.getMetadata().getLabels());
    Map<String, String> notes = orEmpty(secret.getMetadata().getAnnotations());
    return !have.entrySet().containsAll(withManagedLabel(labels).entrySet())
        || !notes.entrySet().containsAll(ownerAnnotation(labels).entrySet());
  }

  /** A copy of {@code secret} that also carries our labels and owner annotation (other metadata kept). */
  private static Secret withOurMetadata(Secret secret, Map<String, String> labels) {
    Secret copy = new SecretBuilder(secret).build();
    Map<String, String> l = new LinkedHashMap<>(orEmpty(copy.getMetadata().getLabels()));
    l.putAll(withManagedLabel(labels));
    copy.getMetadata().setLabels(l);
    Map<String, String> a = new LinkedHashMap<>(orEmpty(copy.getMetadata().getAnnotations()));
    a.putAll(ownerAnnotation(labels));
    copy.getMetadata().setAnnotations(a);
    return copy;
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  private static boolean identityMismatch(Map<String, KeyPair> keys, String knownIdentity) {
    KeyPair id = keys.get(IDENTITY);
    return id != null && knownIdentity != null && !knownIdentity.equals(id.publicKey());
  }

  /**
   * Reads one seed entry, accepting both data (base64) and stringData written by hand; surrounding
   * whitespace is dropped because hand-made Secrets often end the seed with a newline.
   */
  public static Optional<String> read(Secret secret, String entry) {
    return readRaw(secret, entry).map(String::trim);
  }

  /** Reads an entry exactly as stored (creds files end with a newline that is part of the format). */
  public static Optional<String> readRaw(Secret secret, String entry) {
    if (secret.getData() != null && secret.getData().get(entry) != null) {
      return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(entry)), StandardCharsets.UTF_8));
    }
    if (secret.getStringData() != null && secret.getStringData().get(entry) != null) {
      return Optional.of(secret.getStringData().get(entry));
    }
    return Optional.empty();
  }

  /** Our labels plus managed-by; a value too long for a label is left out (the annotation keeps the owner). */
  public static Map<String, String> withManagedLabel(Map<String, String> labels) {
    Map<String, String> out = new LinkedHashMap<>();
    (labels == null ? Map.<String, String>of() : labels).forEach((k, v) -> {
      if (v.length() <= MAX_LABEL_VALUE) {
        out.put(k, v);
      }
    });
    out.put(MANAGED_BY_LABEL, MANAGED_BY);
    return out;
  }

  /** The owner annotation for labels that name an owner (see {@link #ownerOf}). */
  public static Map<String, String> ownerAnnotation(Map<String, String> labels) {
    String owner = labels == null ? null : labels.get(OWNER_LABEL);
    return owner == null ? Map.of() : Map.of(OWNER_ANNOTATION, owner);
  }

  /** The name of the resource an object was written for: the annotation, else the label. */
  public static String ownerOf(io.fabric8.kubernetes.api.model.HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    if (a != null && a.get(OWNER_ANNOTATION) != null) {
      return a.get(OWNER_ANNOTATION);
    }
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? null : l.get(OWNER_LABEL);
  }

  /** The kind of that resource, from our label. */
  public static String ownerKindOf(io.fabric8.kubernetes.api.model.HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? "" : l.getOrDefault(KIND_LABEL, "");
  }

  private static Map<String, String> encoded(Map<String, String> plain) {
    Map<String, String> out = new LinkedHashMap<>();
    plain.forEach((k, v) -> out.put(k, b64(v)));
    return out;
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
