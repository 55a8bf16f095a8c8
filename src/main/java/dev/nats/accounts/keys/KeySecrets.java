package dev.nats.accounts.keys;

import dev.nats.accounts.api.v1alpha1.SecretKeyRef;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.owned.OwnedObjects;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.owned.Ownership;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Key Secrets are the one place where an identity lives. The rules here are the operator's promise:
 * a key is generated once; an existing Secret is never overwritten blindly (creation uses create,
 * which fails on conflict, and additions use optimistic locking); a Secret that vanished after the
 * identity was published is reported, never silently replaced by a new identity. Unlike creds, a
 * key Secret made by hand under our name is adopted: that is how a backup is restored.
 */
public final class KeySecrets {
  public static final String IDENTITY = "identity";

  /**
   * How soon a failed {@link #ensure} is tried again: a person has to restore or create a Secret,
   * which no informer sees.
   */
  public static final Duration RETRY = Duration.ofSeconds(30);

  private final OwnedObjects objects;
  private final KeyGenerator generator;

  /** Generates keys; counted by the caller's metrics so tests can prove nothing is regenerated. */
  public interface KeyGenerator {
    KeyPair generate(KeyType type, String purpose);
  }

  public KeySecrets(OwnedObjects objects, KeyGenerator generator) {
    this.objects = objects;
    this.generator = generator;
  }

  /** What a resource wants in its key Secret: entry name to key type. */
  public record Wanted(Map<String, KeyType> entries) {}

  /**
   * The outcome of {@link #ensure}: keys, or a reason the caller turns into a condition.
   *
   * @param adopted the identity came (or was to come) from the resource's {@code
   *     spec.identitySecretRef}
   */
  public record Outcome(
      Map<String, KeyPair> keys,
      Reason failureReason,
      String failureMessage,
      boolean created,
      boolean adopted) {
    public boolean ok() {
      return failureReason == null;
    }

    public KeyPair get(String entry) {
      return keys.get(entry);
    }

    /** The reason of a True KeysReady condition. */
    public Reason readyReason() {
      return adopted ? Reason.KEYS_ADOPTED : Reason.KEYS_FOUND;
    }

    static Outcome failed(Reason reason, String message) {
      return new Outcome(Map.of(), reason, message, false, false);
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
   * @param knownIdentity the identity public key already published in status, or null for a new
   *     resource
   * @param adoptFrom the resource's {@code spec.identitySecretRef}, or null: a seed to adopt as
   *     identity while the resource has none published yet
   */
  public Outcome ensure(
      Owner owner,
      String secretName,
      Wanted wanted,
      Optional<Secret> cached,
      String knownIdentity,
      SecretKeyRef adoptFrom) {
    String namespace = owner.namespace();
    boolean adopting = adoptFrom != null && knownIdentity == null;
    Optional<String> adoptedIdentitySeed = Optional.empty();
    if (adopting) {
      // The user's Secret carries none of our labels, so no informer holds it: read it once; after
      // adoption the seed lives in the managed key Secret.
      String key =
          adoptFrom.getKey() == null || adoptFrom.getKey().isEmpty() ? "seed" : adoptFrom.getKey();
      adoptedIdentitySeed =
          objects.readSecret(namespace, adoptFrom.getName()).flatMap(s -> read(s, key));
      if (adoptedIdentitySeed.isEmpty()) {
        return Outcome.failed(
            Reason.SECRET_NOT_FOUND,
            "spec.identitySecretRef: Secret "
                + adoptFrom.getName()
                + " (key '"
                + key
                + "') not found");
      }
    }
    // The cache may lag behind a Secret we created a moment ago, and a hand-made one has no label
    // an informer selects: read once before deciding.
    Secret secret = cached.or(() -> objects.readSecret(namespace, secretName)).orElse(null);
    if (secret != null && writtenForAnother(secret, owner)) {
      // Adopting is for a key Secret made by hand (a restore, seeds from nsc). One that we wrote
      // for another resource whose derived name coincides (an Account named "main-system" beside
      // Operator "main") is that resource's keys: taking it over would hand its identity to this
      // one and relabel it away from its owner.
      return Outcome.failed(
          Reason.SECRET_CONFLICT,
          "Secret "
              + namespace
              + "/"
              + secretName
              + " holds the keys of "
              + Ownership.ownerKindOf(secret)
              + " "
              + Ownership.ownerOf(secret)
              + "; rename this resource (its key Secret name is derived from its name)");
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
              Reason.INVALID_SEED,
              "Secret " + secretName + " key '" + entry + "' does not hold a valid seed");
        }
        if (kp.type() != type) {
          return Outcome.failed(
              Reason.INVALID_SEED,
              "Secret "
                  + secretName
                  + " key '"
                  + entry
                  + "' holds a "
                  + kp.type()
                  + " seed, expected "
                  + type);
        }
      } else if (IDENTITY.equals(entry) && knownIdentity != null) {
        return Outcome.failed(
            Reason.SEED_LOST,
            "Secret "
                + secretName
                + " lost its '"
                + entry
                + "' seed for "
                + knownIdentity
                + "; restore it from backup");
      } else if (IDENTITY.equals(entry) && adoptedIdentitySeed.isPresent()) {
        try {
          kp = KeyPair.fromSeed(adoptedIdentitySeed.get());
        } catch (RuntimeException ex) {
          return Outcome.failed(
              Reason.INVALID_SEED,
              "spec.identitySecretRef: Secret "
                  + adoptFrom.getName()
                  + " does not hold a valid seed");
        }
        if (kp.type() != type) {
          return Outcome.failed(
              Reason.INVALID_SEED,
              "spec.identitySecretRef: Secret "
                  + adoptFrom.getName()
                  + " holds a "
                  + kp.type()
                  + " seed, expected "
                  + type);
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
          objects.createSecret(
              owner, new OwnedObjects.Desired(secretName, toAdd, Map.of(), null, false));
        } else {
          objects.addToSecret(owner, secret, toAdd);
        }
      } catch (KubernetesClientException ex) {
        return Outcome.failed(
            Reason.KEYS_CONFLICT,
            "could not write Secret "
                + secretName
                + " (HTTP "
                + ex.getCode()
                + "); will retry with fresh data");
      }
    } else if (secret != null && OwnedObjects.lacksOurMetadata(secret, owner)) {
      // A key Secret made by hand (restored, or seeds brought from nsc) has none of our labels: the
      // informers that the User and Account reconcilers read key Secrets from select on them and
      // would never see it. Labelling it changes no key; if it fails (a concurrent write), the next
      // reconcile tries again.
      try {
        objects.addToSecret(owner, secret, Map.of());
      } catch (KubernetesClientException ex) {
        // keys were read fine; only the labels wait for the next reconcile
      }
    }
    return new Outcome(Map.copyOf(keys), null, null, created, adopting);
  }

  /** Ours (our managed-by label) but written for another resource. */
  static boolean writtenForAnother(Secret secret, Owner owner) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    return labels != null
        && Ownership.MANAGED_BY.equals(labels.get(Ownership.MANAGED_BY_LABEL))
        && !Ownership.isOurs(secret, owner);
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

  /**
   * Reads an entry exactly as stored (creds files end with a newline that is part of the format).
   */
  public static Optional<String> readRaw(Secret secret, String entry) {
    return OwnedObjects.entry(secret, entry);
  }
}
