package dev.nats.accounts.reconciler.serviceimport;

import dev.nats.accounts.api.v1alpha1.ImportStatus;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.ServiceImportStatus;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.imports.ImportReconciler;
import dev.nats.accounts.reconciler.imports.ImportView;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;

/**
 * ServiceImport: the shared import rules, bound to its kind (JOSDK reads the kind from this class's
 * interfaces).
 */
@ControllerConfiguration(name = "serviceimport")
public final class ServiceImportReconciler extends ImportReconciler<ServiceImport>
    implements Reconciler<ServiceImport>, Cleaner<ServiceImport> {

  public ServiceImportReconciler(Services services) {
    super(services, ServiceImport.class, ImportView::of, ServiceImportStatus::new);
  }

  @Override
  protected void setStatus(ServiceImport imp, ImportStatus status) {
    imp.setStatus((ServiceImportStatus) status);
  }
}
