package dev.nats.accounts.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;

/**
 * A client whose every request passes through an interceptor: how tests record what the operator
 * asks of the API server, or make it meet conflicts and outages, without changing the operator.
 */
public final class Intercepted {
  private Intercepted() {}

  public static KubernetesClient client(Config config, String name, Interceptor interceptor) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(name, interceptor))
        .build();
  }
}
