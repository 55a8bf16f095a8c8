package dev.nats.accounts.reconciler.account;

import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountNamespaces;
import dev.nats.accounts.api.v1alpha1.AccountSpec;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.DeletionPolicy;
import dev.nats.accounts.api.v1alpha1.ExportSummary;
import dev.nats.accounts.api.v1alpha1.ImportSummary;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.api.v1alpha1.SigningKeyStatus;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.ClaimsHash;
import dev.nats.accounts.jwt.DeleteRequest;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.IssuedAt;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.nats.PushResult;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.nats.ResolverConnections;
import dev.nats.accounts.api.v1alpha1.ExportSpec;
import dev.nats.accounts.api.v1alpha1.ImportSpec;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.reconciler.imports.CacheLookup;
import dev.nats.accounts.reconciler.exports.ExportClaims;
import dev.nats.accounts.reconciler.exports.ExportView;
import dev.nats.accounts.reconciler.imports.ImportResolution;
import dev.nats.accounts.reconciler.imports.ImportView;
import dev.nats.accounts.reconciler.Indexes;
import dev.nats.accounts.reconciler.Informers;
import dev.nats.accounts.reconciler.Indexes.AccountId;
import dev.nats.accounts.reconciler.Indexes.ExportId;
import dev.nats.accounts.reconciler.Indexes.OperatorId;
import dev.nats.accounts.reconciler.LabelSelectors;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.OperatorRefs;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.SignedJwts;
import dev.nats.accounts.reconciler.SpecConversions;
import dev.nats.accounts.reconciler.Statuses;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.EventRecorder;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The only writer of account JWTs. Everything that shapes an account (its spec, the operator's
 * signing key, exports, imports, deleted users) is read from informer caches; the JWT is re-signed
 * only when the claims or the signer changed, and pushed to every resolver until each confirmed it.
 */
@ControllerConfiguration(name = "account")
public final class AccountReconciler implements Reconciler<Account>, Cleaner<Account> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AccountReconciler.class);
  private final Services services;
  private InformerEventSource<Operator, Account> operators;
  private InformerEventSource<Secret, Account> secrets;
  private InformerEventSource<User, Account> users;
  private InformerEventSource<Namespace, Account> namespaces;
  private final SimpleInboundEventSource<Account> reconnects = new SimpleInboundEventSource<>("account-reconnects");
  private volatile IndexerResourceCache<Account> primaryCache;

  private InformerEventSource<ServiceExport, Account> serviceExports;
  private InformerEventSource<StreamExport, Account> streamExports;
  private InformerEventSource<ServiceImport, Account> serviceImports;
  private InformerEventSource<StreamImport, Account> streamImports;
  private CacheLookup lookup;

  public AccountReconciler(Services services) {
    this.services = services;
  }

  @Override
  public List<EventSource<?, Account>> prepareEventSources(EventSourceContext<Account> context) {
    primaryCache = context.getPrimaryCache();
    Indexes.ACCOUNTS_BY_OPERATOR.addTo(primaryCache);
    operators = Informers.watch(context, Operator.class, op -> accountsOf(OperatorId.of(op)));
    secrets = Informers.watchOwned(context, Secret.class, this::secretToAccounts);
    users = Informers.watch(context, User.class, u -> accountOf(AccountId.referencedBy(u, u.getSpec() == null ? null : u.getSpec().getAccountRef())));
    Indexes.USERS_BY_ACCOUNT.addTo(users);
    namespaces = Informers.watch(context, Namespace.class,
        n -> primaryCache.list(n.getMetadata().getName()).map(ResourceID::fromResource).collect(Collectors.toSet()));
    serviceExports = exportSource(context, ServiceExport.class);
    streamExports = exportSource(context, StreamExport.class);
    serviceImports = importSource(context, ServiceImport.class);
    streamImports = importSource(context, StreamImport.class);
    lookup = new CacheLookup(
        (ns, n) -> serviceExports.get(new ResourceID(n, ns)),
        (ns, n) -> streamExports.get(new ResourceID(n, ns)),
        (ns, n) -> primaryCache.get(new ResourceID(n, ns)),
        (ns, n) -> secrets.get(new ResourceID(n, ns)),
        services.client(),
        a -> Optional.ofNullable(resolveOperator(a)).map(OperatorId::of).orElse(null));
    return List.of(operators, secrets, users, namespaces, reconnects, serviceExports, streamExports, serviceImports, streamImports);
  }

  /** An export changes its own account's JWT and the JWTs of the accounts importing it. */
  private <E extends CustomResource<? extends ExportSpec, ?>> InformerEventSource<E, Account> exportSource(
      EventSourceContext<Account> context, Class<E> type) {
    InformerEventSource<E, Account> source = Informers.watch(context, type, e -> {
      Set<ResourceID> ids = new HashSet<>(importersOf(ExportId.of(e)));
      ids.addAll(accountOf(AccountId.referencedBy(e, e.getSpec() == null ? null : e.getSpec().getAccountRef())));
      return ids;
    });
    Indexes.EXPORTS_BY_ACCOUNT.addTo(source);
    return source;
  }

  private <I extends CustomResource<? extends ImportSpec, ?>> InformerEventSource<I, Account> importSource(
      EventSourceContext<Account> context, Class<I> type) {
    InformerEventSource<I, Account> source = Informers.watch(context, type,
        i -> accountOf(AccountId.referencedBy(i, i.getSpec() == null ? null : i.getSpec().getAccountRef())));
    Indexes.IMPORTS_BY_ACCOUNT.addTo(source);
    Indexes.IMPORTS_BY_EXPORT.addTo(source);
    return source;
  }

  private static Set<ResourceID> accountOf(AccountId id) {
    return id == null ? Set.of() : Set.of(id.resourceId());
  }

  /** Accounts whose imports name the export. */
  private Set<ResourceID> importersOf(ExportId export) {
    Set<ResourceID> ids = new HashSet<>();
    for (InformerEventSource<? extends CustomResource<? extends ImportSpec, ?>, Account> imports : Arrays.asList(serviceImports, streamImports)) {
      if (imports != null) {
        Indexes.IMPORTS_BY_EXPORT.lookup(imports, export).forEach(
            i -> ids.addAll(accountOf(AccountId.referencedBy(i, i.getSpec().getAccountRef()))));
      }
    }
    return ids;
  }

  /**
   * A (re)connected server may have missed pushes (it restarted, or it is new): every account of
   * that operator is reconciled, and the connection epoch makes each one verify its JWT there.
   */
  public void onOperatorConnected(ResolverConnections.Key operator) {
    if (primaryCache != null) {
      accountsOf(new OperatorId(operator.namespace(), operator.name())).forEach(reconnects::propagateEvent);
    }
  }

  /** Accounts naming this operator, plus those relying on the only Operator there is. */
  private Set<ResourceID> accountsOf(OperatorId operator) {
    Set<ResourceID> out = new HashSet<>(Indexes.ACCOUNTS_BY_OPERATOR.ids(primaryCache, operator));
    out.addAll(Indexes.ACCOUNTS_BY_OPERATOR.ids(primaryCache, OperatorId.ANY));
    return out;
  }

  /** A key Secret wakes its Account; an operator's Secret its Accounts; an activation token the importers. */
  private Set<ResourceID> secretToAccounts(Secret s) {
    Set<ResourceID> out = new HashSet<>();
    Indexes.accountOwning(s).ifPresent(a -> out.add(a.resourceId()));
    Indexes.operatorOwning(s).ifPresent(o -> out.addAll(accountsOf(o)));
    Indexes.exportOwning(s).ifPresent(e -> out.addAll(importersOf(e)));
    return out;
  }

  @Override
  public UpdateControl<Account> reconcile(Account account, Context<Account> context) {
    AccountStatus before = Statuses.copy(account.getStatus(), AccountStatus.class);
    AccountStatus st = statusOf(account);
    AccountSpec spec = account.getSpec() == null ? new AccountSpec() : account.getSpec();
    String ns = account.getMetadata().getNamespace();
    String name = account.getMetadata().getName();

    // 1. The operator this account belongs to.
    Operator op = resolveOperator(account);
    if (op == null) {
      String msg = spec.getOperatorRef() == null
          ? "spec.operatorRef is not set and there is not exactly one Operator in the cluster"
          : "spec.operatorRef: Operator " + OperatorId.of(account) + " not found";
      return services.status().failed(account, before, Reason.OPERATOR_NOT_FOUND, msg, Duration.ofSeconds(60));
    }
    if (!namespaceAllowed(op, ns)) {
      return services.status().failed(account, before, Reason.NAMESPACE_NOT_ALLOWED,
          "Operator " + Names.ref(op) + " does not allow Accounts in namespace " + ns + " (spec.accountNamespaces)",
          Duration.ofMinutes(5));
    }
    Optional<KeyPair> operatorSigner = operatorSigningKey(op);
    if (operatorSigner.isEmpty()) {
      return services.status().pending(account, before, "waiting for Operator " + Names.ref(op) + " keys", Duration.ofSeconds(5));
    }

    // 2. Account keys, created once; a lost Secret is reported, never replaced.
    List<SigningKeySpec> keySpecs = SpecConversions.signingKeys(spec);
    Map<String, KeyType> wanted = new LinkedHashMap<>();
    wanted.put(KeySecrets.IDENTITY, KeyType.ACCOUNT);
    keySpecs.forEach(k -> wanted.put(Names.signingEntry(k.getName()), KeyType.ACCOUNT));
    KeySecrets.Outcome keys =
        services.keys().ensure(Owner.of(account), Names.accountKeys(name), new KeySecrets.Wanted(wanted),
            secrets.get(new ResourceID(Names.accountKeys(name), ns)), st.getPublicKey(), spec.getIdentitySecretRef());
    if (!keys.ok()) {
      return services.status().failed(account, before, ConditionType.KEYS_READY, keys.failureReason(), keys.failureMessage(), KeySecrets.RETRY);
    }
    String accountPub = keys.get(KeySecrets.IDENTITY).publicKey();
    if (keys.created()) {
      services.status().events().normal(account, keys.adopted() ? Reason.KEYS_ADOPTED : Reason.KEYS_CREATED,
          "account identity " + accountPub);
    }
    st.setPublicKey(accountPub);
    List<AccountClaimsBuilder.ResolvedSigningKey> resolvedKeys = new ArrayList<>();
    List<SigningKeyStatus> keyStatuses = new ArrayList<>();
    for (SigningKeySpec k : keySpecs) {
      String pub = keys.get(Names.signingEntry(k.getName())).publicKey();
      resolvedKeys.add(new AccountClaimsBuilder.ResolvedSigningKey(k, pub));
      SigningKeyStatus ks = new SigningKeyStatus();
      ks.setName(k.getName());
      ks.setPublicKey(pub);
      keyStatuses.add(ks);
    }
    st.setSigningKeys(keyStatuses);
    services.status().set(account, ConditionType.KEYS_READY, Conditions.TRUE, keys.readyReason(), "");

    // 3. Revocations: those already issued plus users being deleted now.
    Map<String, Long> revocations = new TreeMap<>(st.getRevocations() == null ? Map.of() : st.getRevocations());
    long now = Instant.now().getEpochSecond();
    for (User u : Indexes.USERS_BY_ACCOUNT.lookup(users, AccountId.of(account))) {
      if (u.getStatus() == null) {
        continue;
      }
      if (u.getMetadata().getDeletionTimestamp() != null && u.getStatus().getPublicKey() != null) {
        revocations.putIfAbsent(u.getStatus().getPublicKey(), now);
      }
      if (u.getStatus().getRetiredKeys() != null) {
        u.getStatus().getRetiredKeys().forEach(revocations::putIfAbsent);
      }
    }

    // 4. Exports and imports.
    AccountInputs io = exportsAndImports(account, accountPub);

    // 5. Claims; sign only when they (or the signer) changed.
    AccountClaims claims =
        AccountClaimsBuilder.build(new AccountClaimsBuilder.Inputs(name, spec, accountPub, resolvedKeys, io.exports(), io.imports(), revocations));
    String hash = ClaimsHash.of(claims) + ":" + operatorSigner.get().publicKey();
    AccountClaims finalClaims = claims;
    KeyPair signer = operatorSigner.get();
    SignedJwts.Signed signed = services.signed().ensure(new SignedJwts.Subject(account.getMetadata().getUid(), "account"), hash, st.getClaimsHash(), st.getJwt(),
        Statuses.epochSeconds(st.getIssuedAt()), iat -> JwtEncoder.encode(finalClaims, signer, iat));
    if (signed.fresh()) {
      services.metrics().jwtSigned("account");
      LOG.info("account {}: signed JWT iat={} ({} exports, {} imports, {} revocations)", Names.ref(account), signed.iat(),
          io.exports().size(), io.imports().size(), revocations.size());
    }
    LOG.debug("account {}: imports {} unresolved {}", Names.ref(account),
        io.importSummaries().stream().map(ImportSummary::getFrom).toList(), io.unresolved());
    st.setJwt(signed.jwt());
    st.setClaimsHash(signed.hash());
    st.setIssuedAt(Statuses.rfc3339(signed.iat()));
    boolean justSigned = signed.fresh();
    st.setRevocations(revocations.isEmpty() ? null : revocations);
    st.setRevokedUsers(revocations.size());
    st.setExports(io.exportSummaries().isEmpty() ? null : io.exportSummaries());
    st.setImports(io.importSummaries().isEmpty() ? null : io.importSummaries());
    st.setExportCount(io.exports().size());
    st.setImportCount(io.imports().size());
    if (io.unresolved().isEmpty()) {
      services.status().set(account, ConditionType.IMPORTS_RESOLVED, Conditions.TRUE, Reason.ALL_RESOLVED, "");
    } else {
      services.status().set(account, ConditionType.IMPORTS_RESOLVED, Conditions.FALSE, Reason.IMPORTS_UNRESOLVED,
          String.join("; ", io.unresolved()));
    }

    // 6. Push to every resolver unless this connection already confirmed this JWT.
    Duration requeue = push(account, op, accountPub, st, justSigned);
    boolean pushed = Conditions.isTrue(st.getConditions(), ConditionType.PUSHED);
    if (pushed && io.unresolved().isEmpty()) {
      services.status().set(account, ConditionType.READY, Conditions.TRUE, Reason.RECONCILED, "");
    } else if (pushed) {
      services.status().set(account, ConditionType.READY, Conditions.FALSE, Reason.IMPORTS_UNRESOLVED,
          "the account works without " + io.unresolved().size() + " unresolved import(s); see ImportsResolved");
    } else {
      // push() always leaves a Pushed condition; Ready repeats its reason so kubectl shows the cause.
      services.status().set(account, ConditionType.READY, Conditions.FALSE, Conditions.reason(st.getConditions(), ConditionType.PUSHED),
          Conditions.find(st.getConditions(), ConditionType.PUSHED).map(c -> c.getMessage()).orElse(""));
    }
    return services.status().done(account, before, requeue != null ? requeue : services.settings().resyncInterval());
  }

  @Override
  public ErrorStatusUpdateControl<Account> updateErrorStatus(Account account, Context<Account> context, Exception e) {
    statusOf(account);
    return services.status().error(account, context, e);
  }

  private static AccountStatus statusOf(Account account) {
    if (account.getStatus() == null) {
      account.setStatus(new AccountStatus());
    }
    return account.getStatus();
  }

  /**
   * The one message of a successful Pushed condition, however it was confirmed (a push, a lookup after a restart, or
   * this process's memory): a different wording per path made every restart rewrite every Account's status twice.
   */
  static final String HOLDS_CURRENT = "resolver holds the current JWT";

  /** How long a first connection attempt may take before Accounts say they are not pushed for want of it. */
  static final Duration CONNECT_GRACE = Duration.ofSeconds(10);

  /** Returns a requeue delay when the push must be retried, else null. */
  private Duration push(Account account, Operator op, String accountPub, AccountStatus st, boolean justSigned) {
    ResolverConnections.Entry entry = services.connections().get(key(op)).orElse(null);
    Optional<ResolverClient> client = entry == null ? Optional.empty() : entry.client();
    String jwtHash = sha256(st.getJwt());
    if (client.isEmpty() && entry != null && entry.firstAttemptInFlight(CONNECT_GRACE)
        && Conditions.isTrue(st.getConditions(), ConditionType.PUSHED)) {
      // Just restarted, the connection still being made: what the status says stands until the attempt ends (the
      // connected callback reconciles again), rather than a NotConnected flap written on every restart.
      return Duration.ofSeconds(1);
    }
    if (client.isEmpty()) {
      services.status().set(account, ConditionType.PUSHED, Conditions.FALSE, Reason.NOT_CONNECTED,
          "the operator " + Names.ref(op) + " is not connected to its servers yet");
      return Duration.ofSeconds(2);
    }
    int expected = entry.urls().size();
    if (services.pushes().isCurrent(account.getMetadata().getUid(), jwtHash, entry.epoch(), services.settings().resyncInterval())) {
      // Confirmed by this process already; the status read may predate that, so state it again.
      services.status().set(account, ConditionType.PUSHED, Conditions.TRUE, Reason.PUSH_SUCCEEDED, HOLDS_CURRENT);
      st.setServers(expected + "/" + expected);
      return null;
    }
    // Drift check before writing: after a restart or reconnect the resolver usually has our JWT
    // already. A JWT signed just now cannot be there, so it skips the lookup (and its timeout). A
    // lookup is answered by one server only, so with several servers it proves nothing about the
    // others: re-pushing an identical JWT is harmless, so that is what happens there.
    boolean memory = isMemoryResolver(op);
    Optional<String> stored = justSigned || expected != 1 || memory ? Optional.empty() : client.get().lookup(accountPub);
    if (stored.isPresent() && stored.get().equals(st.getJwt())) {
      services.pushes().confirm(account.getMetadata().getUid(), jwtHash, entry.epoch());
      services.status().set(account, ConditionType.PUSHED, Conditions.TRUE, Reason.PUSH_SUCCEEDED, HOLDS_CURRENT);
      st.setServers(expected + "/" + expected);
      return null;
    }
    long start = System.nanoTime();
    PushResult result = memory ? client.get().pushToAccount(accountPub, st.getJwt()) : client.get().push(st.getJwt());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    st.setServers(result.replies().stream().filter(r -> r.ok()).count() + "/" + expected);
    if (result.allAcknowledged()) {
      services.metrics().pushed("ok", took);
      LOG.info("account {}: pushed to {}/{} servers in {} ms", Names.ref(account), result.replies().size(), expected, took.toMillis());
      services.pushes().confirm(account.getMetadata().getUid(), jwtHash, entry.epoch());
      services.status().set(account, ConditionType.PUSHED, Conditions.TRUE, Reason.PUSH_SUCCEEDED, HOLDS_CURRENT);
      return null;
    }
    services.metrics().pushed("failed", took);
    int n = services.pushes().failed(account.getMetadata().getUid());
    String why = result.errors().isEmpty()
        ? (expected - result.replies().size()) + " of " + expected + " server(s) did not answer"
        : result.errors().stream().map(e -> e.serverName() + ": " + e.message()).collect(Collectors.joining("; "));
    services.status().set(account, ConditionType.PUSHED, Conditions.FALSE, Reason.PUSH_FAILED, why);
    services.status().events().recordOnChange(account, EventRecorder.WARNING, Reason.PUSH_FAILED, why);
    return Duration.ofMillis(Math.min(300_000, 1000L << Math.min(n, 8)));
  }

  @Override
  public DeleteControl cleanup(Account account, Context<Account> context) {
    services.forget(account);
    AccountStatus st = account.getStatus();
    if (st == null || st.getPublicKey() == null) {
      return DeleteControl.defaultDelete();
    }
    boolean delete = account.getSpec() != null && account.getSpec().getDeletionPolicy() == DeletionPolicy.Delete;
    if (!delete) {
      return DeleteControl.defaultDelete(); // Retain: keys and the resolver copy stay
    }
    Operator op = resolveOperator(account);
    Optional<KeyPair> signer = op == null ? Optional.empty() : operatorSigningKey(op);
    Optional<ResolverClient> client = op == null ? Optional.empty()
        : services.connections().get(key(op)).flatMap(ResolverConnections.Entry::client);
    if (signer.isPresent() && client.isPresent()) {
      String req = JwtEncoder.encode(new DeleteRequest(signer.get().publicKey(), List.of(st.getPublicKey())), signer.get(),
          IssuedAt.next(0));
      PushResult r = client.get().delete(req);
      if (!r.allAcknowledged()) {
        services.status().events().warning(account, Reason.PUSH_FAILED, "resolver delete: "
            + r.errors().stream().map(e -> e.message()).collect(Collectors.joining("; ")));
      }
    }
    services.objects().deleteSecretIfOurs(Owner.of(account), Names.accountKeys(account.getMetadata().getName()));
    return DeleteControl.defaultDelete();
  }

  private Operator resolveOperator(Account a) {
    return OperatorRefs.resolve(a, operators::get, () -> operators.list(o -> true).toList());
  }

  /** Memory resolvers answer only the per-account update subject and hold no copy to look up. */
  static boolean isMemoryResolver(Operator op) {
    return op.getSpec() != null && op.getSpec().getResolver() != null
        && op.getSpec().getResolver().getType() == dev.nats.accounts.api.v1alpha1.ResolverType.MEMORY;
  }

  private boolean namespaceAllowed(Operator op, String ns) {
    AccountNamespaces policy = op.getSpec() == null ? null : op.getSpec().getAccountNamespaces();
    if (policy == null) {
      return true;
    }
    if (policy.getNames() != null && !policy.getNames().isEmpty()) {
      return policy.getNames().contains(ns);
    }
    if (policy.getSelector() != null) {
      Namespace n = namespaces.get(new ResourceID(ns)).orElse(null);
      return n != null && LabelSelectors.matches(policy.getSelector(), n.getMetadata().getLabels());
    }
    return true;
  }

  /** The first operator signing key, from the operator's keys Secret in the informer cache. */
  private Optional<KeyPair> operatorSigningKey(Operator op) {
    if (op.getStatus() == null || op.getStatus().getPublicKey() == null) {
      return Optional.empty();
    }
    return secrets.get(new ResourceID(Names.operatorKeys(op.getMetadata().getName()), op.getMetadata().getNamespace()))
        .flatMap(s -> KeySecrets.read(s, Names.ACCOUNT_SIGNER))
        .map(KeyPair::fromSeed);
  }

  /** The exports and imports this account's JWT carries, from the informer caches. */
  private AccountInputs exportsAndImports(Account account, String accountPub) {
    AccountId key = AccountId.of(account);
    List<ExportView> views = new ArrayList<>();
    Indexes.EXPORTS_BY_ACCOUNT.lookup(serviceExports, key).forEach(e -> views.add(ExportView.of(e)));
    Indexes.EXPORTS_BY_ACCOUNT.lookup(streamExports, key).forEach(e -> views.add(ExportView.of(e)));
    ExportClaims.Selection selection = ExportClaims.select(views);
    List<Export> exports = new ArrayList<>();
    List<ExportSummary> exportSummaries = new ArrayList<>();
    for (ExportView v : selection.included()) {
      Export e = ExportClaims.toClaim(v);
      exports.add(e);
      ExportSummary s = new ExportSummary();
      s.setName(v.name());
      s.setSubject(e.subject());
      s.setType(e.type().name().toLowerCase());
      s.setPrivate(e.tokenReq());
      s.setFrom(v.id().toString());
      exportSummaries.add(s);
    }
    List<ImportView> importViews = new ArrayList<>();
    Indexes.IMPORTS_BY_ACCOUNT.lookup(serviceImports, key).forEach(i -> importViews.add(ImportView.of(i)));
    Indexes.IMPORTS_BY_ACCOUNT.lookup(streamImports, key).forEach(i -> importViews.add(ImportView.of(i)));
    List<Import> imports = new ArrayList<>();
    List<ImportSummary> importSummaries = new ArrayList<>();
    List<String> unresolved = new ArrayList<>();
    for (ImportResolution.Outcome o : ImportResolution.resolveAll(importViews, account, accountPub, lookup)) {
      if (!o.ok()) {
        unresolved.add(o.source().id() + ": " + o.reason());
        continue;
      }
      imports.add(o.claim());
      ImportSummary s = new ImportSummary();
      s.setName(o.source().name());
      s.setSubject(o.claim().subject());
      s.setLocalSubject(o.claim().localSubject());
      s.setType(o.claim().type().name().toLowerCase());
      s.setAccount(o.exporterKey());
      s.setFrom(o.source().id().toString());
      importSummaries.add(s);
    }
    return new AccountInputs(exports, exportSummaries, imports, importSummaries, unresolved);
  }

  /** What exports and imports contribute to one account JWT, and what they could not. */
  record AccountInputs(List<Export> exports, List<ExportSummary> exportSummaries, List<Import> imports,
      List<ImportSummary> importSummaries, List<String> unresolved) {}

  static ResolverConnections.Key key(Operator op) {
    return new ResolverConnections.Key(op.getMetadata().getNamespace(), op.getMetadata().getName());
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
