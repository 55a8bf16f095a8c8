package dev.nats.accounts.app;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Every API permission the operator process uses, in one list: the start-up check asks the API
 * server about each (SelfSubjectAccessReview), and PackagingConsistencyTest holds deploy/ and the
 * chart's ClusterRole to exactly these, so a verb added to the code but not to the roles fails a
 * test instead of a cluster.
 */
public final class RequiredPermissions {
  /** Where a permission is needed, which decides the namespace(s) it is checked in. */
  public enum Scope {
    /**
     * In every watched namespace (all namespaces when none are set): the reconciled resources and
     * their Secrets.
     */
    WATCHED_NAMESPACES,
    /** Cluster-scoped resources. */
    CLUSTER,
    /** In LEADER_ELECTION_NAMESPACE, only when leader election is on. */
    LEASE_NAMESPACE
  }

  /**
   * @param resource plural, with {@code /subresource} where it applies
   * @param resourceNames when not empty, the permission is needed (and granted) for these names
   *     only
   */
  public record Permission(
      String group,
      String resource,
      List<String> verbs,
      Scope scope,
      List<String> resourceNames,
      String why) {}

  private RequiredPermissions() {}

  public static List<Permission> all() {
    List<Permission> out = new ArrayList<>();
    out.add(
        new Permission(
            "",
            "secrets",
            List.of("get", "list", "watch", "create", "update", "delete"),
            Scope.WATCHED_NAMESPACES,
            List.of(),
            "key, creds and activation Secrets; watched to notice a lost seed"));
    out.add(
        new Permission(
            "",
            "configmaps",
            List.of("get", "list", "watch", "create", "update"),
            Scope.WATCHED_NAMESPACES,
            List.of(),
            "<operator>-server-config, included by nats-server"));
    out.add(
        new Permission(
            "",
            "events",
            List.of("get", "create", "update"),
            Scope.WATCHED_NAMESPACES,
            List.of(),
            "Events on the resources; repeats bump the count"));
    out.add(
        new Permission(
            "",
            "namespaces",
            List.of("get", "list", "watch"),
            Scope.CLUSTER,
            List.of(),
            "Operator.spec.accountNamespaces.selector matches namespace labels"));
    out.add(
        new Permission(
            "coordination.k8s.io",
            "leases",
            List.of("get", "create", "update"),
            Scope.LEASE_NAMESPACE,
            List.of(),
            "leader election"));
    out.add(
        new Permission(
            "apiextensions.k8s.io",
            "customresourcedefinitions",
            List.of("get"),
            Scope.CLUSTER,
            BundledCrds.names(),
            "the start-up check compares the served CRDs with this build's"));
    for (Class<? extends HasMetadata> kind : BundledCrds.KINDS) {
      String group = HasMetadata.getGroup(kind);
      String plural = HasMetadata.getPlural(kind);
      out.add(
          new Permission(
              group,
              plural,
              List.of("get", "list", "watch", "patch", "update"),
              Scope.WATCHED_NAMESPACES,
              List.of(),
              "reconcile; finalizers"));
      out.add(
          new Permission(
              group,
              plural + "/status",
              List.of("patch", "update"),
              Scope.WATCHED_NAMESPACES,
              List.of(),
              "status"));
      out.add(
          new Permission(
              group,
              plural + "/finalizers",
              List.of("patch", "update"),
              Scope.WATCHED_NAMESPACES,
              List.of(),
              "owner references with blockOwnerDeletion"));
    }
    return out;
  }
}
