package dev.nats.accounts.reconciler.streamimport;

import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.StreamImportStatus;
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

/** StreamImport: the shared import rules, bound to its kind. */
@ControllerConfiguration(name = "streamimport")
public final class StreamImportReconciler extends ImportReconciler<StreamImport> implements Reconciler<StreamImport> {

  public StreamImportReconciler(Services services) {
    super(services, StreamImport.class, ImportView::of, StreamImportStatus::new);
  }

  @Override
  public List<EventSource<?, StreamImport>> prepareEventSources(EventSourceContext<StreamImport> context) {
    return super.prepareEventSources(context);
  }

  @Override
  public UpdateControl<StreamImport> reconcile(StreamImport imp, Context<StreamImport> context) {
    return super.reconcile(imp, context);
  }

  @Override
  protected void setStatus(StreamImport imp, ImportStatus status) {
    imp.setStatus((StreamImportStatus) status);
  }
}
