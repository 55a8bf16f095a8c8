package dev.nats.accounts.app;

import dev.nats.accounts.informers.WatchEventSerialization;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The Kubernetes client the operator runs with: fabric8's, reading watch events in one pass into
 * our classes ({@link WatchEventSerialization}), the largest decoding cost of a busy operator.
 */
public final class OperatorClients {
  private OperatorClients() {}

  public static KubernetesClient build(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withKubernetesSerialization(new WatchEventSerialization(BundledCrds.KINDS))
        .build();
  }
}
