package dev.nats.accounts.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.app.BundledCrds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Records every request a client makes as the RBAC authorizer sees it (API group, resource with
 * subresource, verb, namespace, name), so the permissions the operator needs are read off its own
 * traffic instead of a list someone keeps by hand. A fabric8 interceptor sees the requests of
 * informers (list, then watch), JOSDK (status, finalizers, the Lease) and our own writes alike.
 *
 * <p>One permission is checked without a request of its own: the
 * OwnerReferencesPermissionEnforcement admission plugin asks, for every new owner reference with
 * blockOwnerDeletion, whether the writer may update the owner's {@code finalizers} subresource. The
 * recorder reads it off the bodies of the creates and updates that carry such a reference.
 */
public final class ApiRequestRecorder implements Interceptor {
  /**
   * One authorization request.
   *
   * @param resource plural, with {@code /subresource} where there is one
   * @param namespace null for a cluster-scoped resource or a request across all namespaces
   * @param name null for a request on a collection
   * @param admission true when no request of its own carries it (see the class comment)
   */
  public record Access(
      String group,
      String resource,
      String verb,
      String namespace,
      String name,
      boolean admission) {
    @Override
    public String toString() {
      return (group.isEmpty() ? "core" : group)
          + " "
          + resource
          + " "
          + verb
          + (namespace == null ? " (cluster-wide)" : " in " + namespace)
          + (name == null ? "" : " name " + name)
          + (admission ? " (admission check)" : "");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> PLURALS =
      BundledCrds.KINDS.stream()
          .collect(
              Collectors.toMap(
                  k -> HasMetadata.getApiVersion(k) + "/" + HasMetadata.getKind(k),
                  HasMetadata::getPlural));

  private final Set<Access> accesses = ConcurrentHashMap.newKeySet();
  private final Set<String> nonResource = ConcurrentHashMap.newKeySet();

  /** A client for {@code config} whose every request is recorded here. */
  public KubernetesClient client(Config config) {
    return Intercepted.client(config, "rbac-recorder", this);
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String method = request.method() == null ? "GET" : request.method();
    Optional<Access> access = access(method, request.uri());
    if (access.isEmpty()) {
      nonResource.add(request.uri().getRawPath());
      return;
    }
    accesses.add(access.get());
    if (method.equals("POST") || method.equals("PUT")) {
      blockingOwners(access.get().namespace(), request.bodyString()).forEach(accesses::add);
    }
  }

  public Set<Access> accesses() {
    return Set.copyOf(accesses);
  }

  /** Paths outside /api and /apis (/version, discovery), which RBAC grants as non-resource URLs. */
  public Set<String> nonResourcePaths() {
    return new TreeSet<>(nonResource);
  }

  /**
   * The request as the authorizer names it; empty for a non-resource URL. A GET names {@code get}
   * on one object, {@code list} on a collection, {@code watch} with {@code ?watch=true}; a DELETE
   * on a collection is {@code deletecollection}.
   */
  static Optional<Access> access(String method, URI uri) {
    List<String> p =
        Arrays.stream(uri.getRawPath().split("/"))
            .filter(s -> !s.isEmpty())
            .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
            .toList();
    int i;
    String group;
    if (p.size() >= 3 && p.get(0).equals("api")) {
      group = "";
      i = 2;
    } else if (p.size() >= 4 && p.get(0).equals("apis")) {
      group = p.get(1);
      i = 3;
    } else {
      return Optional.empty();
    }
    String namespace = null;
    if (p.get(i).equals("namespaces") && p.size() - i >= 3) {
      namespace = p.get(i + 1);
      i += 2;
    }
    String resource = p.get(i);
    String name = p.size() > i + 1 ? p.get(i + 1) : null;
    if (p.size() > i + 2) {
      resource = resource + "/" + p.get(i + 2);
    }
    if (group.isEmpty() && resource.equals("namespaces") && name != null) {
      namespace = null; // a Namespace object is cluster-scoped
    }
    boolean watch =
        uri.getRawQuery() != null
            && Arrays.asList(uri.getRawQuery().split("&")).contains("watch=true");
    String verb =
        switch (method) {
          case "GET" -> name != null ? "get" : watch ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name != null ? "delete" : "deletecollection";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return Optional.of(new Access(group, resource, verb, namespace, name, false));
  }

  /**
   * The owners whose finalizers the admission plugin asks about: our kinds referenced with
   * blockOwnerDeletion in the object written.
   */
  static List<Access> blockingOwners(String namespace, String body) {
    if (body == null || !body.contains("blockOwnerDeletion")) {
      return List.of();
    }
    try {
      JsonNode refs = JSON.readTree(body).path("metadata").path("ownerReferences");
      return java.util.stream.StreamSupport.stream(refs.spliterator(), false)
          .filter(r -> r.path("blockOwnerDeletion").asBoolean(false))
          .map(
              r -> {
                String apiVersion = r.path("apiVersion").asText();
                String plural = PLURALS.get(apiVersion + "/" + r.path("kind").asText());
                if (plural == null) {
                  throw new IllegalStateException("an owner of a kind we do not ship: " + r);
                }
                return new Access(
                    apiVersion.substring(0, apiVersion.indexOf('/')),
                    plural + "/finalizers",
                    "update",
                    namespace,
                    r.path("name").asText(),
                    true);
              })
          .toList();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a write whose body is not JSON: " + body, e);
    }
  }
}
