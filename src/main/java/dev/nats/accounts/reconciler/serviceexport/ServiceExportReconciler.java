package dev.nats.accounts.reconciler.serviceexport;

import dev.nats.accounts.api.v1alpha1.ExportStatus;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceExportStatus;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.exports.ExportReconciler;
import dev.nats.accounts.reconciler.exports.ExportView;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;

/**
 * ServiceExport: the shared export rules, bound to its kind (JOSDK reads the kind from this class's
 * interfaces).
 */
@ControllerConfiguration(name = "serviceexport")
public final class ServiceExportReconciler extends ExportReconciler<ServiceExport>
    implements Reconciler<ServiceExport>, Cleaner<ServiceExport> {

  public ServiceExportReconciler(Services services) {
    super(services, ServiceExport.class, ExportView::of, ServiceExportStatus::new);
  }

  @Override
  protected void setStatus(ServiceExport export, ExportStatus status) {
    export.setStatus((ServiceExportStatus) status);
  }
}
