package dev.nats.accounts.owned;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one writer of the Secrets and ConfigMaps the operator owns (creds, activation tokens, the
 * server config, key Secrets). It creates an object, or updates it only when our labels name the
 * resource the write is for: a Secret someone else made under a name we want is never overwritten,
 * it is a {@link ForeignObjectException} that the resource reports. Writes happen only when the
 * data or our metadata differ, so a resync writes nothing.
 */
public final class OwnedObjects {
  private final KubernetesClient client;

  public OwnedObjects(KubernetesClient client) {
    this.client = client;
  }

  /**
   * An object as its owner wants it.
   *
   * @param data the entries in plain text (Secrets are base64-encoded here, nowhere else)
   * @param labels labels besides the ownership ones (e.g. export and grantee)
   * @param claimsHash what the JWT inside was signed for, or null
   * @param controlled whether the owner controls it (garbage-collected with it); key Secrets are
   *     not
   */
  public record Desired(
      String name,
      Map<String, String> data,
      Map<String, String> labels,
      String claimsHash,
      boolean controlled) {
    public Desired {
      data = Map.copyOf(data);
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
  }

  // ---------------------------------------------------------------- Secrets

  /**
   * The Secret {@code name} in the owner's namespace if it is ours, empty when there is none.
   *
   * @param cached the informer's copy; informers select our label, so a miss is read from the API
   *     once
   * @throws ForeignObjectException when the name is taken by a Secret that is not ours
   */
  public Optional<Secret> ownSecret(Owner owner, String name, Optional<Secret> cached) {
    return own(SECRET, owner, name, cached);
  }

  /**
   * Creates the Secret, or updates ours when its data or our metadata differ; returns it as it now
   * is.
   */
  public Secret applySecret(Owner owner, Desired desired, Optional<Secret> existing) {
    return apply(SECRET, owner, desired, existing);
  }

  /**
   * Creates a new Secret and nothing else: a taken name is the API server's 409, for the caller to
   * report.
   */
  public Secret createSecret(Owner owner, Desired desired) {
    return client.resource(secret(owner, desired)).create();
  }

  /**
   * Adds entries (and our metadata) to an existing Secret, keeping every entry it has, with
   * optimistic locking: a concurrent writer makes this fail instead of losing keys. Only for key
   * Secrets, which are adopted on purpose when made by hand (a restore, seeds brought from nsc).
   */
  public Secret addToSecret(Owner owner, Secret existing, Map<String, String> plain) {
    return changeSecret(owner, existing, plain, java.util.Set.of());
  }

  /**
   * Puts and removes entries of {@code existing} in one update, which fails (409) when the Secret
   * changed since {@code existing} was read: a key moves from one entry to another only as a whole.
   */
  public Secret changeSecret(
      Owner owner, Secret existing, Map<String, String> plain, java.util.Set<String> remove) {
    Secret copy = new SecretBuilder(existing).build();
    withOurMetadata(
        copy,
        owner,
        new Desired(existing.getMetadata().getName(), Map.of(), Map.of(), null, false));
    Map<String, String> data =
        new LinkedHashMap<>(copy.getData() == null ? Map.of() : copy.getData());
    plain.forEach((k, v) -> data.put(k, b64(v)));
    remove.forEach(data::remove);
    copy.setData(data);
    copy.setStringData(null);
    return client.resource(copy).update();
  }

  /** Whether a Secret lacks the labels and annotations that name {@code owner}. */
  public static boolean lacksOurMetadata(Secret s, Owner owner) {
    return !Ownership.carries(
        s, Ownership.labels(owner, Map.of()), Ownership.annotations(owner, null));
  }

  /**
   * A live read of any Secret (one a user names in a spec carries no label an informer could
   * select).
   */
  public Optional<Secret> readSecret(String namespace, String name) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
  }

  /** Deletes the Secret if it is ours; a foreign one or none is left alone. */
  public void deleteSecretIfOurs(Owner owner, String name) {
    readSecret(owner.namespace(), name)
        .filter(s -> Ownership.isOurs(s, owner))
        .ifPresent(s -> client.resource(s).delete());
  }

  /** The Secret as {@link #applySecret} creates it; pure, for tests and renderers. */
  public static Secret secret(Owner owner, Desired d) {
    Secret s =
        new SecretBuilder()
            .withNewMetadata()
            .withName(d.name())
            .withNamespace(owner.namespace())
            .endMetadata()
            .withType("Opaque")
            .withData(encoded(d.data()))
            .build();
    withOurMetadata(s, owner, d);
    return s;
  }

  /** Reads one entry as stored: base64 data, or stringData written by hand. */
  public static Optional<String> entry(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return Optional.of(decoded(secret.getData().get(key)));
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return Optional.of(secret.getStringData().get(key));
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- ConfigMaps

  /** As {@link #ownSecret}, for a ConfigMap. */
  public Optional<ConfigMap> ownConfigMap(Owner owner, String name, Optional<ConfigMap> cached) {
    return own(CONFIG_MAP, owner, name, cached);
  }

  /** As {@link #applySecret}, for a ConfigMap. */
  public ConfigMap applyConfigMap(Owner owner, Desired desired, Optional<ConfigMap> existing) {
    return apply(CONFIG_MAP, owner, desired, existing);
  }

  public static ConfigMap configMap(Owner owner, Desired d) {
    ConfigMap c =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(d.name())
            .withNamespace(owner.namespace())
            .endMetadata()
            .withData(new LinkedHashMap<>(d.data()))
            .build();
    withOurMetadata(c, owner, d);
    return c;
  }

  // ---------------------------------------------------------------- the rules, once

  private <T extends HasMetadata> Optional<T> own(
      Shape<T> shape, Owner owner, String name, Optional<T> cached) {
    Optional<T> found =
        cached.isPresent()
            ? cached
            : Optional.ofNullable(shape.get(client, owner.namespace(), name));
    found
        .filter(o -> !Ownership.isOurs(o, owner))
        .ifPresent(
            o -> {
              throw new ForeignObjectException(shape.kind(), owner.namespace(), name, owner);
            });
    return found;
  }

  private <T extends HasMetadata> T apply(
      Shape<T> shape, Owner owner, Desired d, Optional<T> existing) {
    T current = existing.orElse(null);
    if (current == null) {
      try {
        return client.resource(shape.build(owner, d)).create();
      } catch (KubernetesClientException e) {
        current = e.getCode() == 409 ? shape.get(client, owner.namespace(), d.name()) : null;
        if (current == null) {
          throw e;
        }
      }
    }
    if (!Ownership.isOurs(current, owner)) {
      throw new ForeignObjectException(shape.kind(), owner.namespace(), d.name(), owner);
    }
    if (d.data().equals(shape.plainData(current)) && carriesOurMetadata(current, owner, d)) {
      return current;
    }
    T next = shape.withData(current, d.data());
    withOurMetadata(next, owner, d);
    return client
        .resource(next)
        .update(); // carries the resourceVersion read: a concurrent change is a 409
  }

  private static boolean carriesOurMetadata(HasMetadata o, Owner owner, Desired d) {
    return Ownership.carries(
            o, Ownership.labels(owner, d.labels()), Ownership.annotations(owner, d.claimsHash()))
        && (!d.controlled() || references(o, owner));
  }

  private static boolean references(HasMetadata o, Owner owner) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream().anyMatch(r -> owner.uid() != null && owner.uid().equals(r.getUid()));
  }

  /**
   * Puts our labels, annotations and (if controlled) owner reference on {@code o}, keeping
   * everything else it has.
   */
  private static void withOurMetadata(HasMetadata o, Owner owner, Desired d) {
    Map<String, String> labels =
        new LinkedHashMap<>(
            o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels());
    labels.putAll(Ownership.labels(owner, d.labels()));
    o.getMetadata().setLabels(labels);
    Map<String, String> notes =
        new LinkedHashMap<>(
            o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations());
    notes.putAll(Ownership.annotations(owner, d.claimsHash()));
    o.getMetadata().setAnnotations(notes);
    if (d.controlled() && !references(o, owner)) {
      List<OwnerReference> refs =
          new ArrayList<>(
              o.getMetadata().getOwnerReferences() == null
                  ? List.of()
                  : o.getMetadata().getOwnerReferences());
      refs.add(Ownership.controllerReference(owner));
      o.getMetadata().setOwnerReferences(refs);
    }
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String decoded(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  /** Base64 entries in key order, so the same data always renders the same object. */
  private static Map<String, String> encoded(Map<String, String> plain) {
    Map<String, String> out = new LinkedHashMap<>();
    plain.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.put(e.getKey(), b64(e.getValue())));
    return out;
  }

  /** What differs between a Secret and a ConfigMap for the rules above: how data is stored. */
  private record Shape<T extends HasMetadata>(
      String kind,
      Class<T> type,
      java.util.function.BiFunction<Owner, Desired, T> builder,
      Function<T, Map<String, String>> plain,
      java.util.function.BiFunction<T, Map<String, String>, T> replacer) {

    T get(KubernetesClient client, String namespace, String name) {
      return client.resources(type).inNamespace(namespace).withName(name).get();
    }

    T build(Owner owner, Desired d) {
      return builder.apply(owner, d);
    }

    Map<String, String> plainData(T t) {
      return plain.apply(t);
    }

    T withData(T t, Map<String, String> data) {
      return replacer.apply(t, data);
    }
  }

  private static final Shape<Secret> SECRET =
      new Shape<>(
          "Secret",
          Secret.class,
          OwnedObjects::secret,
          s -> {
            if (s.getStringData() != null && !s.getStringData().isEmpty()) {
              return null; // hand-written stringData: rewrite as data
            }
            Map<String, String> out = new LinkedHashMap<>();
            (s.getData() == null ? Map.<String, String>of() : s.getData())
                .forEach((k, v) -> out.put(k, decoded(v)));
            return out;
          },
          (s, data) -> new SecretBuilder(s).withData(encoded(data)).withStringData(null).build());

  private static final Shape<ConfigMap> CONFIG_MAP =
      new Shape<>(
          "ConfigMap",
          ConfigMap.class,
          OwnedObjects::configMap,
          c -> c.getData() == null ? Map.of() : c.getData(),
          (c, data) -> new ConfigMapBuilder(c).withData(new LinkedHashMap<>(data)).build());
}
