package dev.nats.accounts.reconciler.imports;

import dev.nats.accounts.owned.Ownership;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ImportSpec;
import dev.nats.accounts.api.v1alpha1.ImportStatus;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.reconciler.CacheLookup;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.OperatorRefs;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.Statuses;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reports on an import: whether its export exists, whether this account may import it, and
 * whether the account JWT carrying it is live. The decision itself is {@link ImportResolution},
 * the same function the Account reconciler uses to build the JWT, so status and JWT agree.
 */
public abstract class ImportReconciler<I extends CustomResource<? extends ImportSpec, ? extends ImportStatus>> {
  public static final String BY_ACCOUNT = "byAccount";
  public static final String BY_EXPORT = "byExport";
  private static final Set<Reason> EXPORT_FOUND_FAILURES = Set.of(Reason.EXPORT_NOT_FOUND, Reason.TYPE_MISMATCH);

  protected final Services services;
  private final Class<I> type;
  private final Function<I, ImportView> view;
  private final Supplier<? extends ImportStatus> newStatus;
  private IndexerResourceCache<I> primary;
  private InformerEventSource<Account, I> accounts;
  private InformerEventSource<ServiceExport, I> serviceExports;
  private InformerEventSource<StreamExport, I> streamExports;
  private InformerEventSource<Secret, I> secrets;
  private InformerEventSource<Operator, I> operators;
  private CacheLookup lookup;

  protected ImportReconciler(Services services, Class<I> type, Function<I, ImportView> view, Supplier<? extends ImportStatus> newStatus) {
    this.services = services;
    this.type = type;
    this.view = view;
    this.newStatus = newStatus;
  }

  public List<EventSource<?, I>> prepareEventSources(EventSourceContext<I> context) {
    primary = context.getPrimaryCache();
    primary.addIndexer(BY_ACCOUNT, i -> {
      String account = view.apply(i).accountName();
      return List.of(Names.ref(i.getMetadata().getNamespace(), account == null ? "" : account));
    });
    primary.addIndexer(BY_EXPORT, i -> {
      String key = view.apply(i).exportRefKey();
      return key == null ? List.of() : List.of(key);
    });
    String prefix = type.getSimpleName().toLowerCase();
    accounts = source(context, Account.class, prefix + "-accounts", a -> byIndex(BY_ACCOUNT, Names.ref(a)), null);
    serviceExports = source(context, ServiceExport.class, prefix + "-serviceexports", e -> byIndex(BY_EXPORT, Names.ref(e)), null);
    streamExports = source(context, StreamExport.class, prefix + "-streamexports", e -> byIndex(BY_EXPORT, Names.ref(e)), null);
    secrets = source(context, Secret.class, prefix + "-secrets", s -> {
      String owner = Ownership.ownerOf(s);
      return owner != null && Ownership.ownerKindOf(s).endsWith("Export")
          ? byIndex(BY_EXPORT, Names.ref(s.getMetadata().getNamespace(), owner)) : Set.of();
    }, Ownership.MANAGED_SELECTOR);
    operators = source(context, Operator.class, prefix + "-operators", o -> Set.of(), null);
    lookup = new CacheLookup(
        (ns, n) -> serviceExports.get(new ResourceID(n, ns)),
        (ns, n) -> streamExports.get(new ResourceID(n, ns)),
        (ns, n) -> accounts.get(new ResourceID(n, ns)),
        (ns, n) -> secrets.get(new ResourceID(n, ns)),
        services.client(),
        a -> Optional.ofNullable(OperatorRefs.resolve(a, operators::get, () -> operators.list(o -> true).toList()))
            .map(Names::ref).orElse(null));
    return List.of(accounts, serviceExports, streamExports, secrets, operators);
  }

  private <R extends HasMetadata> InformerEventSource<R, I> source(EventSourceContext<I> context, Class<R> res, String name,
      Function<R, Set<ResourceID>> mapper, String labelSelector) {
    var b = InformerEventSourceConfiguration.from(res, type).withName(name).withSecondaryToPrimaryMapper(mapper::apply);
    if (labelSelector != null) {
      b = b.withLabelSelector(labelSelector);
    }
    return new InformerEventSource<>(b.build(), context);
  }

  private Set<ResourceID> byIndex(String index, String key) {
    Set<ResourceID> ids = new HashSet<>();
    primary.byIndex(index, key).forEach(i -> ids.add(ResourceID.fromResource(i)));
    return ids;
  }

  @SuppressWarnings("unchecked")
  public UpdateControl<I> reconcile(I imp, Context<I> context) {
    ImportStatus previous = imp.getStatus() == null ? null : Statuses.copy(imp.getStatus(), (Class<ImportStatus>) imp.getStatus().getClass());
    ImportStatus st = statusOf(imp);
    ImportView v = view.apply(imp);
    String ns = v.namespace();

    Account account = accounts.get(new ResourceID(v.accountName(), ns)).orElse(null);
    if (account == null) {
      return services.status().finish(imp, previous, Conditions.FALSE, Reason.ACCOUNT_NOT_FOUND,
          "spec.accountRef: Account " + Names.ref(ns, v.accountName()) + " not found", Duration.ofSeconds(60));
    }
    String accountKey = account.getStatus() == null ? null : account.getStatus().getPublicKey();
    if (accountKey == null) {
      return services.status().finish(imp, previous, Conditions.UNKNOWN, Reason.PENDING,
          "waiting for Account " + Names.ref(ns, v.accountName()) + " to have a key", Duration.ofSeconds(5));
    }
    // Resolve with the account's other imports of this kind: a local-subject clash depends on them.
    List<ImportView> siblings = primary.byIndex(BY_ACCOUNT, Names.ref(ns, v.accountName())).stream()
        .map(view).filter(s -> !s.name().equals(v.name())).collect(java.util.stream.Collectors.toList());
    siblings.add(v);
    ImportResolution.Outcome o = ImportResolution.resolveAll(siblings, account, accountKey, lookup).stream()
        .filter(x -> x.source().name().equals(v.name())).findFirst().orElseThrow();
    if (!o.ok()) {
      boolean found = !EXPORT_FOUND_FAILURES.contains(o.reason());
      services.status().set(imp, ConditionType.EXPORT_FOUND, found ? Conditions.TRUE : Conditions.FALSE, found ? Reason.EXPORT_FOUND : o.reason(),
          found ? "" : o.message());
      if (found) {
        boolean pending = Reason.PENDING.equals(o.reason());
        services.status().set(imp, ConditionType.AUTHORIZED, pending ? Conditions.UNKNOWN : Conditions.FALSE, o.reason(), o.message());
      } else {
        services.status().set(imp, ConditionType.AUTHORIZED, Conditions.UNKNOWN, Reason.PENDING, "the export is not found");
      }
      boolean pending = Reason.PENDING.equals(o.reason());
      return services.status().finish(imp, previous, pending ? Conditions.UNKNOWN : Conditions.FALSE, o.reason(), o.message(),
          pending ? Duration.ofSeconds(5) : Duration.ofSeconds(60));
    }
    st.setExporterPublicKey(o.exporterKey());
    st.setSubject(o.claim().subject());
    st.setLocalSubject(o.claim().localSubject());
    st.setActivationHashId(o.hashId());
    services.status().set(imp, ConditionType.EXPORT_FOUND, Conditions.TRUE, Reason.EXPORT_FOUND, "");
    services.status().set(imp, ConditionType.AUTHORIZED, Conditions.TRUE, Reason.GRANTED, "");
    boolean inJwt = account.getStatus().getImports() != null
        && account.getStatus().getImports().stream().anyMatch(s -> v.id().equals(s.getFrom()));
    if (!inJwt || !Conditions.isTrue(account.getStatus().getConditions(), ConditionType.PUSHED)) {
      return services.status().finish(imp, previous, Conditions.UNKNOWN, Reason.PENDING,
          "waiting for Account " + v.accountName() + " to carry this import and be pushed", Duration.ofSeconds(5));
    }
    return services.status().finish(imp, previous, Conditions.TRUE, Reason.RECONCILED, "", services.settings().resyncInterval());
  }

  public ErrorStatusUpdateControl<I> updateErrorStatus(I imp, Context<I> context, Exception e) {
    statusOf(imp);
    return services.status().error(imp, context, e);
  }

  private ImportStatus statusOf(I imp) {
    if (imp.getStatus() == null) {
      setStatus(imp, newStatus.get());
    }
    return imp.getStatus();
  }

  public io.javaoperatorsdk.operator.api.reconciler.DeleteControl cleanup(I imp, Context<I> context) {
    // The importing Account sees the deletion through its informer and re-signs without the import.
    services.status().forget(imp);
    return io.javaoperatorsdk.operator.api.reconciler.DeleteControl.defaultDelete();
  }

  protected abstract void setStatus(I imp, ImportStatus status);
}
