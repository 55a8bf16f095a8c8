package dev.nats.accounts.reconciler;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.informers.ControllerRelay;
import dev.nats.accounts.informers.SharedCache;
import dev.nats.accounts.informers.SharedEventSource;
import dev.nats.accounts.informers.SharedInformers;
import dev.nats.accounts.owned.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The informers the reconcilers read secondary resources from, one per kind, selector and
 * namespaces for the whole process ({@link SharedInformers}). Objects the operator writes are
 * watched only through our managed-by label: a cluster's other Secrets are none of our business,
 * and caching them would cost memory and RBAC we do not ask for.
 */
public final class Informers {
  private final SharedInformers shared;
  private final dev.nats.accounts.metrics.OperatorMetrics metrics;

  public Informers(SharedInformers shared, dev.nats.accounts.metrics.OperatorMetrics metrics) {
    this.shared = shared;
    this.metrics = metrics;
  }

  /** The shared caches themselves, for readers that are not controllers (the status metrics). */
  public SharedInformers shared() {
    return shared;
  }

  /** Stops every shared informer; after the controllers have stopped. */
  public void close() {
    shared.close();
  }

  /**
   * The controller's own informer, lent to the other readers of its kind ({@link
   * SharedCache#adopt}): register the returned source with the controller, which relays its events
   * through it. Call it in {@code prepareEventSources}: the readers' indexes, added before or
   * after, reach the controller's informer only until it starts.
   */
  public <P extends HasMetadata> ControllerRelay<P, P> lendOwnInformer(
      EventSourceContext<P> context) {
    Class<P> type = context.getPrimaryResourceClass();
    return shared
        .of(type, null, controllerNamespaces(context))
        .adopt(context.getPrimaryCache(), type.getSimpleName().toLowerCase(Locale.ROOT) + "-relay");
  }

  /** Every {@code type} object; an event reconciles the primaries {@code mapper} names. */
  public <R extends HasMetadata, P extends HasMetadata> SharedEventSource<R, P> watch(
      EventSourceContext<P> context, Class<R> type, Function<R, Set<ResourceID>> mapper) {
    return source(context, type, mapper, null, controllerNamespaces(context));
  }

  /**
   * As {@link #watch}, in {@code namespaces} (empty: all) rather than the controller's: for a
   * controller narrowed to fewer namespaces than the objects it depends on.
   */
  public <R extends HasMetadata, P extends HasMetadata> SharedEventSource<R, P> watchIn(
      EventSourceContext<P> context,
      Class<R> type,
      Function<R, Set<ResourceID>> mapper,
      Set<String> namespaces) {
    return source(context, type, mapper, null, namespaces);
  }

  /** The {@code type} objects (Secrets, ConfigMaps) that carry our managed-by label. */
  public <R extends HasMetadata, P extends HasMetadata> SharedEventSource<R, P> watchOwned(
      EventSourceContext<P> context, Class<R> type, Function<R, Set<ResourceID>> mapper) {
    return source(context, type, mapper, Ownership.MANAGED_SELECTOR, controllerNamespaces(context));
  }

  /**
   * Every kind the operator writes Secrets and ConfigMaps for (the owner-kind label of {@link
   * Ownership}).
   */
  static final List<Class<? extends HasMetadata>> OWNER_KINDS =
      List.of(Operator.class, Account.class, User.class, ServiceExport.class, StreamExport.class);

  /**
   * As {@link #watchOwned}, narrowed to the objects written for resources of the kinds {@code
   * read}: a seed is cached only for the reconcilers that sign with it (creds Secrets, the most
   * numerous, for the User reconciler alone); controllers that read the same kinds share one.
   */
  public <R extends HasMetadata, P extends HasMetadata> SharedEventSource<R, P> watchOwnedBy(
      EventSourceContext<P> context,
      Class<R> type,
      Function<R, Set<ResourceID>> mapper,
      List<Class<? extends HasMetadata>> read) {
    return source(context, type, mapper, ownedBy(read), controllerNamespaces(context));
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

  /**
   * Updates of the controller's own resources that change one of the {@code annotations}. JOSDK
   * drops updates of the reconciled resource that change no generation, and a real API server bumps
   * it on spec changes only: an annotation that asks for something (a key rotation) would wait for
   * the resync without this watch.
   */
  public <P extends HasMetadata> SharedEventSource<P, P> annotationChanges(
      EventSourceContext<P> context, String... annotations) {
    Class<P> type = context.getPrimaryResourceClass();
    SharedEventSource<P, P> source =
        new SharedEventSource<>(
            type.getSimpleName().toLowerCase(Locale.ROOT) + "-annotation-changes",
            shared.of(type, null, controllerNamespaces(context)),
            r -> Set.of(ResourceID.fromResource(r)));
    source.setOnAddFilter(r -> false);
    source.setOnUpdateFilter((now, was) -> changed(was, now, annotations));
    source.setOnDeleteFilter((r, unknown) -> false);
    return source;
  }

  /**
   * Gives {@code primary} (a reconcile's own copy) the annotations {@code watch} last saw. When the
   * watch is an informer of its own (the shared cache could not adopt the controller's), its event
   * can run ahead of the controller's cache, which takes the same update but drops its event (no
   * new generation): a reconcile woken by a new rotate annotation would otherwise read the old
   * value and nothing would wake it again before the resync.
   */
  public static <P extends HasMetadata> P withAnnotationsSeenBy(
      P primary, SharedEventSource<P, P> watch) {
    watch
        .get(ResourceID.fromResource(primary))
        .ifPresent(
            seen -> primary.getMetadata().setAnnotations(seen.getMetadata().getAnnotations()));
    return primary;
  }

  static boolean changed(HasMetadata was, HasMetadata now, String... annotations) {
    for (String a : annotations) {
      if (!java.util.Objects.equals(annotation(was, a), annotation(now, a))) {
        return true;
      }
    }
    return false;
  }

  private static String annotation(HasMetadata r, String key) {
    java.util.Map<String, String> ann = r == null ? null : r.getMetadata().getAnnotations();
    return ann == null ? null : ann.get(key);
  }

  private <R extends HasMetadata, P extends HasMetadata> SharedEventSource<R, P> source(
      EventSourceContext<P> context,
      Class<R> type,
      Function<R, Set<ResourceID>> mapper,
      String labelSelector,
      Set<String> namespaces) {
    String name =
        (context.getPrimaryResourceClass().getSimpleName() + "-" + type.getSimpleName() + "s")
            .toLowerCase(Locale.ROOT);
    SharedEventSource<R, P> source =
        new SharedEventSource<>(name, shared.of(type, labelSelector, namespaces), mapper);
    String kind = HasMetadata.getKind(context.getPrimaryResourceClass());
    String from = HasMetadata.getKind(type);
    source.countWakeUps(n -> metrics.wokenUp(kind, from, n));
    return source;
  }

  /** The namespaces the controller reconciles in; empty for all. */
  private static Set<String> controllerNamespaces(EventSourceContext<?> context) {
    Set<String> namespaces =
        context.getControllerConfiguration().getInformerConfig().getNamespaces();
    return InformerConfiguration.allNamespacesWatched(namespaces) ? Set.of() : namespaces;
  }
}
