package dev.nats.accounts.app;

import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.User;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Every API permission the operator process uses, in one list: the start-up check asks the API
 * server about each (SelfSubjectAccessReview), PackagingConsistencyTest holds deploy/ and the
 * chart's ClusterRole (and the Lease Role in the operator's namespace) to exactly these, and
 * RbacDerivedFromCodeApiServerTest holds these to the requests the running code makes, so a verb
 * added to the code but not here fails a test instead of a cluster, and one no longer used fails
 * too.
 */
public final class RequiredPermissions {
  /** Where a permission is needed, which decides the namespace(s) it is checked in. */
  public enum Scope {
    /**
     * In every watched namespace (all namespaces when none are set): the reconciled resources and
     * their Secrets.
     */
    WATCHED_NAMESPACES,
    /**
     * Where Operators are reconciled: in each of OPERATOR_NAMESPACES when it is set (a Role there),
     * else as {@link #WATCHED_NAMESPACES} (the ClusterRole). Only the server-config ConfigMaps:
     * what else an Operator needs (its Secrets, Events) is shared with the other kinds.
     */
    OPERATOR_NAMESPACES,
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
            Scope.OPERATOR_NAMESPACES,
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
            List.of("list", "watch"),
            Scope.CLUSTER,
            List.of(),
            "Operator.spec.accountNamespaces.selector matches namespace labels (from an informer)"));
    out.add(
        new Permission(
            "coordination.k8s.io",
            "leases",
            List.of("create"),
            Scope.LEASE_NAMESPACE,
            List.of(),
            "leader election: the first replica creates the Lease (a create names no object)"));
    out.add(
        new Permission(
            "coordination.k8s.io",
            "leases",
            List.of("get", "update", "patch"),
            Scope.LEASE_NAMESPACE,
            List.of(OperatorSettings.LEASE_NAME),
            "leader election: fabric8 renews and takes over with a merge patch, the release on stop"
                + " is an update"));
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
              List.of("get", "list", "watch", "patch"),
              Scope.WATCHED_NAMESPACES,
              List.of(),
              "reconcile; JOSDK adds and removes our finalizer with a patch"));
      out.add(
          new Permission(
              group,
              plural + "/status",
              List.of("patch"),
              Scope.WATCHED_NAMESPACES,
              List.of(),
              "status (a JSON patch)"));
      if (BLOCKING_OWNERS.contains(kind)) {
        out.add(
            new Permission(
                group,
                plural + "/finalizers",
                List.of("update"),
                Scope.WATCHED_NAMESPACES,
                List.of(),
                "the Secrets and ConfigMaps written for it carry a controller reference with"
                    + " blockOwnerDeletion, which the OwnerReferencesPermissionEnforcement admission"
                    + " plugin allows only a writer who may update the owner's finalizers"));
      }
    }
    return out;
  }

  /**
   * The kinds whose Secrets or ConfigMaps the operator writes with a controller reference (creds,
   * activation tokens, server-config, the system account's); Account keys are kept without one, so
   * that deletionPolicy Retain can keep them, and imports write nothing.
   */
  static final List<Class<? extends HasMetadata>> BLOCKING_OWNERS =
      List.of(Operator.class, User.class, ServiceExport.class, StreamExport.class);
}
