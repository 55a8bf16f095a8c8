package dev.nats.accounts.activation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.api.v1alpha1.ExportStatus;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.informers.CachedCopies;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.owned.Ownership;
import dev.nats.accounts.reconciler.ReconcilerSettings;
import dev.nats.accounts.reconciler.exports.Grants;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves the activation tokens the operator minted at {@code GET /jwt/v1/activations/<hash id>},
 * the path of the old nats-account-server, so {@code nsc add import --token <url>}, scripts and
 * importers in other clusters can fetch a grant's current token (renewals included) from one stable
 * URL.
 *
 * <p>Fed by informers of its own, not the reconcilers': every replica serves, the standby too (the
 * Service may route to it), and no request reads the API server. Events only mark the index stale;
 * the next request rebuilds it once.
 */
public final class TokenServer implements AutoCloseable {
  private final HttpServer http;
  private final TokenIndex index = new TokenIndex();
  private final AtomicBoolean stale = new AtomicBoolean(true);
  private final List<SharedIndexInformer<? extends CustomResource<?, ?>>> exports =
      new ArrayList<>();
  private final List<SharedIndexInformer<Secret>> secrets = new ArrayList<>();

  private TokenServer(HttpServer http) {
    this.http = http;
  }

  /**
   * Watches exports and their token Secrets in {@code namespaces} (all when empty) and serves on
   * {@code port}.
   */
  public static TokenServer start(KubernetesClient client, int port, Set<String> namespaces) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind activation token port " + port, e);
    }
    TokenServer s = new TokenServer(http);
    ResourceEventHandler<HasMetadata> stale =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(HasMetadata obj) {
            s.stale.set(true);
          }

          @Override
          public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
            s.stale.set(true);
          }

          @Override
          public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
            s.stale.set(true);
          }
        };
    for (String ns : namespaces.isEmpty() ? Set.<String>of("") : namespaces) {
      String where = ns.isEmpty() ? null : ns;
      s.exports.add(inform(client, ServiceExport.class, where, stale));
      s.exports.add(inform(client, StreamExport.class, where, stale));
      s.secrets.add(informSecrets(client, where, stale));
    }
    http.createContext(ReconcilerSettings.ACTIVATIONS_PATH, s::handle);
    http.start();
    return s;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T extends CustomResource<?, ?>> SharedIndexInformer<T> inform(
      KubernetesClient client,
      Class<T> kind,
      String namespace,
      ResourceEventHandler<HasMetadata> handler) {
    SharedIndexInformer<T> i =
        namespace == null
            ? client.resources(kind).inAnyNamespace().runnableInformer(0)
            : client.resources(kind).inNamespace(namespace).runnableInformer(0);
    i.itemStore(CachedCopies.store());
    i.addEventHandler((ResourceEventHandler) handler);
    i.start();
    return i;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static SharedIndexInformer<Secret> informSecrets(
      KubernetesClient client, String namespace, ResourceEventHandler<HasMetadata> handler) {
    var secrets =
        namespace == null
            ? client.secrets().inAnyNamespace()
            : client.secrets().inNamespace(namespace);
    SharedIndexInformer<Secret> i =
        secrets
            .withLabel(Ownership.MANAGED_BY_LABEL, Ownership.MANAGED_BY)
            .withLabel(Grants.EXPORT_LABEL)
            .runnableInformer(0)
            .itemStore(CachedCopies.store());
    i.addEventHandler((ResourceEventHandler) handler);
    i.start();
    return i;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** The token at this hash ID now, as a request would get it. */
  public Optional<String> token(String hashId) {
    if (stale.getAndSet(false)) {
      rebuild();
    }
    return index.token(hashId);
  }

  private synchronized void rebuild() {
    List<TokenIndex.Listed> listed = new ArrayList<>();
    for (SharedIndexInformer<? extends CustomResource<?, ?>> i : exports) {
      for (CustomResource<?, ?> e : i.getStore().list()) {
        if (e.getStatus() instanceof ExportStatus st && st.getActivations() != null) {
          for (ActivationStatus a : st.getActivations()) {
            listed.add(
                new TokenIndex.Listed(
                    e.getMetadata().getNamespace(), a.getPublicKey(), a.getSecretName()));
          }
        }
      }
    }
    List<TokenIndex.Stored> stored = new ArrayList<>();
    for (SharedIndexInformer<Secret> i : secrets) {
      for (Secret s : i.getStore().list()) {
        stored.add(
            new TokenIndex.Stored(
                s.getMetadata().getNamespace(),
                s.getMetadata().getName(),
                KeySecrets.read(s, Grants.TOKEN_KEY).orElse(null)));
      }
    }
    index.rebuild(listed, stored);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(ex, 405, "only GET\n", "text/plain; charset=utf-8");
        return;
      }
      String hash =
          ex.getRequestURI().getPath().substring(ReconcilerSettings.ACTIVATIONS_PATH.length());
      Optional<String> token =
          hash.isEmpty() || hash.contains("/") ? Optional.empty() : token(hash);
      if (token.isEmpty()) {
        respond(ex, 404, "no activation token at this hash ID\n", "text/plain; charset=utf-8");
      } else {
        respond(ex, 200, token.get(), "application/jwt");
      }
    }
  }

  private static void respond(HttpExchange ex, int code, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(code, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
    exports.forEach(SharedIndexInformer::close);
    secrets.forEach(SharedIndexInformer::close);
  }
}
