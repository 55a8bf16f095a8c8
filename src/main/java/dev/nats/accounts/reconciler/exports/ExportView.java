package dev.nats.accounts.reconciler.exports;

import dev.nats.accounts.api.v1alpha1.ExportSpec;
import dev.nats.accounts.api.v1alpha1.ExportStatus;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.reconciler.ResourceRef;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * ServiceExport and StreamExport seen alike: they differ only in a few service-only fields, and
 * every rule (grants, containment, overlap) treats them the same way.
 */
public record ExportView(
    ExportType type,
    String namespace,
    String name,
    String uid,
    ExportSpec spec,
    ExportStatus status,
    CustomResource<?, ?> resource) {

  public static ExportView of(ServiceExport e) {
    return new ExportView(
        ExportType.SERVICE,
        e.getMetadata().getNamespace(),
        e.getMetadata().getName(),
        e.getMetadata().getUid(),
        e.getSpec(),
        e.getStatus(),
        e);
  }

  public static ExportView of(StreamExport e) {
    return new ExportView(
        ExportType.STREAM,
        e.getMetadata().getNamespace(),
        e.getMetadata().getName(),
        e.getMetadata().getUid(),
        e.getSpec(),
        e.getStatus(),
        e);
  }

  public String kind() {
    return type == ExportType.SERVICE ? "ServiceExport" : "StreamExport";
  }

  /** The type as the account JWT and the stored revocations name it. */
  public String typeName() {
    return type.json();
  }

  public String accountName() {
    return spec == null || spec.getAccountRef() == null ? null : spec.getAccountRef().getName();
  }

  public boolean isPrivate() {
    return spec != null && Boolean.TRUE.equals(spec.getPrivate());
  }

  public int accountTokenPosition() {
    return spec == null || spec.getAccountTokenPosition() == null
        ? 0
        : spec.getAccountTokenPosition();
  }

  /** namespace/name, as messages show it. */
  public String ref() {
    return namespace + "/" + name;
  }

  /** "Kind namespace/name", as status and messages name it. */
  public ResourceRef id() {
    return new ResourceRef(kind(), namespace, name);
  }
}
