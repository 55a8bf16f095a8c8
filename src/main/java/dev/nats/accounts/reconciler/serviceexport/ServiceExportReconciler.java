package dev.nats.accounts.reconciler.serviceexport;

import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceExportStatus;
import dev.nats.accounts.api.v1alpha1.ExportStatus;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.exports.ExportReconciler;
import dev.nats.accounts.reconciler.exports.ExportView;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/** ServiceExport: the shared export rules, bound to its kind. */
@ControllerConfiguration(name = "serviceexport")
public final class ServiceExportReconciler extends ExportReconciler<ServiceExport>
    implements Reconciler<ServiceExport>, Cleaner<ServiceExport> {

  public ServiceExportReconciler(Services services) {
    super(services, ServiceExport.class, ExportView::of, ServiceExportStatus::new);
  }

  @Override
  public List<EventSource<?, ServiceExport>> prepareEventSources(EventSourceContext<ServiceExport> context) {
    return super.prepareEventSources(context);
  }

  @Override
  public UpdateControl<ServiceExport> reconcile(ServiceExport export, Context<ServiceExport> context) {
    return super.reconcile(export, context);
  }

  @Override
  public DeleteControl cleanup(ServiceExport export, Context<ServiceExport> context) {
    return super.cleanup(export, context);
  }

  @Override
  protected void setStatus(ServiceExport export, ExportStatus status) {
    export.setStatus((ServiceExportStatus) status);
  }
}
