package dev.nats.accounts.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers the first request of every write path (method and URL path: each object, each
 * subresource) with 409 Conflict, as an API server does when another writer got there first; the
 * request is diverted to a path where the mock server answers nothing else. What the operator does
 * next is its own retry logic, run for real.
 */
public final class ConflictInjector implements Interceptor {
  private static final String DIVERTED = "/conflict-injected";
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final Set<String> conflicted = ConcurrentHashMap.newKeySet();

  private ConflictInjector() {}

  /**
   * A client for the operator that meets a 409 on each write path's first request; {@code server}
   * answers the diverted requests.
   */
  public static ConflictInjector on(KubernetesMockServer server) {
    String body =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Conflict\","
            + "\"code\":409,\"message\":\"injected: the object has been modified; please apply"
            + " your changes to the latest version and try again\"}";
    server.expect().post().withPath(DIVERTED).andReturn(409, body).always();
    server.expect().put().withPath(DIVERTED).andReturn(409, body).always();
    server.expect().patch().withPath(DIVERTED).andReturn(409, body).always();
    server.expect().delete().withPath(DIVERTED).andReturn(409, body).always();
    return new ConflictInjector();
  }

  /** A client like {@code client} whose writes go through this injector. */
  public KubernetesClient client(KubernetesClient client) {
    return Intercepted.client(client.getConfiguration(), "conflicts", this);
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!WRITES.contains(request.method())) {
      return;
    }
    String path = request.uri().getPath();
    if (conflicted.add(request.method() + " " + path)) {
      URI uri = request.uri();
      builder.uri(URI.create(uri.getScheme() + "://" + uri.getAuthority() + DIVERTED));
    }
  }

  /** Every write path that met its 409, as "METHOD /path". */
  public SortedSet<String> conflicted() {
    return new TreeSet<>(conflicted);
  }
}
