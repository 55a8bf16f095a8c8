package dev.nats.accounts.reconciler.streamexport;

import dev.nats.accounts.api.v1alpha1.ExportStatus;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamExportStatus;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.exports.ExportReconciler;
import dev.nats.accounts.reconciler.exports.ExportView;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;

/**
 * StreamExport: the shared export rules, bound to its kind (JOSDK reads the kind from this class's
 * interfaces).
 */
@ControllerConfiguration(name = "streamexport")
public final class StreamExportReconciler extends ExportReconciler<StreamExport>
    implements Reconciler<StreamExport>, Cleaner<StreamExport> {

  public StreamExportReconciler(Services services) {
    super(services, StreamExport.class, ExportView::of, StreamExportStatus::new);
  }

  @Override
  protected void setStatus(StreamExport export, ExportStatus status) {
    export.setStatus((StreamExportStatus) status);
  }
}
