package dev.nats.accounts.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;

/**
 * Copies a resource through Jackson's token buffer rather than JSON text. JOSDK copies every
 * resource it hands to a reconcile (so that a reconcile never changes the cached one); its default
 * writes the resource out as a string and parses it back, which bench/scale measured at 5.5% of the
 * operator's CPU. The token buffer skips the text: the same serializers and deserializers, so the
 * same copy, in about half the time.
 */
public final class BufferedCloner implements Cloner {
  private final KubernetesSerialization serialization;

  public BufferedCloner(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> R clone(R resource) {
    return (R) serialization.convertValue(resource, resource.getClass());
  }
}
