package dev.nats.accounts.reconciler.streamexport;

import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamExportStatus;
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

/** StreamExport: the shared export rules, bound to its kind. */
@ControllerConfiguration(name = "streamexport")
public final class StreamExportReconciler extends ExportReconciler<StreamExport>
    implements Reconciler<StreamExport>, Cleaner<StreamExport> {

  public StreamExportReconciler(Services services) {
    super(services, StreamExport.class, ExportView::of, StreamExportStatus::new);
  }

  @Override
  public List<EventSource<?, StreamExport>> prepareEventSources(EventSourceContext<StreamExport> context) {
    return super.prepareEventSources(context);
  }

  @Override
  public UpdateControl<StreamExport> reconcile(StreamExport export, Context<StreamExport> context) {
    return super.reconcile(export, context);
  }

  @Override
  public DeleteControl cleanup(StreamExport export, Context<StreamExport> context) {
    return super.cleanup(export, context);
  }

  @Override
  protected void setStatus(StreamExport export, ExportStatus status) {
    export.setStatus((StreamExportStatus) status);
  }
}
