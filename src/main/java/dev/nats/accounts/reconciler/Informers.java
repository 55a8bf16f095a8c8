package dev.nats.accounts.reconciler;

import dev.nats.accounts.owned.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The informers the reconcilers read secondary resources from. Objects the operator writes are watched only
 * through our managed-by label: a cluster's other Secrets are none of our business, and caching them would
 * cost memory and RBAC we do not ask for.
 */
public final class Informers {
  private Informers() {}

  /** Every {@code type} object; an event reconciles the primaries {@code mapper} names. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> watch(
      EventSourceContext<P> context, Class<R> type, Function<R, Set<ResourceID>> mapper) {
    return new InformerEventSource<>(configure(context, type, mapper).build(), context);
  }

  /** The {@code type} objects (Secrets, ConfigMaps) that carry our managed-by label. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> watchOwned(
      EventSourceContext<P> context, Class<R> type, Function<R, Set<ResourceID>> mapper) {
    return new InformerEventSource<>(configure(context, type, mapper).withLabelSelector(Ownership.MANAGED_SELECTOR).build(),
        context);
  }

  /** As {@link #watchOwned}, narrowed to the objects written for resources of kind {@code ownerKind}. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> watchOwnedBy(
      EventSourceContext<P> context, Class<R> type, Class<? extends HasMetadata> ownerKind,
      Function<R, Set<ResourceID>> mapper) {
    String selector = Ownership.MANAGED_SELECTOR + "," + Ownership.KIND_LABEL + "=" + HasMetadata.getKind(ownerKind);
    return new InformerEventSource<>(configure(context, type, mapper).withLabelSelector(selector).build(), context);
  }

  private static <R extends HasMetadata, P extends HasMetadata> InformerEventSourceConfiguration.Builder<R> configure(
      EventSourceContext<P> context, Class<R> type, Function<R, Set<ResourceID>> mapper) {
    String name = (context.getPrimaryResourceClass().getSimpleName() + "-" + type.getSimpleName() + "s").toLowerCase(Locale.ROOT);
    return InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
        .withName(name)
        .withSecondaryToPrimaryMapper(mapper::apply);
  }
}
