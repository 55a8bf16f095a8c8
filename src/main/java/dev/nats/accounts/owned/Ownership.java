package dev.nats.accounts.owned;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The labels and annotations that say an object is the operator's and for which resource. Informers
 * select on the managed-by label; secondary-to-primary mappers read kind and owner back; writers
 * update an object only when they name the resource the write is for.
 */
public final class Ownership {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "nats-account-operator";

  /** The label selector of every informer over objects the operator writes. */
  public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;

  public static final String KIND_LABEL = "accounts.nats.dev/key-owner-kind";
  public static final String OWNER_LABEL = "accounts.nats.dev/key-owner";

  /** The owner's name, always: label values stop at 63 characters, object names at 253. */
  public static final String OWNER_ANNOTATION = "accounts.nats.dev/owner";

  /**
   * Which claims (and signer) the JWT in an object was signed for, so an unchanged one is not
   * signed again.
   */
  public static final String CLAIMS_HASH_ANNOTATION = "accounts.nats.dev/claims-hash";

  static final int MAX_LABEL_VALUE = 63;

  private Ownership() {}

  /**
   * managed-by, kind and owner, plus {@code extra}; a value too long for a label is left out (the
   * annotation keeps the owner).
   */
  public static Map<String, String> labels(Owner owner, Map<String, String> extra) {
    Map<String, String> out = new LinkedHashMap<>();
    (extra == null ? Map.<String, String>of() : extra).forEach((k, v) -> putLabel(out, k, v));
    putLabel(out, KIND_LABEL, owner.kind());
    putLabel(out, OWNER_LABEL, owner.name());
    out.put(MANAGED_BY_LABEL, MANAGED_BY);
    return out;
  }

  private static void putLabel(Map<String, String> labels, String key, String value) {
    if (value != null && value.length() <= MAX_LABEL_VALUE) {
      labels.put(key, value);
    }
  }

  /** The owner annotation, and the claims hash when there is one. */
  public static Map<String, String> annotations(Owner owner, String claimsHash) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(OWNER_ANNOTATION, owner.name());
    if (claimsHash != null) {
      out.put(CLAIMS_HASH_ANNOTATION, claimsHash);
    }
    return out;
  }

  /**
   * A controller reference with blockOwnerDeletion: removed with its owner, and foreground deletion
   * waits for it.
   */
  public static OwnerReference controllerReference(Owner owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.apiVersion())
        .withKind(owner.kind())
        .withName(owner.name())
        .withUid(owner.uid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The name of the resource an object was written for: the annotation, else the label. */
  public static String ownerOf(HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    if (a != null && a.get(OWNER_ANNOTATION) != null) {
      return a.get(OWNER_ANNOTATION);
    }
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? null : l.get(OWNER_LABEL);
  }

  /** The kind of that resource, from our label ("" when absent). */
  public static String ownerKindOf(HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? "" : l.getOrDefault(KIND_LABEL, "");
  }

  /**
   * Whether {@code o} is the operator's object for {@code owner}. A missing kind label is accepted:
   * server-config ConfigMaps written before the label existed carry only the owner.
   */
  public static boolean isOurs(HasMetadata o, Owner owner) {
    Map<String, String> l = o.getMetadata().getLabels();
    String kind = ownerKindOf(o);
    return l != null
        && MANAGED_BY.equals(l.get(MANAGED_BY_LABEL))
        && owner.name().equals(ownerOf(o))
        && (kind.isEmpty() || kind.equals(owner.kind()));
  }

  /** The claims hash the object's JWT was signed for, or null. */
  public static String claimsHash(HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(CLAIMS_HASH_ANNOTATION);
  }

  /** Whether {@code o} already carries every label and annotation given. */
  static boolean carries(
      HasMetadata o, Map<String, String> labels, Map<String, String> annotations) {
    return contains(o.getMetadata().getLabels(), labels)
        && contains(o.getMetadata().getAnnotations(), annotations);
  }

  private static boolean contains(Map<String, String> have, Map<String, String> want) {
    Map<String, String> h = have == null ? Map.of() : have;
    return want.entrySet().stream().allMatch(e -> Objects.equals(h.get(e.getKey()), e.getValue()));
  }
}
