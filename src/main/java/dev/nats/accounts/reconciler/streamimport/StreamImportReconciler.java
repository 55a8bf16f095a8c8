package dev.nats.accounts.reconciler.streamimport;

import dev.nats.accounts.api.v1alpha1.ImportStatus;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.StreamImportStatus;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.imports.ImportReconciler;
import dev.nats.accounts.reconciler.imports.ImportView;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;

/**
 * StreamImport: the shared import rules, bound to its kind (JOSDK reads the kind from this class's
 * interfaces).
 */
@ControllerConfiguration(name = "streamimport")
public final class StreamImportReconciler extends ImportReconciler<StreamImport>
    implements Reconciler<StreamImport>, Cleaner<StreamImport> {

  public StreamImportReconciler(Services services) {
    super(services, StreamImport.class, ImportView::of, StreamImportStatus::new);
  }

  @Override
  protected void setStatus(StreamImport imp, ImportStatus status) {
    imp.setStatus((StreamImportStatus) status);
  }
}
