package dev.nats.accounts.reconciler;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.owned.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The informers the reconcilers read secondary resources from. Objects the operator writes are
 * watched only through our managed-by label: a cluster's other Secrets are none of our business,
 * and caching them would cost memory and RBAC we do not ask for.
 */
public final class Informers {
  private Informers() {}

  /** Every {@code type} object; an event reconciles the primaries {@code mapper} names. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> watch(
      EventSourceContext<P> context, Class<R> type, Function<R, Set<ResourceID>> mapper) {
    return new InformerEventSource<>(configure(context, type, mapper).build(), context);
  }

  /**
   * As {@link #watch}, waking a primary only on updates that {@code changed(new, old)} accepts: for
   * what the controller's own informer drops, such as an annotation (which leaves {@code
   * metadata.generation} alone).
   */
  public static <R extends HasMetadata, P extends HasMetadata>
      InformerEventSource<R, P> watchUpdates(
          EventSourceContext<P> context,
          Class<R> type,
          Function<R, Set<ResourceID>> mapper,
          java.util.function.BiPredicate<R, R> changed) {
    return new InformerEventSource<>(
        configure(context, type, mapper)
            .withOnAddFilter(r -> false)
            .withOnDeleteFilter((r, unknown) -> false)
            .withOnUpdateFilter(changed::test)
            .build(),
        context);
  }

  /**
   * As {@link #watch}, in {@code namespaces} (empty: all) rather than the controller's: for a
   * controller narrowed to fewer namespaces than the objects it depends on.
   */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> watchIn(
      EventSourceContext<P> context,
      Class<R> type,
      Function<R, Set<ResourceID>> mapper,
      Set<String> namespaces) {
    var config = configure(context, type, mapper).withFollowControllerNamespacesChanges(false);
    if (namespaces.isEmpty()) {
      config.withWatchAllNamespaces();
    } else {
      config.withNamespaces(namespaces);
    }
    return new InformerEventSource<>(config.build(), context);
  }

  /** The {@code type} objects (Secrets, ConfigMaps) that carry our managed-by label. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> watchOwned(
      EventSourceContext<P> context, Class<R> type, Function<R, Set<ResourceID>> mapper) {
    return new InformerEventSource<>(
        configure(context, type, mapper).withLabelSelector(Ownership.MANAGED_SELECTOR).build(),
        context);
  }

  /**
   * Every kind the operator writes Secrets and ConfigMaps for (the owner-kind label of {@link
   * Ownership}).
   */
  static final List<Class<? extends HasMetadata>> OWNER_KINDS =
      List.of(Operator.class, Account.class, User.class, ServiceExport.class, StreamExport.class);

  /**
   * As {@link #watchOwned}, narrowed to the objects written for resources of the kinds {@code
   * read}: JOSDK 5.2 gives every controller informers of its own, so each caches only the Secrets
   * it reads, and a seed is held only by the reconcilers that sign with it (creds Secrets, the most
   * numerous, by the User reconciler alone).
   */
  public static <R extends HasMetadata, P extends HasMetadata>
      InformerEventSource<R, P> watchOwnedBy(
          EventSourceContext<P> context,
          Class<R> type,
          Function<R, Set<ResourceID>> mapper,
          List<Class<? extends HasMetadata>> read) {
    return new InformerEventSource<>(
        configure(context, type, mapper).withLabelSelector(ownedBy(read)).build(), context);
  }

  /**
   * The label selector of our objects written for resources of the kinds {@code read}, as the other
   * kinds left out ({@code kind!=…}): an object without the owner-kind label (written before it
   * existed) stays in, so narrowing never hides one, and equality selectors are all the fabric8
   * mock API evaluates.
   */
  public static String ownedBy(List<Class<? extends HasMetadata>> read) {
    StringBuilder selector = new StringBuilder(Ownership.MANAGED_SELECTOR);
    OWNER_KINDS.stream()
        .filter(k -> !read.contains(k))
        .forEach(
            k ->
                selector
                    .append(',')
                    .append(Ownership.KIND_LABEL)
                    .append("!=")
                    .append(HasMetadata.getKind(k)));
    return selector.toString();
  }

  private static <R extends HasMetadata, P extends HasMetadata>
      InformerEventSourceConfiguration.Builder<R> configure(
          EventSourceContext<P> context, Class<R> type, Function<R, Set<ResourceID>> mapper) {
    String name =
        (context.getPrimaryResourceClass().getSimpleName() + "-" + type.getSimpleName() + "s")
            .toLowerCase(Locale.ROOT);
    return InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
        .withName(name)
        .withSecondaryToPrimaryMapper(mapper::apply);
  }
}
