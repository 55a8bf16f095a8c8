package dev.nats.accounts.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.nats.accounts.app.RequiredPermissions.Permission;
import dev.nats.accounts.app.RequiredPermissions.Scope;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What must hold before the operator starts, checked once so that each common first-day mistake
 * ends in one line that says what to do, instead of JOSDK's informers failing with pages of traces:
 * every permission the operator uses (SelfSubjectAccessReview, in the namespaces it will use them
 * in), then the CRDs (present, and the same schema as this build's).
 */
public final class StartupChecks {
  public static final String INSTALL_CRDS =
      "java -jar nats-account-operator.jar crds | kubectl apply --server-side -f -";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private StartupChecks() {}

  /** Permission first: reading the CRDs needs one of them. */
  public static void run(KubernetesClient client, OperatorSettings settings, String identity) {
    rbac(client, settings, identity);
    crds(client);
  }

  /**
   * @throws StartupFailure (RBAC incomplete) listing every missing verb, grouped by resource and
   *     namespace
   */
  public static void rbac(KubernetesClient client, OperatorSettings settings, String identity) {
    List<String> watched =
        settings.watchNamespaces().isEmpty()
            ? List.of("")
            : new ArrayList<>(new TreeSet<>(settings.watchNamespaces()));
    Map<String, List<String>> missing = new LinkedHashMap<>();
    for (Permission p : RequiredPermissions.all()) {
      List<String> namespaces =
          switch (p.scope()) {
            case WATCHED_NAMESPACES -> watched;
            case OPERATOR_NAMESPACES ->
                settings.operatorNamespaces().isEmpty()
                    ? watched
                    : new ArrayList<>(new TreeSet<>(settings.operatorNamespaces()));
            case CLUSTER -> List.of("");
            case LEASE_NAMESPACE ->
                settings.leaderElectionNamespace() == null
                    ? List.<String>of()
                    : List.of(settings.leaderElectionNamespace());
          };
      List<String> names =
          p.resourceNames().isEmpty()
              ? java.util.Collections.singletonList(null)
              : p.resourceNames();
      for (String ns : namespaces) {
        for (String verb : p.verbs()) {
          boolean allowed = names.stream().allMatch(name -> allowed(client, p, verb, ns, name));
          if (!allowed) {
            missing.computeIfAbsent(describe(p, ns), k -> new ArrayList<>()).add(verb);
          }
        }
      }
    }
    if (!missing.isEmpty()) {
      List<String> items = new ArrayList<>();
      missing.forEach((what, verbs) -> items.add(String.join("/", verbs) + " " + what));
      throw new StartupFailure(
          ExitCode.RBAC_INCOMPLETE,
          identity
              + " may not "
              + String.join("; ", items)
              + "; grant what deploy/clusterrole.yaml and deploy/role.yaml grant (kubectl apply -k deploy/, or"
              + " the Helm chart)");
    }
  }

  private static boolean allowed(
      KubernetesClient client, Permission p, String verb, String namespace, String name) {
    String[] parts = p.resource().split("/", 2);
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withResourceAttributes(
                new ResourceAttributesBuilder()
                    .withGroup(p.group())
                    .withResource(parts[0])
                    .withSubresource(parts.length > 1 ? parts[1] : null)
                    .withVerb(verb)
                    .withNamespace(p.scope() == Scope.CLUSTER ? null : namespace)
                    .withName(name)
                    .build())
            .endSpec()
            .build();
    SelfSubjectAccessReview answer =
        client.authorization().v1().selfSubjectAccessReview().create(review);
    return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
  }

  private static String describe(Permission p, String namespace) {
    String resource =
        p.group().isEmpty()
            ? p.resource()
            : p.resource().replaceFirst("^([^/]+)", "$1." + p.group());
    String names = p.resourceNames().isEmpty() ? "" : " " + String.join(",", p.resourceNames());
    String where =
        switch (p.scope()) {
          case CLUSTER -> "";
          case WATCHED_NAMESPACES, OPERATOR_NAMESPACES, LEASE_NAMESPACE ->
              namespace.isEmpty() ? " in all namespaces" : " in " + namespace;
        };
    return resource + names + where;
  }

  /**
   * @throws StartupFailure (CRDs not installed) naming every CRD that is missing or whose served
   *     schema differs from the bundled one, and the command that installs this build's
   */
  public static void crds(KubernetesClient client) {
    List<String> missing = new ArrayList<>();
    List<String> differ = new ArrayList<>();
    for (String name : BundledCrds.names()) {
      GenericKubernetesResource served =
          client
              .genericKubernetesResources("apiextensions.k8s.io/v1", "CustomResourceDefinition")
              .withName(name)
              .get();
      if (served == null) {
        missing.add(name);
        continue;
      }
      String difference =
          difference(bundled(name), JSON.valueToTree(served.getAdditionalProperties().get("spec")));
      if (difference != null) {
        differ.add(name + " (" + difference + ")");
      }
    }
    if (missing.isEmpty() && differ.isEmpty()) {
      return;
    }
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add("CRDs not installed: " + String.join(", ", missing));
    }
    if (!differ.isEmpty()) {
      parts.add("CRDs older or newer than this build: " + String.join(", ", differ));
    }
    throw new StartupFailure(
        ExitCode.CRDS_NOT_INSTALLED,
        String.join("; ", parts) + "; install this build's: " + INSTALL_CRDS);
  }

  private static JsonNode bundled(String name) {
    try {
      return YAML.readTree(BundledCrds.yaml(name)).path("spec");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Where the served CRD spec departs from the bundled one, as a short path, or null. Only what the
   * reconcilers depend on is compared: each version of ours is served, with the same schema and
   * subresources.
   */
  static String difference(JsonNode ours, JsonNode served) {
    for (JsonNode version : ours.path("versions")) {
      String v = version.path("name").asText();
      JsonNode theirs = MissingNode.getInstance();
      for (JsonNode candidate : served.path("versions")) {
        if (candidate.path("name").asText().equals(v)) {
          theirs = candidate;
        }
      }
      if (theirs.isMissingNode() || !theirs.path("served").asBoolean(false)) {
        return "version " + v + " is not served";
      }
      String d =
          firstDifference(
              version.path("schema").path("openAPIV3Schema"),
              theirs.path("schema").path("openAPIV3Schema"),
              "");
      if (d != null) {
        return v + " schema differs at " + d;
      }
      d = firstDifference(version.path("subresources"), theirs.path("subresources"), "");
      if (d != null) {
        return v + " subresources differ at " + d;
      }
    }
    return null;
  }

  /**
   * Structural comparison that ignores what the API server normalises away when it stores a CRD
   * (empty objects and lists, 1 vs 1.0).
   */
  static String firstDifference(JsonNode a, JsonNode b, String path) {
    boolean aEmpty = isEmpty(a);
    boolean bEmpty = isEmpty(b);
    if (aEmpty || bEmpty) {
      return aEmpty == bEmpty
          ? null
          : show(path) + (aEmpty ? " (only on the server)" : " (only in this build)");
    }
    if (a.isObject() && b.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        String d = firstDifference(a.path(k), b.path(k), path + "." + k);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return show(path)
            + " ("
            + b.size()
            + " entries on the server, "
            + a.size()
            + " in this build)";
      }
      Iterator<JsonNode> ia = a.elements();
      Iterator<JsonNode> ib = b.elements();
      for (int i = 0; ia.hasNext(); i++) {
        String d = firstDifference(ia.next(), ib.next(), path + "[" + i + "]");
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0 ? null : show(path);
    }
    return a.equals(b) ? null : show(path);
  }

  private static boolean isEmpty(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() || (n.isContainerNode() && n.isEmpty());
  }

  private static String show(String path) {
    String p = (path + ".").replace(".properties.", ".");
    return p.length() <= 1 ? "the root" : p.substring(1, p.length() - 1);
  }
}
