package dev.nats.accounts.reconciler.account;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountNamespaces;
import dev.nats.accounts.api.v1alpha1.AccountSpec;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.DeletionPolicy;
import dev.nats.accounts.api.v1alpha1.ExportSpec;
import dev.nats.accounts.api.v1alpha1.ExportSummary;
import dev.nats.accounts.api.v1alpha1.ImportSpec;
import dev.nats.accounts.api.v1alpha1.ImportSummary;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ResolverType;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.informers.SharedEventSource;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.ClaimsHash;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.nats.ResolverConnections;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.reconciler.IdentityClaims;
import dev.nats.accounts.reconciler.Indexes;
import dev.nats.accounts.reconciler.Indexes.AccountId;
import dev.nats.accounts.reconciler.Indexes.ExportId;
import dev.nats.accounts.reconciler.Indexes.OperatorId;
import dev.nats.accounts.reconciler.Informers;
import dev.nats.accounts.reconciler.LabelSelectors;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.OperatorRefs;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.SignedJwts;
import dev.nats.accounts.reconciler.SpecConversions;
import dev.nats.accounts.reconciler.Statuses;
import dev.nats.accounts.reconciler.StoredRevocations;
import dev.nats.accounts.reconciler.exports.ExportClaims;
import dev.nats.accounts.reconciler.exports.ExportView;
import dev.nats.accounts.reconciler.exports.Grants;
import dev.nats.accounts.reconciler.exports.IssuedGrants;
import dev.nats.accounts.reconciler.imports.CacheLookup;
import dev.nats.accounts.reconciler.imports.ImportResolution;
import dev.nats.accounts.reconciler.imports.ImportView;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.event.Level;

/**
 * The only writer of account JWTs. Everything that shapes an account (its spec, the operator's
 * signing key, exports, imports, deleted users) is read from informer caches; the JWT is re-signed
 * only when the claims or the signer changed, and pushed to every resolver until each confirmed it.
 */
@ControllerConfiguration(name = "account")
public final class AccountReconciler implements Reconciler<Account>, Cleaner<Account> {
  /**
   * The owners of the Secrets this reconciler caches: its own keys, the Operator's (it signs with
   * them), and the activation tokens of exports (they go into importers' JWTs). Not Users' creds.
   */
  public static final List<Class<? extends HasMetadata>> SECRETS_OF =
      List.of(Account.class, Operator.class, ServiceExport.class, StreamExport.class);

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(AccountReconciler.class);
  private final Services services;
  private final AccountPusher pusher;
  private final SigningKeyRotator rotator;
  private final ResolverSweep sweeper;

  /**
   * Sweeps run one at a time, on a thread of their own: the connection's callback thread must not
   * wait on the network, and two operators' sweeps need not compete for two cores. The thread ends
   * when idle: connects are rare.
   */
  private final ThreadPoolExecutor sweeps = sweepThread();

  private final Set<ResolverConnections.Key> sweepsWaiting = ConcurrentHashMap.newKeySet();
  private SharedEventSource<Operator, Account> operators;
  private SharedEventSource<Secret, Account> secrets;
  private SharedEventSource<User, Account> users;
  private SharedEventSource<Namespace, Account> namespaces;
  private final SimpleInboundEventSource<Account> reconnects =
      new SimpleInboundEventSource<>("account-reconnects");
  private volatile IndexerResourceCache<Account> primaryCache;

  private SharedEventSource<ServiceExport, Account> serviceExports;
  private SharedEventSource<StreamExport, Account> streamExports;
  private SharedEventSource<ServiceImport, Account> serviceImports;
  private SharedEventSource<StreamImport, Account> streamImports;
  private SharedEventSource<Account, Account> rotationRequests;
  private CacheLookup lookup;

  public AccountReconciler(Services services) {
    this.services = services;
    this.pusher = new AccountPusher(services);
    this.rotator = new SigningKeyRotator(services);
    this.sweeper = new ResolverSweep(services.pushes(), services.metrics());
  }

  @Override
  public List<EventSource<?, Account>> prepareEventSources(EventSourceContext<Account> context) {
    EventSource<Account, Account> relay = services.informers().lendOwnInformer(context);
    primaryCache = context.getPrimaryCache();
    Indexes.ACCOUNTS_BY_OPERATOR.addTo(primaryCache);
    Indexes.ACCOUNTS_BY_IDENTITY.addTo(primaryCache);
    operators =
        services.informers().watch(context, Operator.class, op -> accountsOf(OperatorId.of(op)));
    secrets =
        services
            .informers()
            .watchOwnedBy(context, Secret.class, this::secretToAccounts, SECRETS_OF);
    Indexes.OBJECTS_BY_EXPORT.addTo(secrets);
    users =
        services
            .informers()
            .watch(
                context,
                User.class,
                u ->
                    accountOf(
                        AccountId.referencedBy(
                            u, u.getSpec() == null ? null : u.getSpec().getAccountRef())));
    Indexes.USERS_BY_ACCOUNT.addTo(users);
    namespaces =
        services
            .informers()
            .watch(
                context,
                Namespace.class,
                n ->
                    primaryCache
                        .list(n.getMetadata().getName())
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()));
    serviceExports = exportSource(context, ServiceExport.class);
    streamExports = exportSource(context, StreamExport.class);
    serviceImports = importSource(context, ServiceImport.class);
    streamImports = importSource(context, StreamImport.class);
    rotationRequests =
        services
            .informers()
            .annotationChanges(context, SigningKeyRotation.REQUEST, SigningKeyRotation.EMERGENCY);
    lookup =
        new CacheLookup(
            (ns, n) -> serviceExports.get(new ResourceID(n, ns)),
            (ns, n) -> streamExports.get(new ResourceID(n, ns)),
            (ns, n) -> primaryCache.get(new ResourceID(n, ns)),
            (ns, n) -> secrets.get(new ResourceID(n, ns)),
            services.client(),
            a -> Optional.ofNullable(resolveOperator(a)).map(OperatorId::of).orElse(null),
            services.tokens());
    return List.of(
        relay,
        operators,
        secrets,
        users,
        namespaces,
        reconnects,
        serviceExports,
        streamExports,
        serviceImports,
        streamImports,
        rotationRequests);
  }

  /** An export changes its own account's JWT and the JWTs of the accounts importing it. */
  private <E extends CustomResource<? extends ExportSpec, ?>>
      SharedEventSource<E, Account> exportSource(
          EventSourceContext<Account> context, Class<E> type) {
    SharedEventSource<E, Account> source =
        services
            .informers()
            .watch(
                context,
                type,
                e -> {
                  Set<ResourceID> ids = new HashSet<>(importersOf(ExportId.of(e)));
                  ids.addAll(
                      accountOf(
                          AccountId.referencedBy(
                              e, e.getSpec() == null ? null : e.getSpec().getAccountRef())));
                  return ids;
                });
    Indexes.EXPORTS_BY_ACCOUNT.addTo(source);
    return source;
  }

  private <I extends CustomResource<? extends ImportSpec, ?>>
      SharedEventSource<I, Account> importSource(
          EventSourceContext<Account> context, Class<I> type) {
    SharedEventSource<I, Account> source =
        services
            .informers()
            .watch(
                context,
                type,
                i ->
                    accountOf(
                        AccountId.referencedBy(
                            i, i.getSpec() == null ? null : i.getSpec().getAccountRef())));
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
    for (SharedEventSource<? extends CustomResource<? extends ImportSpec, ?>, Account> imports :
        Arrays.asList(serviceImports, streamImports)) {
      if (imports != null) {
        Indexes.IMPORTS_BY_EXPORT
            .lookup(imports, export)
            .forEach(
                i -> ids.addAll(accountOf(AccountId.referencedBy(i, i.getSpec().getAccountRef()))));
      }
    }
    return ids;
  }

  /**
   * A (re)connected server may have missed pushes (it restarted, or it is new): every account of
   * that operator is verified there, by one {@link ResolverSweep} off the connection's callback
   * thread; the Accounts it could not settle, or whose status says otherwise, are reconciled, and
   * the connection epoch makes each of those verify its JWT itself. Connects that come while a
   * sweep of the operator waits to start are covered by it.
   */
  public void onOperatorConnected(ResolverConnections.Key operator) {
    if (primaryCache != null && sweepsWaiting.add(operator)) {
      sweeps.execute(
          () -> {
            sweepsWaiting.remove(operator);
            sweep(operator);
          });
    }
  }

  private static ThreadPoolExecutor sweepThread() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "resolver-sweep");
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private void sweep(ResolverConnections.Key key) {
    long start = System.nanoTime();
    Set<ResourceID> wake = accountsOf(new OperatorId(key.namespace(), key.name()));
    String result = "skipped";
    try {
      Optional<ResolverSweep.Outcome> outcome = sweepAccounts(key, wake);
      if (outcome.isPresent()) {
        result = "done";
        LOG.atLevel(wake.isEmpty() ? Level.DEBUG : Level.INFO)
            .log(
                "operator {}/{}: resolver sweep of {} accounts: {} pushed, {} current, {} left to their"
                    + " reconciles, in {} ms",
                key.namespace(),
                key.name(),
                wake.size(),
                outcome.get().pushed(),
                outcome.get().confirmed(),
                outcome.get().wake().size(),
                (System.nanoTime() - start) / 1_000_000);
        wake = outcome.get().wake();
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "operator {}/{}: resolver sweep failed, every account checks itself: {}",
          key.namespace(),
          key.name(),
          e.toString());
    }
    services.metrics().swept(result, Duration.ofNanos(System.nanoTime() - start));
    wake.forEach(reconnects::propagateEvent);
  }

  /**
   * Sweeps the Accounts of {@code ids} that this operator's full resolvers serve; the others (a
   * memory resolver, an Account that names another operator) are woken. Empty: nothing was swept.
   */
  private Optional<ResolverSweep.Outcome> sweepAccounts(
      ResolverConnections.Key key, Set<ResourceID> ids) {
    Operator op = operators.get(new ResourceID(key.name(), key.namespace())).orElse(null);
    ResolverConnections.Entry entry = services.connections().get(key).orElse(null);
    Optional<ResolverClient> client = entry == null ? Optional.empty() : entry.client();
    if (op == null
        || client.isEmpty()
        || op.getSpec() == null
        || op.getSpec().getResolver() == null
        || op.getSpec().getResolver().getType() != ResolverType.FULL) {
      return Optional.empty();
    }
    List<Account> mine = new ArrayList<>();
    Set<ResourceID> others = new HashSet<>();
    for (ResourceID id : ids) {
      Optional<Account> a = primaryCache.get(id);
      Operator its = a.map(this::resolveOperator).orElse(null);
      if (its != null && AccountPusher.key(its).equals(key)) {
        mine.add(a.get());
      } else {
        others.add(id);
      }
    }
    return sweeper
        .sweep(client.get(), entry.epoch(), entry.urls().size(), mine)
        .map(
            o -> {
              Set<ResourceID> wake = new HashSet<>(o.wake());
              wake.addAll(others);
              return new ResolverSweep.Outcome(o.pushed(), o.confirmed(), wake);
            });
  }

  /** Accounts naming this operator, plus those relying on the only Operator there is. */
  private Set<ResourceID> accountsOf(OperatorId operator) {
    Set<ResourceID> out = new HashSet<>(Indexes.ACCOUNTS_BY_OPERATOR.ids(primaryCache, operator));
    out.addAll(Indexes.ACCOUNTS_BY_OPERATOR.ids(primaryCache, OperatorId.ANY));
    return out;
  }

  /**
   * A key Secret wakes its Account; an operator's Secret its Accounts; an activation token the
   * importers.
   */
  private Set<ResourceID> secretToAccounts(Secret s) {
    Set<ResourceID> out = new HashSet<>();
    Indexes.accountOwning(s).ifPresent(a -> out.add(a.resourceId()));
    Indexes.operatorOwning(s).ifPresent(o -> out.addAll(accountsOf(o)));
    Indexes.exportOwning(s).ifPresent(e -> out.addAll(importersOf(e)));
    return out;
  }

  /**
   * Operator, keys, revocations, exports and imports, then the JWT (signed only when its claims or
   * signer changed), then the push. A step that cannot go on reports why and returns.
   */
  @Override
  public UpdateControl<Account> reconcile(Account account, Context<Account> context) {
    Informers.withAnnotationsSeenBy(account, rotationRequests);
    AccountStatus before = Statuses.copy(account.getStatus(), AccountStatus.class);
    services.status().statusOf(account, AccountStatus::new);
    Operator op = resolveOperator(account);
    Optional<KeyPair> operatorSigner = op == null ? Optional.empty() : operatorSigningKey(op);
    Optional<UpdateControl<Account>> stop = operatorProblem(account, before, op, operatorSigner);
    if (stop.isPresent()) {
      return stop.get();
    }
    Map<String, SigningKeyRotation.Policy> rotation = SigningKeyRotator.policies(account);
    Optional<Secret> keySecret = keySecretForKeys(account);
    KeySecrets.Outcome keys = ensureKeys(account, keySecret);
    stop = keysProblem(account, before, keys);
    if (stop.isPresent()) {
      return stop.get();
    }
    SigningKeyRotator.Slots slots = rotateSigningKeys(account, rotation, keys, keySecret);
    List<AccountClaimsBuilder.ResolvedSigningKey> signingKeys = publishKeys(account, keys, slots);
    Revoked stored = stored(keySecret(account));
    List<ExportView> exports = exportViews(account);
    Revoked revoked = revocations(account, stored, exports);
    storeRevocations(account, stored, revoked);
    AccountInputs io = new AccountInputs(exports(exports, revoked.exports()), imports(account));
    stop = firstPushHeld(account, before, io);
    if (stop.isPresent()) {
      return stop.get();
    }
    SignedJwts.Signed signed =
        sign(account, signingKeys, io, revoked.users(), operatorSigner.get());
    services.pushes().firstPushDone(account.getMetadata().getUid());
    publishJwt(account, signed, io, revoked.users());
    Duration requeue = pusher.push(account, op, signed.fresh());
    slots = switchWhenAcknowledged(account, slots);
    setReady(account, io);
    return services.status().done(account, before, untilNext(requeue, slots.wakeAt()));
  }

  /**
   * A new Account (never signed) whose imports are on their way waits for them a little before its
   * first JWT, so that it is signed and pushed once, not once without them and again with them. Its
   * keys are published meanwhile: the exports and Users that wait on them go on.
   */
  private Optional<UpdateControl<Account>> firstPushHeld(
      Account account, AccountStatus before, AccountInputs io) {
    String uid = account.getMetadata().getUid();
    if (!io.imports().onTheirWay()
        || account.getStatus().getJwt() != null
        || services.signed().known(new SignedJwts.Subject(uid, "account"))) {
      return Optional.empty();
    }
    return services
        .pushes()
        .firstPushHeld(uid)
        .map(
            left ->
                services
                    .status()
                    .pending(
                        account,
                        before,
                        "waiting for imports on their way before the first push: "
                            + String.join("; ", io.imports().unresolved()),
                        left));
  }

  /**
   * The key Secret from the cache; for an Account that rotates its signing keys, read live: a step
   * of a rotation taken on a stale copy could bring a replaced key back into the JWT.
   */
  private Optional<Secret> keySecretForKeys(Account account) {
    Optional<Secret> cached = keySecret(account);
    if (!SigningKeyRotator.rotating(account, cached)) {
      return cached;
    }
    return services
        .objects()
        .readSecret(
            account.getMetadata().getNamespace(),
            Names.accountKeys(account.getMetadata().getName()))
        .or(() -> cached);
  }

  /** This reconcile's rotation step (see {@link SigningKeyRotation}); nothing when none is due. */
  private SigningKeyRotator.Slots rotateSigningKeys(
      Account account,
      Map<String, SigningKeyRotation.Policy> policies,
      KeySecrets.Outcome keys,
      Optional<Secret> read) {
    // ensureKeys may just have written seeds the copy read before lacks: then read it again.
    Secret secret =
        read.filter(s -> holds(s, keys))
            .or(
                () ->
                    services
                        .objects()
                        .readSecret(
                            account.getMetadata().getNamespace(),
                            Names.accountKeys(account.getMetadata().getName())))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the key Secret of Account " + Names.ref(account) + " is gone"));
    // Which keys sign the tokens importers carry matters only to a rotation that keeps a previous
    // key, and finding out decodes every importer's JWT: not worth it on every reconcile.
    return rotator.step(
        account,
        policies,
        secret,
        keys,
        SigningKeyRotator.rotating(account, Optional.of(secret))
            ? activationSigners(account)
            : Set.of());
  }

  private static boolean holds(Secret s, KeySecrets.Outcome keys) {
    return keys.keys().entrySet().stream()
        .allMatch(
            e ->
                KeySecrets.read(s, e.getKey())
                    .filter(seed -> seed.equals(e.getValue().seed()))
                    .isPresent());
  }

  /** Staged keys become signers once every resolver acknowledged the JWT that holds them. */
  private SigningKeyRotator.Slots switchWhenAcknowledged(
      Account account, SigningKeyRotator.Slots slots) {
    if (!slots.staged()
        || !Conditions.isTrue(account.getStatus().getConditions(), ConditionType.PUSHED)) {
      return slots;
    }
    SigningKeyRotator.Slots switched = rotator.switchStaged(account, slots);
    account.getStatus().setSigningKeys(switched.statuses());
    return switched;
  }

  /**
   * The keys that signed the activation tokens of this account's exports, as their Secrets hold
   * them and as the importing Accounts' JWTs carry them: a replaced key stays in the JWT while one
   * of them still signs a token an importer depends on.
   */
  private Set<String> activationSigners(Account account) {
    Set<String> out = new HashSet<>();
    for (ExportView v : exportViews(account)) {
      for (ResourceID importer : importersOf(ExportId.of(v.resource()))) {
        primaryCache
            .get(importer)
            .map(Account::getStatus)
            .map(AccountStatus::getJwt)
            .ifPresent(jwt -> out.addAll(tokenIssuers(jwt, account.getStatus().getPublicKey())));
      }
      IssuedGrants.of(v, secrets)
          .values()
          .forEach(
              secretName ->
                  secrets
                      .get(new ResourceID(secretName, v.namespace()))
                      .flatMap(s -> KeySecrets.read(s, Grants.TOKEN_KEY))
                      .flatMap(AccountReconciler::issuerOf)
                      .ifPresent(out::add));
    }
    return out;
  }

  /** Issuers of the activation tokens an account JWT embeds for imports from {@code exporter}. */
  private static Set<String> tokenIssuers(String accountJwt, String exporter) {
    Set<String> out = new HashSet<>();
    try {
      JwtDecoder.decodeIgnoringTime(accountJwt)
          .payload()
          .path("nats")
          .path("imports")
          .forEach(
              i -> {
                if (exporter.equals(i.path("account").asText()) && i.hasNonNull("token")) {
                  issuerOf(i.path("token").asText()).ifPresent(out::add);
                }
              });
    } catch (RuntimeException e) {
      // a JWT that does not decode embeds nothing we could keep alive
    }
    return out;
  }

  private static Optional<String> issuerOf(String jwt) {
    try {
      return Optional.of(JwtDecoder.decodeIgnoringTime(jwt).issuer());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The push's retry, else the rotation's next step, else the resync. */
  private Duration untilNext(Duration requeue, Instant rotationWake) {
    Duration next = requeue != null ? requeue : services.settings().resyncInterval();
    if (rotationWake != null) {
      Duration until = Duration.between(Instant.now(), rotationWake);
      Duration wake = until.isNegative() ? Duration.ofSeconds(2) : until.plusMillis(100);
      next = wake.compareTo(next) < 0 ? wake : next;
    }
    return next;
  }

  /**
   * Why the Account cannot be signed by its Operator yet: none, not allowed here, or no keys yet.
   */
  private Optional<UpdateControl<Account>> operatorProblem(
      Account account, AccountStatus before, Operator op, Optional<KeyPair> operatorSigner) {
    if (op == null) {
      return Optional.of(operatorNotFound(account, before));
    }
    if (!managed(op)) {
      return Optional.of(operatorNotManaged(account, before, op));
    }
    if (!namespaceAllowed(op, account.getMetadata().getNamespace())) {
      return Optional.of(
          services
              .status()
              .failed(
                  account,
                  before,
                  Reason.NAMESPACE_NOT_ALLOWED,
                  "Operator "
                      + Names.ref(op)
                      + " does not allow Accounts in namespace "
                      + account.getMetadata().getNamespace()
                      + " (spec.accountNamespaces)",
                  Duration.ofMinutes(5)));
    }
    if (operatorSigner.isEmpty()) {
      return Optional.of(
          services
              .status()
              .pending(
                  account,
                  before,
                  "waiting for Operator " + Names.ref(op) + " keys",
                  Duration.ofSeconds(5)));
    }
    return Optional.empty();
  }

  /** Keys that could not be made or read, or an identity that another resource holds. */
  private Optional<UpdateControl<Account>> keysProblem(
      Account account, AccountStatus before, KeySecrets.Outcome keys) {
    if (!keys.ok()) {
      return Optional.of(
          services
              .status()
              .failed(
                  account,
                  before,
                  ConditionType.KEYS_READY,
                  keys.failureReason(),
                  keys.failureMessage(),
                  KeySecrets.RETRY));
    }
    String identity = keys.get(KeySecrets.IDENTITY).publicKey();
    return identityHolder(account, identity)
        .map(
            holder ->
                services
                    .status()
                    .failed(
                        account,
                        before,
                        ConditionType.KEYS_READY,
                        Reason.IDENTITY_IN_USE,
                        identityInUse(identity, holder),
                        Duration.ofMinutes(5)));
  }

  /**
   * Another Account, or an Operator's system account, that holds this identity (see {@link
   * IdentityClaims}): then this Account publishes, signs and pushes nothing.
   */
  private Optional<HasMetadata> identityHolder(Account account, String identity) {
    List<HasMetadata> others =
        new ArrayList<>(Indexes.ACCOUNTS_BY_IDENTITY.lookup(primaryCache, identity));
    operators
        .list(o -> Indexes.OPERATORS_BY_IDENTITY.keys().apply(o).contains(identity))
        .forEach(others::add);
    boolean published = identity.equals(account.getStatus().getPublicKey());
    Optional<HasMetadata> holder =
        IdentityClaims.holderOtherThan(new IdentityClaims.Claim(account, published), others);
    return holder.isPresent() ? holder : services.identities().claim(identity, account);
  }

  static String identityInUse(String identity, HasMetadata holder) {
    return "identity "
        + identity
        + " belongs to "
        + holder.getKind()
        + " "
        + Names.ref(holder)
        + ": one NATS identity has one owner; adopt another seed (spec.identitySecretRef) or delete one of them";
  }

  private boolean managed(Operator op) {
    return services.settings().managesOperatorsIn(op.getMetadata().getNamespace());
  }

  /**
   * The Operator exists but this process does not reconcile it (OPERATOR_NAMESPACES leaves its
   * namespace out), so its keys would never come: said at once, on the Account, in the log and on
   * the Operator (which no status of ours would ever mention otherwise), rather than left Pending.
   * Logged and put on the Operator only when the Account comes to this state, not on every retry.
   */
  private UpdateControl<Account> operatorNotManaged(
      Account account, AccountStatus before, Operator op) {
    String msg =
        "Operator "
            + Names.ref(op)
            + " is not reconciled by this nats-account-operator: its namespace "
            + op.getMetadata().getNamespace()
            + " is not in OPERATOR_NAMESPACES ("
            + String.join(",", new java.util.TreeSet<>(services.settings().operatorNamespaces()))
            + "); add it there (Helm value operatorNamespaces, which also grants ConfigMaps there)"
            + " or refer to an Operator in one of those namespaces";
    boolean already =
        Reason.OPERATOR_NOT_MANAGED.equals(
            Conditions.reason(before == null ? null : before.getConditions(), ConditionType.READY));
    if (!already) {
      LOG.warn("Account {}: {}", Names.ref(account), msg);
      services
          .status()
          .events()
          .warning(
              op,
              Reason.OPERATOR_NOT_MANAGED,
              "Account "
                  + Names.ref(account)
                  + " refers to this Operator, which is not reconciled: its namespace is not in"
                  + " OPERATOR_NAMESPACES");
    }
    return services
        .status()
        .failed(account, before, Reason.OPERATOR_NOT_MANAGED, msg, Duration.ofMinutes(5));
  }

  private UpdateControl<Account> operatorNotFound(Account account, AccountStatus before) {
    String msg =
        account.getSpec() == null || account.getSpec().getOperatorRef() == null
            ? "spec.operatorRef is not set and there is not exactly one Operator in the cluster"
            : "spec.operatorRef: Operator " + OperatorId.of(account) + " not found";
    return services
        .status()
        .failed(account, before, Reason.OPERATOR_NOT_FOUND, msg, Duration.ofSeconds(60));
  }

  /**
   * The identity and one signing key per spec entry, created once; a lost Secret is reported, never
   * replaced.
   */
  private KeySecrets.Outcome ensureKeys(Account account, Optional<Secret> keySecret) {
    AccountSpec spec = account.getSpec() == null ? new AccountSpec() : account.getSpec();
    Map<String, KeyType> wanted = new LinkedHashMap<>();
    wanted.put(KeySecrets.IDENTITY, KeyType.ACCOUNT);
    SpecConversions.signingKeys(spec)
        .forEach(k -> wanted.put(Names.signingEntry(k.getName()), KeyType.ACCOUNT));
    String secretName = Names.accountKeys(account.getMetadata().getName());
    return services
        .keys()
        .ensure(
            Owner.of(account),
            secretName,
            new KeySecrets.Wanted(wanted),
            keySecret,
            account.getStatus().getPublicKey(),
            spec.getIdentitySecretRef());
  }

  /** Public keys into status (KeysReady); returns the signing keys as the claims need them. */
  private List<AccountClaimsBuilder.ResolvedSigningKey> publishKeys(
      Account account, KeySecrets.Outcome keys, SigningKeyRotator.Slots slots) {
    AccountStatus st = account.getStatus();
    String accountPub = keys.get(KeySecrets.IDENTITY).publicKey();
    if (keys.created()) {
      services
          .status()
          .events()
          .normal(
              account,
              keys.adopted() ? Reason.KEYS_ADOPTED : Reason.KEYS_CREATED,
              "account identity " + accountPub);
    }
    st.setPublicKey(accountPub);
    st.setSigningKeys(slots.statuses());
    services
        .status()
        .set(account, ConditionType.KEYS_READY, Conditions.TRUE, keys.readyReason(), "");
    return slots.resolved();
  }

  /**
   * What the account revokes: user keys (in its own claims) and, per export, grantees whose grant
   * was removed (in that export's claim). Stored with the identity, so both outlive status.
   */
  record Revoked(Map<String, Long> users, StoredRevocations.Exports exports) {
    Revoked merge(Revoked other) {
      return new Revoked(StoredRevocations.merge(users, other.users), exports.merge(other.exports));
    }
  }

  /** Revocations already issued and stored, plus those the status, Users and exports add now. */
  private Revoked revocations(Account account, Revoked stored, List<ExportView> exports) {
    return new Revoked(
        userRevocations(account, stored.users()),
        ExportClaims.revocations(
            stored.exports(),
            exports,
            v -> IssuedGrants.issuedAt(v, secrets),
            Instant.now().getEpochSecond()));
  }

  /**
   * Revocations already issued, plus the keys of Users being deleted now and the keys they retired.
   */
  private Map<String, Long> userRevocations(Account account, Map<String, Long> stored) {
    AccountStatus st = account.getStatus();
    Map<String, Long> revocations =
        StoredRevocations.merge(
            stored, st.getRevocations() == null ? Map.of() : st.getRevocations());
    long now = Instant.now().getEpochSecond();
    for (User u : Indexes.USERS_BY_ACCOUNT.lookup(users, AccountId.of(account))) {
      if (u.getStatus() == null) {
        continue;
      }
      if (u.getMetadata().getDeletionTimestamp() != null && u.getStatus().getPublicKey() != null) {
        // A revocation covers JWTs issued at or before its time, and a user's iat can run ahead
        // of the clock (it strictly increases per User): revoking at "now" would spare its JWT.
        revocations.putIfAbsent(
            u.getStatus().getPublicKey(),
            Math.max(now, Statuses.epochSeconds(u.getStatus().getIssuedAt())));
      }
      if (u.getStatus().getRetiredKeys() != null) {
        u.getStatus().getRetiredKeys().forEach(revocations::putIfAbsent);
      }
    }
    return revocations;
  }

  private Optional<Secret> keySecret(Account account) {
    return secrets.get(
        new ResourceID(
            Names.accountKeys(account.getMetadata().getName()),
            account.getMetadata().getNamespace()));
  }

  private static Revoked stored(Optional<Secret> keySecret) {
    return new Revoked(
        StoredRevocations.parse(
            keySecret.flatMap(x -> KeySecrets.read(x, StoredRevocations.ENTRY)).orElse(null)),
        StoredRevocations.Exports.parse(
            keySecret
                .flatMap(x -> KeySecrets.read(x, StoredRevocations.EXPORTS_ENTRY))
                .orElse(null)));
  }

  /**
   * Revocations go into the key Secret before they are signed, so a wiped status (the Account's or
   * an export's), a restart, or the Account or an export deleted and applied again (the keys
   * retained) cannot forget them. The cache may lag behind our last write: a live read decides
   * before writing.
   */
  private void storeRevocations(Account account, Revoked stored, Revoked revoked) {
    if (revoked.equals(stored)) {
      return;
    }
    Secret fresh =
        services
            .objects()
            .readSecret(
                account.getMetadata().getNamespace(),
                Names.accountKeys(account.getMetadata().getName()))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the key Secret of Account " + Names.ref(account) + " is gone"));
    Revoked there = stored(Optional.of(fresh));
    Revoked merged = there.merge(revoked);
    Map<String, String> changed = new LinkedHashMap<>();
    if (!merged.users().equals(there.users())) {
      changed.put(StoredRevocations.ENTRY, StoredRevocations.write(merged.users()));
    }
    if (!merged.exports().equals(there.exports())) {
      changed.put(StoredRevocations.EXPORTS_ENTRY, merged.exports().write());
    }
    if (!changed.isEmpty()) {
      services.objects().addToSecret(Owner.of(account), fresh, changed);
    }
  }

  /** The account JWT for the desired claims, signed only when they (or the signer) changed. */
  private SignedJwts.Signed sign(
      Account account,
      List<AccountClaimsBuilder.ResolvedSigningKey> signingKeys,
      AccountInputs io,
      Map<String, Long> revocations,
      KeyPair signer) {
    AccountStatus st = account.getStatus();
    AccountClaims claims =
        AccountClaimsBuilder.build(
            new AccountClaimsBuilder.Inputs(
                account.getMetadata().getName(),
                account.getSpec(),
                st.getPublicKey(),
                signingKeys,
                io.exports().claims(),
                io.imports().claims(),
                revocations));
    String hash = ClaimsHash.of(claims) + ":" + signer.publicKey();
    SignedJwts.Signed signed =
        services
            .signed()
            .ensure(
                new SignedJwts.Subject(account.getMetadata().getUid(), "account"),
                hash,
                st.getClaimsHash(),
                st.getJwt(),
                Statuses.epochSeconds(st.getIssuedAt()),
                iat -> JwtEncoder.encode(claims, signer, iat));
    if (signed.fresh()) {
      services.metrics().jwtSigned("account");
      LOG.info(
          "account {}: signed JWT iat={} ({} exports, {} imports, {} revocations)",
          Names.ref(account),
          signed.iat(),
          io.exports().claims().size(),
          io.imports().claims().size(),
          revocations.size());
    }
    LOG.debug(
        "account {}: imports {} unresolved {}",
        Names.ref(account),
        io.imports().summaries().stream().map(ImportSummary::getFrom).toList(),
        io.imports().unresolved());
    return signed;
  }

  /**
   * The JWT and what it carries into status; ImportsResolved says which imports it could not carry.
   */
  private void publishJwt(
      Account account, SignedJwts.Signed signed, AccountInputs io, Map<String, Long> revocations) {
    AccountStatus st = account.getStatus();
    st.setJwt(signed.jwt());
    st.setClaimsHash(signed.hash());
    st.setIssuedAt(Statuses.rfc3339(signed.iat()));
    st.setRevocations(revocations.isEmpty() ? null : revocations);
    st.setRevokedUsers(revocations.size());
    st.setExports(io.exports().summaries().isEmpty() ? null : io.exports().summaries());
    st.setImports(io.imports().summaries().isEmpty() ? null : io.imports().summaries());
    st.setExportCount(io.exports().claims().size());
    st.setImportCount(io.imports().claims().size());
    List<String> unresolved = io.imports().unresolved();
    if (unresolved.isEmpty()) {
      services
          .status()
          .set(account, ConditionType.IMPORTS_RESOLVED, Conditions.TRUE, Reason.ALL_RESOLVED, "");
    } else {
      services
          .status()
          .set(
              account,
              ConditionType.IMPORTS_RESOLVED,
              Conditions.FALSE,
              Reason.IMPORTS_UNRESOLVED,
              String.join("; ", unresolved));
    }
  }

  /**
   * Ready once pushed; unresolved imports or a failed push keep it False, with the cause as the
   * reason.
   */
  private void setReady(Account account, AccountInputs io) {
    AccountStatus st = account.getStatus();
    int unresolved = io.imports().unresolved().size();
    if (!Conditions.isTrue(st.getConditions(), ConditionType.PUSHED)) {
      // The pusher always leaves a Pushed condition; Ready repeats its reason so kubectl shows the
      // cause.
      services
          .status()
          .set(
              account,
              ConditionType.READY,
              Conditions.FALSE,
              Conditions.reason(st.getConditions(), ConditionType.PUSHED),
              Conditions.message(st.getConditions(), ConditionType.PUSHED));
    } else if (unresolved > 0) {
      services
          .status()
          .set(
              account,
              ConditionType.READY,
              Conditions.FALSE,
              Reason.IMPORTS_UNRESOLVED,
              "the account works without "
                  + unresolved
                  + " unresolved import(s); see ImportsResolved");
    } else {
      services.status().set(account, ConditionType.READY, Conditions.TRUE, Reason.RECONCILED, "");
    }
  }

  @Override
  public ErrorStatusUpdateControl<Account> updateErrorStatus(
      Account account, Context<Account> context, Exception e) {
    return services.status().error(account, AccountStatus::new, context, e);
  }

  /**
   * Retain lets the Account go and keeps its keys and the resolvers' copy. Delete first removes the
   * account from every resolver and only then its keys: a key Secret deleted while a server still
   * holds the account would leave a live identity no one can update or revoke. So the finalizer
   * stays while the servers cannot be reached (DeletePending, retried with backoff); when no delete
   * is possible (a server refuses it, or the Operator is gone) the keys are kept, as with Retain,
   * and a Warning Event says so.
   */
  @Override
  public DeleteControl cleanup(Account account, Context<Account> context) {
    try {
      return release(account, context);
    } catch (RuntimeException e) {
      return services.status().cleanupFailed(account, AccountStatus::new, e);
    }
  }

  private DeleteControl release(Account account, Context<Account> context) {
    AccountStatus st = account.getStatus();
    boolean delete =
        account.getSpec() != null && account.getSpec().getDeletionPolicy() == DeletionPolicy.Delete;
    if (st == null || st.getPublicKey() == null || !delete) {
      // Retain (or never had keys): keys and the resolver copy stay
      return services.released(account, context);
    }
    String keySecret = Names.accountKeys(account.getMetadata().getName());
    Operator op = resolveOperator(account);
    // An Operator this process does not reconcile has no connection to delete through.
    Optional<KeyPair> signer =
        op == null || !managed(op) ? Optional.empty() : operatorSigningKey(op);
    if (signer.isEmpty()) {
      services
          .status()
          .events()
          .warning(
              account,
              Reason.DELETE_PENDING,
              "no Operator to delete the account from its resolvers with; its keys are kept in"
                  + " Secret "
                  + keySecret
                  + ", as with deletionPolicy Retain");
      return services.released(account, context);
    }
    AccountPusher.Deletion deletion = pusher.deleteFromResolvers(account, op, signer.get());
    switch (deletion.result()) {
      case EVERYWHERE -> services.objects().deleteSecretIfOurs(Owner.of(account), keySecret);
      case REFUSED ->
          services
              .status()
              .events()
              .warning(
                  account,
                  Reason.PUSH_FAILED,
                  "the resolvers refused to delete the account ("
                      + deletion.why()
                      + "); its keys are kept in Secret "
                      + keySecret
                      + ", as with deletionPolicy Retain");
      case UNANSWERED -> {
        AccountStatus before = Statuses.copy(st, AccountStatus.class);
        int failures = services.pushes().failed(account.getMetadata().getUid());
        Duration retry = Duration.ofMillis(Math.min(60_000, 1000L << Math.min(failures, 6)));
        services
            .status()
            .failed(
                account,
                before,
                Reason.DELETE_PENDING,
                "deletionPolicy Delete: waiting for every resolver to acknowledge deleting the"
                    + " account before its keys go ("
                    + deletion.why()
                    + ")",
                retry);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(retry);
      }
    }
    return services.released(account, context);
  }

  private Operator resolveOperator(Account a) {
    return OperatorRefs.resolve(a, operators::get, () -> operators.list(o -> true).toList());
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
    return secrets
        .get(
            new ResourceID(
                Names.operatorKeys(op.getMetadata().getName()), op.getMetadata().getNamespace()))
        .flatMap(s -> KeySecrets.read(s, Names.ACCOUNT_SIGNER))
        .map(KeyPair::fromSeed);
  }

  /** The export resources naming this account, as the informer caches hold them. */
  private List<ExportView> exportViews(Account account) {
    List<ExportView> views = new ArrayList<>();
    Indexes.EXPORTS_BY_ACCOUNT
        .lookup(serviceExports, AccountId.of(account))
        .forEach(e -> views.add(ExportView.of(e)));
    Indexes.EXPORTS_BY_ACCOUNT
        .lookup(streamExports, AccountId.of(account))
        .forEach(e -> views.add(ExportView.of(e)));
    return views;
  }

  /**
   * The exports this account's JWT carries (overlapping ones are left out, and say so on their own
   * status), each with every revocation kept for it.
   */
  private Exports exports(List<ExportView> views, StoredRevocations.Exports revoked) {
    List<Export> claims = new ArrayList<>();
    List<ExportSummary> summaries = new ArrayList<>();
    for (ExportView v : ExportClaims.select(views).included()) {
      Export e = ExportClaims.toClaim(v, revoked);
      claims.add(e);
      ExportSummary s = new ExportSummary();
      s.setName(v.name());
      s.setSubject(e.subject());
      s.setType(e.type().name().toLowerCase());
      s.setPrivate(e.tokenReq());
      s.setFrom(v.id().toString());
      summaries.add(s);
    }
    return new Exports(claims, summaries);
  }

  /** The imports this account's JWT carries, and those it cannot carry (with the reason). */
  private Imports imports(Account account) {
    List<ImportView> views = new ArrayList<>();
    Indexes.IMPORTS_BY_ACCOUNT
        .lookup(serviceImports, AccountId.of(account))
        .forEach(i -> views.add(ImportView.of(i)));
    Indexes.IMPORTS_BY_ACCOUNT
        .lookup(streamImports, AccountId.of(account))
        .forEach(i -> views.add(ImportView.of(i)));
    List<Import> claims = new ArrayList<>();
    List<ImportSummary> summaries = new ArrayList<>();
    List<String> unresolved = new ArrayList<>();
    List<ImportResolution.Outcome> outcomes =
        ImportResolution.resolveAll(views, account, account.getStatus().getPublicKey(), lookup);
    for (ImportResolution.Outcome o : outcomes) {
      if (!o.ok()) {
        unresolved.add(o.source().id() + ": " + o.reason());
        continue;
      }
      claims.add(o.claim());
      ImportSummary s = new ImportSummary();
      s.setName(o.source().name());
      s.setSubject(o.claim().subject());
      s.setLocalSubject(o.claim().localSubject());
      s.setType(o.claim().type().name().toLowerCase());
      s.setAccount(o.exporterKey());
      s.setFrom(o.source().id().toString());
      summaries.add(s);
    }
    return new Imports(claims, summaries, unresolved, ImportResolution.onTheirWay(outcomes));
  }

  record Exports(List<Export> claims, List<ExportSummary> summaries) {}

  /**
   * @param onTheirWay every unresolved import waits for something on its way (see {@link
   *     ImportResolution#onTheirWay})
   */
  record Imports(
      List<Import> claims,
      List<ImportSummary> summaries,
      List<String> unresolved,
      boolean onTheirWay) {}

  /** What exports and imports contribute to one account JWT, and what they could not. */
  record AccountInputs(Exports exports, Imports imports) {}
}
