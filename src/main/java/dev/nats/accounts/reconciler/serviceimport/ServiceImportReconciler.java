package dev.nats.accounts.reconciler.serviceimport;

import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.ServiceImportStatus;
import dev.nats.accounts.api.v1alpha1.ImportStatus;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.imports.ImportReconciler;
import dev.nats.accounts.reconciler.imports.ImportView;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/** ServiceImport: the shared import rules, bound to its kind. */
@ControllerConfiguration(name = "serviceimport")
public final class ServiceImportReconciler extends ImportReconciler<ServiceImport> implements Reconciler<ServiceImport> {

  public ServiceImportReconciler(Services services) {
    super(services, ServiceImport.class, ImportView::of, ServiceImportStatus::new);
  }

  @Override
  public List<EventSource<?, ServiceImport>> prepareEventSources(EventSourceContext<ServiceImport> context) {
    return super.prepareEventSources(context);
  }

  @Override
  public UpdateControl<ServiceImport> reconcile(ServiceImport imp, Context<ServiceImport> context) {
    return super.reconcile(imp, context);
  }

  @Override
  protected void setStatus(ServiceImport imp, ImportStatus status) {
    imp.setStatus((ServiceImportStatus) status);
  }
}
