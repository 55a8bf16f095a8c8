package dev.nats.accounts.reconciler.imports;

import dev.nats.accounts.api.v1alpha1.ImportSpec;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.ServiceImportSpec;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.reconciler.ResourceRef;

/** ServiceImport and StreamImport seen alike. */
public record ImportView(ExportType type, String namespace, String name, ImportSpec spec) {

  public static ImportView of(ServiceImport i) {
    return new ImportView(
        ExportType.SERVICE, i.getMetadata().getNamespace(), i.getMetadata().getName(), i.getSpec());
  }

  public static ImportView of(StreamImport i) {
    return new ImportView(
        ExportType.STREAM, i.getMetadata().getNamespace(), i.getMetadata().getName(), i.getSpec());
  }

  public String kind() {
    return type == ExportType.SERVICE ? "ServiceImport" : "StreamImport";
  }

  public String accountName() {
    return spec == null || spec.getAccountRef() == null ? null : spec.getAccountRef().getName();
  }

  public boolean share() {
    return spec instanceof ServiceImportSpec s && Boolean.TRUE.equals(s.getShare());
  }

  /** "Kind namespace/name", as status summaries and messages name it. */
  public ResourceRef id() {
    return new ResourceRef(kind(), namespace, name);
  }
}
