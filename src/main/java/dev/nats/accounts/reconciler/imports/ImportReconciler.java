package dev.nats.accounts.reconciler.imports;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ImportSpec;
import dev.nats.accounts.api.v1alpha1.ImportStatus;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.informers.SharedEventSource;
import dev.nats.accounts.reconciler.Indexes;
import dev.nats.accounts.reconciler.Indexes.AccountId;
import dev.nats.accounts.reconciler.Indexes.ExportId;
import dev.nats.accounts.reconciler.Indexes.OperatorId;
import dev.nats.accounts.reconciler.OperatorRefs;
import dev.nats.accounts.reconciler.ResourceRef;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.Statuses;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.EventRecorder;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.tokenurl.TokenFetcher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reports on an import: whether its export exists, whether this account may import it, and whether
 * the account JWT carrying it is live. The decision itself is {@link ImportResolution}, the same
 * function the Account reconciler uses to build the JWT, so status and JWT agree.
 */
public abstract class ImportReconciler<
    I extends CustomResource<? extends ImportSpec, ? extends ImportStatus>> {
  /** The owners of the Secrets this reconciler caches: activation tokens only; it holds no seed. */
  public static final List<Class<? extends HasMetadata>> SECRETS_OF =
      List.of(ServiceExport.class, StreamExport.class);

  private static final Set<Reason> EXPORT_FOUND_FAILURES =
      Set.of(Reason.EXPORT_NOT_FOUND, Reason.TYPE_MISMATCH);

  protected final Services services;
  private final Class<I> type;
  private final Function<I, ImportView> view;
  private final Supplier<? extends ImportStatus> newStatus;
  private IndexerResourceCache<I> primary;
  private SharedEventSource<Account, I> accounts;
  private SharedEventSource<ServiceExport, I> serviceExports;
  private SharedEventSource<StreamExport, I> streamExports;
  private SharedEventSource<Secret, I> secrets;
  private SharedEventSource<Operator, I> operators;
  private CacheLookup lookup;

  protected ImportReconciler(
      Services services,
      Class<I> type,
      Function<I, ImportView> view,
      Supplier<? extends ImportStatus> newStatus) {
    this.services = services;
    this.type = type;
    this.view = view;
    this.newStatus = newStatus;
  }

  public List<EventSource<?, I>> prepareEventSources(EventSourceContext<I> context) {
    EventSource<I, I> relay = services.informers().lendOwnInformer(context);
    primary = context.getPrimaryCache();
    Indexes.IMPORTS_BY_ACCOUNT.addTo(primary);
    Indexes.IMPORTS_BY_EXPORT.addTo(primary);
    accounts =
        services
            .informers()
            .watch(
                context,
                Account.class,
                a -> Indexes.IMPORTS_BY_ACCOUNT.ids(primary, AccountId.of(a)));
    serviceExports =
        services
            .informers()
            .watch(
                context,
                ServiceExport.class,
                e -> Indexes.IMPORTS_BY_EXPORT.ids(primary, ExportId.of(e)));
    streamExports =
        services
            .informers()
            .watch(
                context,
                StreamExport.class,
                e -> Indexes.IMPORTS_BY_EXPORT.ids(primary, ExportId.of(e)));
    // An activation token Secret of an export wakes the imports of that export.
    secrets =
        services
            .informers()
            .watchOwnedBy(
                context,
                Secret.class,
                s ->
                    Indexes.exportOwning(s)
                        .map(e -> Indexes.IMPORTS_BY_EXPORT.ids(primary, e))
                        .orElse(Set.of()),
                SECRETS_OF);
    // A cache only, for the operator of an exporting Account: an Operator's change reaches imports
    // through Accounts.
    operators = services.informers().watch(context, Operator.class, o -> Set.of());
    lookup =
        new CacheLookup(
            (ns, n) -> serviceExports.get(new ResourceID(n, ns)),
            (ns, n) -> streamExports.get(new ResourceID(n, ns)),
            (ns, n) -> accounts.get(new ResourceID(n, ns)),
            (ns, n) -> secrets.get(new ResourceID(n, ns)),
            services.client(),
            a ->
                Optional.ofNullable(
                        OperatorRefs.resolve(
                            a, operators::get, () -> operators.list(o -> true).toList()))
                    .map(OperatorId::of)
                    .orElse(null),
            services.tokens());
    return List.of(relay, accounts, serviceExports, streamExports, secrets, operators);
  }

  /**
   * The importing Account, then the same resolution its JWT uses; Ready once the JWT carries the
   * import.
   */
  @SuppressWarnings("unchecked")
  public UpdateControl<I> reconcile(I imp, Context<I> context) {
    ImportStatus previous =
        imp.getStatus() == null
            ? null
            : Statuses.copy(imp.getStatus(), (Class<ImportStatus>) imp.getStatus().getClass());
    statusOf(imp);
    ImportView v = view.apply(imp);
    AccountId accountId = new AccountId(v.namespace(), v.accountName());
    Account account = accounts.get(accountId.resourceId()).orElse(null);
    if (account == null) {
      return services
          .status()
          .failed(
              imp,
              previous,
              Reason.ACCOUNT_NOT_FOUND,
              "spec.accountRef: Account " + accountId + " not found",
              Duration.ofSeconds(60));
    }
    if (account.getStatus() == null || account.getStatus().getPublicKey() == null) {
      return services
          .status()
          .pending(
              imp,
              previous,
              "waiting for Account " + accountId + " to have a key",
              Duration.ofSeconds(5));
    }
    ImportResolution.Outcome o = resolve(v, account);
    if (!o.ok()) {
      return unresolved(imp, previous, o);
    }
    resolved(imp, o);
    staleTokenNotice(imp, v);
    if (!carried(account, v)) {
      // The Account resolves its imports itself: this resolution is news for the user alone.
      return services
          .status()
          .pendingUnread(
              imp,
              previous,
              "waiting for Account " + v.accountName() + " to carry this import and be pushed",
              Duration.ofSeconds(5));
    }
    return services
        .status()
        .ready(imp, previous, refetchBy(v, services.settings().resyncInterval()));
  }

  /**
   * A token fetched from a URL is looked at again when it is due for a fetch: a renewed token then
   * changes this status, and that wakes the Account, which embeds it.
   */
  private Duration refetchBy(ImportView v, Duration otherwise) {
    String url =
        v.spec() == null || v.spec().getFrom() == null ? null : v.spec().getFrom().getTokenURL();
    if (url == null) {
      return otherwise;
    }
    Duration next = services.tokens().get(url).next();
    return next.compareTo(otherwise) < 0 ? next : otherwise;
  }

  /**
   * A token URL that fails while the token fetched before is still valid keeps the import working
   * (an exporter's outage must not cut importers off early), but it must not go unseen: the
   * Authorized condition says so, and a Warning Event is recorded once per problem.
   */
  private void staleTokenNotice(I imp, ImportView v) {
    String url =
        v.spec() == null || v.spec().getFrom() == null ? null : v.spec().getFrom().getTokenURL();
    if (url == null) {
      return;
    }
    TokenFetcher.Fetched fetched = services.tokens().get(url);
    if (fetched.problem() == null || fetched.token() == null) {
      return;
    }
    String message =
        "spec.from.tokenURL: "
            + fetched.problem()
            + "; the token fetched before is used until it expires";
    services.status().set(imp, ConditionType.AUTHORIZED, Conditions.TRUE, Reason.GRANTED, message);
    services
        .status()
        .events()
        .recordOnChange(imp, EventRecorder.WARNING, Reason.TOKEN_FETCH_FAILED, message);
  }

  private void resolved(I imp, ImportResolution.Outcome o) {
    ImportStatus st = imp.getStatus();
    st.setExporterPublicKey(o.exporterKey());
    st.setSubject(o.claim().subject());
    st.setLocalSubject(o.claim().localSubject());
    st.setActivationHashId(o.hashId());
    services
        .status()
        .set(imp, ConditionType.EXPORT_FOUND, Conditions.TRUE, Reason.EXPORT_FOUND, "");
    services.status().set(imp, ConditionType.AUTHORIZED, Conditions.TRUE, Reason.GRANTED, "");
  }

  /** The import is in the account's JWT and that JWT is on the resolvers. */
  private static boolean carried(Account account, ImportView v) {
    boolean inJwt =
        account.getStatus().getImports() != null
            && account.getStatus().getImports().stream()
                .anyMatch(s -> ResourceRef.parse(s.getFrom()).filter(v.id()::equals).isPresent());
    return inJwt && Conditions.isTrue(account.getStatus().getConditions(), ConditionType.PUSHED);
  }

  /** Resolved with the account's other imports: a local-subject clash depends on them. */
  private ImportResolution.Outcome resolve(ImportView v, Account account) {
    List<ImportView> siblings =
        Indexes.IMPORTS_BY_ACCOUNT.lookup(primary, AccountId.of(account)).stream()
            .map(view)
            .filter(s -> !s.name().equals(v.name()))
            .collect(java.util.stream.Collectors.toList());
    siblings.add(v);
    return ImportResolution.resolveAll(
            siblings, account, account.getStatus().getPublicKey(), lookup)
        .stream()
        .filter(x -> x.source().name().equals(v.name()))
        .findFirst()
        .orElseThrow();
  }

  /**
   * ExportFound and Authorized say which check failed; Pending (the token is on its way) is
   * Unknown, not False.
   */
  private UpdateControl<I> unresolved(I imp, ImportStatus previous, ImportResolution.Outcome o) {
    boolean found = !EXPORT_FOUND_FAILURES.contains(o.reason());
    boolean pending = Reason.PENDING.equals(o.reason());
    if (found) {
      services
          .status()
          .set(imp, ConditionType.EXPORT_FOUND, Conditions.TRUE, Reason.EXPORT_FOUND, "");
      services
          .status()
          .set(
              imp,
              ConditionType.AUTHORIZED,
              pending ? Conditions.UNKNOWN : Conditions.FALSE,
              o.reason(),
              o.message());
    } else {
      services
          .status()
          .set(imp, ConditionType.EXPORT_FOUND, Conditions.FALSE, o.reason(), o.message());
      services
          .status()
          .set(
              imp,
              ConditionType.AUTHORIZED,
              Conditions.UNKNOWN,
              Reason.PENDING,
              "the export is not found");
    }
    return pending
        ? services.status().pending(imp, previous, o.message(), Duration.ofSeconds(5))
        : services
            .status()
            .failed(
                imp,
                previous,
                o.reason(),
                o.message(),
                refetchBy(view.apply(imp), Duration.ofSeconds(60)));
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

  public io.javaoperatorsdk.operator.api.reconciler.DeleteControl cleanup(
      I imp, Context<I> context) {
    // The importing Account sees the deletion through its informer and re-signs without the import.
    ImportView v = view.apply(imp);
    if (v.spec() != null
        && v.spec().getFrom() != null
        && v.spec().getFrom().getTokenURL() != null) {
      // Another import of the same URL just fetches it again.
      services.tokens().forget(v.spec().getFrom().getTokenURL());
    }
    try {
      return services.released(imp, context);
    } catch (RuntimeException e) {
      statusOf(imp);
      return services.status().cleanupFailed(imp, e);
    }
  }

  protected abstract void setStatus(I imp, ImportStatus status);
}
