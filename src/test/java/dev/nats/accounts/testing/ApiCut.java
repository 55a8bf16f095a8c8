package dev.nats.accounts.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A kill switch for one operator's view of the API server: once cut, every request it makes goes to
 * a port nothing listens on. Cut, then stopped, an operator process is as good as killed: it can
 * neither write what it was writing nor release its Lease.
 */
public final class ApiCut implements Interceptor {
  private final AtomicBoolean cut = new AtomicBoolean();
  private final AtomicReference<Predicate<HttpRequest>> trigger = new AtomicReference<>();

  /** A client like {@code client} that this switch can cut off. */
  public KubernetesClient client(KubernetesClient client) {
    return Intercepted.client(client.getConfiguration(), "api-cut", this);
  }

  public void cut() {
    cut.set(true);
  }

  /**
   * Cuts the API off the moment a request that {@code when} matches has succeeded: the operator
   * dies right after that write, before whatever it meant to write next.
   */
  public void cutAfter(Predicate<HttpRequest> when) {
    trigger.set(when);
  }

  public boolean isCut() {
    return cut.get();
  }

  /** The API back, as for a new operator process. */
  public void restore() {
    trigger.set(null);
    cut.set(false);
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    Predicate<HttpRequest> when = trigger.get();
    if (when != null && response.isSuccessful() && when.test(request)) {
      cut.set(true);
    }
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (cut.get()) {
      builder.uri(URI.create("http://127.0.0.1:1" + request.uri().getRawPath()));
    }
  }
}
