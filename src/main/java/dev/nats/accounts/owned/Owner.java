package dev.nats.accounts.owned;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The resource an operator-written object belongs to. Objects live in their owner's namespace; kind
 * and name are what our labels and annotations record, the uid what an owner reference needs.
 */
public record Owner(String apiVersion, String kind, String namespace, String name, String uid) {

  public static Owner of(HasMetadata r) {
    return new Owner(
        r.getApiVersion(),
        r.getKind(),
        r.getMetadata().getNamespace(),
        r.getMetadata().getName(),
        r.getMetadata().getUid());
  }

  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }
}
