package dev.nats.accounts.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A kill switch for one operator's view of the API server: once cut, every request it makes goes to
 * a port nothing listens on. Cut, then stopped, an operator process is as good as killed: it can
 * neither write what it was writing nor release its Lease.
 */
public final class ApiCut implements Interceptor {
  private final AtomicBoolean cut = new AtomicBoolean();

  /** A client like {@code client} that this switch can cut off. */
  public KubernetesClient client(KubernetesClient client) {
    return Intercepted.client(client.getConfiguration(), "api-cut", this);
  }

  public void cut() {
    cut.set(true);
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (cut.get()) {
      builder.uri(URI.create("http://127.0.0.1:1" + request.uri().getRawPath()));
    }
  }
}
