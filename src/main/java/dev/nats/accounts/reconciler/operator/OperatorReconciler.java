package dev.nats.accounts.reconciler.operator;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.OperatorSpec;
import dev.nats.accounts.api.v1alpha1.OperatorStatus;
import dev.nats.accounts.api.v1alpha1.ResolverSpec;
import dev.nats.accounts.api.v1alpha1.ResolverType;
import dev.nats.accounts.api.v1alpha1.ServerStatus;
import dev.nats.accounts.api.v1alpha1.SystemAccountStatus;
import dev.nats.accounts.informers.SharedEventSource;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.ClaimsHash;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.IssuedAt;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.OperatorClaims;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.nats.PushResult;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.nats.ResolverConfig;
import dev.nats.accounts.nats.ResolverConnections;
import dev.nats.accounts.owned.OwnedObjects;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.owned.Ownership;
import dev.nats.accounts.reconciler.IdentityClaims;
import dev.nats.accounts.reconciler.Indexes;
import dev.nats.accounts.reconciler.Indexes.OperatorId;
import dev.nats.accounts.reconciler.Informers;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.OperatorRefs;
import dev.nats.accounts.reconciler.ReconcilerSettings;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.SignedJwts;
import dev.nats.accounts.reconciler.Statuses;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Owns the trust root: operator keys, operator JWT, the system account and its user, the server
 * config fragment, and the system-user connection the other reconcilers push through.
 */
@ControllerConfiguration(name = "operator")
public final class OperatorReconciler implements Reconciler<Operator>, Cleaner<Operator> {
  static final String USER_SEED = "user.seed";

  /**
   * The system account's one signing key: it signs the system user (the identity signs nothing but
   * its JWT).
   */
  private static final String SYSTEM_USER_SIGNER = Names.signingEntry("default");

  private static final KeySecrets.Wanted SYSTEM_ACCOUNT_KEYS =
      new KeySecrets.Wanted(
          Map.of(KeySecrets.IDENTITY, KeyType.ACCOUNT, SYSTEM_USER_SIGNER, KeyType.ACCOUNT));
  static final String CREDS = "user.creds";

  private final Services services;
  private final SigningKeyRotator rotator;
  private SharedEventSource<Secret, Operator> secrets;
  private SharedEventSource<ConfigMap, Operator> configMaps;
  private SharedEventSource<Operator, Operator> rotationRequests;
  private SharedEventSource<Account, Operator> accounts;
  private io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache<Operator>
      operatorCache;
  private final SimpleInboundEventSource<Operator> reconnects =
      new SimpleInboundEventSource<>("operator-reconnects");

  public OperatorReconciler(Services services) {
    this.services = services;
    this.rotator = new SigningKeyRotator(services);
  }

  @Override
  public List<EventSource<?, Operator>> prepareEventSources(EventSourceContext<Operator> context) {
    EventSource<Operator, Operator> relay = services.informers().lendOwnInformer(context);
    secrets =
        services
            .informers()
            .watchOwnedBy(context, Secret.class, s -> ownerOf(s), List.of(Operator.class));
    // The server-config ConfigMap: an edit or a deletion by someone else is repaired at once.
    // (ConfigMaps written before they carried the kind label are selected too: only the Operator
    // writes ConfigMaps.)
    configMaps =
        services
            .informers()
            .watchOwned(
                context,
                ConfigMap.class,
                c ->
                    Ownership.ownerOf(c) == null
                        ? Set.of()
                        : Set.of(
                            new ResourceID(Ownership.ownerOf(c), c.getMetadata().getNamespace())));
    // Accounts matter to an Operator only under a memory resolver, whose config preloads every
    // account JWT. They live in tenant namespaces, so they are watched wherever Accounts are
    // reconciled, even when this controller is held to OPERATOR_NAMESPACES.
    operatorCache = context.getPrimaryCache();
    Indexes.OPERATORS_BY_IDENTITY.addTo(operatorCache);
    Function<Account, Set<ResourceID>> memoryOperatorOf =
        a -> {
          // Only a memory resolver's config depends on accounts; other operators stay asleep.
          Operator op = resolve(a);
          return op == null || !isMemory(op) ? Set.of() : Set.of(ResourceID.fromResource(op));
        };
    ReconcilerSettings settings = services.settings();
    accounts =
        settings.operatorNamespaces().isEmpty()
            ? services.informers().watch(context, Account.class, memoryOperatorOf)
            : services
                .informers()
                .watchIn(context, Account.class, memoryOperatorOf, settings.watchNamespaces());
    // A new value of a rotation annotation leaves metadata.generation alone, so the controller's
    // own informer drops it: this one wakes the Operator for exactly that.
    rotationRequests =
        services
            .informers()
            .annotationChanges(
                context,
                dev.nats.accounts.reconciler.RotationAnnotations.REQUEST,
                dev.nats.accounts.reconciler.RotationAnnotations.EMERGENCY);
    return List.of(relay, secrets, configMaps, accounts, reconnects, rotationRequests);
  }

  private static Set<ResourceID> ownerOf(Secret s) {
    return Indexes.ownerOf(s, Operator.class).map(Set::of).orElse(Set.of());
  }

  private Operator resolve(Account a) {
    return OperatorRefs.resolve(a, operatorCache::get, () -> operatorCache.list().toList());
  }

  /** Refreshes the Operator's Connected condition as soon as its connection comes up. */
  public void onConnected(ResolverConnections.Key key) {
    reconnects.propagateEvent(new ResourceID(key.name(), key.namespace()));
  }

  /**
   * Keys and their rotation, then the operator and system account JWTs (signed only when changed),
   * creds, config, connection.
   */
  @Override
  public UpdateControl<Operator> reconcile(Operator op, Context<Operator> context) {
    Informers.withAnnotationsSeenBy(op, rotationRequests);
    OperatorStatus before = Statuses.copy(op.getStatus(), OperatorStatus.class);
    services.status().statusOf(op, OperatorStatus::new);
    String name = op.getMetadata().getName();
    KeySecrets.Outcome keys =
        ensureKeys(
            op,
            Names.operatorKeys(name),
            operatorKeys(op),
            op.getStatus().getPublicKey(),
            spec(op).getIdentitySecretRef());
    Optional<UpdateControl<Operator>> stop =
        keysProblem(op, before, keys).or(() -> identityInUse(op, before, keys));
    if (stop.isPresent()) {
      return stop.get();
    }
    SigningKeyRotator.Outcome rotation =
        rotator.rotate(
            op,
            keySecret(op),
            keys.get(KeySecrets.IDENTITY).publicKey(),
            keys.get(Names.ACCOUNT_SIGNER),
            keys.created(),
            () -> accountSigners(op, keys.get(Names.ACCOUNT_SIGNER).publicKey()));
    SystemAccountStatus sys = systemAccountOf(op);
    KeySecrets.Outcome sysKeys =
        ensureKeys(
            op, Names.systemAccountKeys(name), SYSTEM_ACCOUNT_KEYS, sys.getPublicKey(), null);
    stop = keysProblem(op, before, sysKeys);
    if (stop.isPresent()) {
      return stop.get();
    }
    publishKeys(op, keys, sysKeys, rotation.jwtKeys());
    signOperatorJwt(op, keys.get(KeySecrets.IDENTITY));
    boolean sysChanged =
        signSystemAccountJwt(op, rotation.signer(), sysKeys.get(SYSTEM_USER_SIGNER));
    String creds =
        ensureSystemCreds(Owner.of(op), sys.getPublicKey(), sysKeys.get(SYSTEM_USER_SIGNER));
    writeServerConfig(op, spec(op), op.getStatus().getJwt(), sys.getPublicKey(), sys.getJwt());
    return services
        .status()
        .done(op, before, sooner(connect(op, creds, sysChanged), rotation.wakeAt()));
  }

  private static Duration sooner(Duration requeue, java.time.Instant wakeAt) {
    if (wakeAt == null) {
      return requeue;
    }
    Duration until = Duration.between(java.time.Instant.now(), wakeAt).plusMillis(100);
    Duration rotation = until.isNegative() ? Duration.ofSeconds(1) : until;
    return requeue == null || rotation.compareTo(requeue) < 0 ? rotation : requeue;
  }

  /** The key Secret as cached, or read once when the cache has not seen it yet (just made). */
  private Optional<Secret> keySecret(Operator op) {
    String ns = op.getMetadata().getNamespace();
    String name = Names.operatorKeys(op.getMetadata().getName());
    return cached(ns, name).or(() -> services.objects().readSecret(ns, name));
  }

  /**
   * This Operator's Accounts with a JWT, and those not yet signed by the current signer and pushed:
   * the replaced key stays in the operator JWT until none is left.
   */
  private OperatorKeyRotation.Accounts accountSigners(Operator op, String signer) {
    List<String> pending = new ArrayList<>();
    int[] total = {0};
    if (accounts != null) {
      accounts
          .list(a -> a.getStatus() != null && a.getStatus().getJwt() != null)
          .filter(
              a -> {
                Operator owner = resolve(a);
                return owner != null && OperatorId.of(owner).equals(OperatorId.of(op));
              })
          .forEach(
              a -> {
                total[0]++;
                if (!signer.equals(issuer(a.getStatus().getJwt()))
                    || !Conditions.isTrue(a.getStatus().getConditions(), ConditionType.PUSHED)) {
                  pending.add(Names.ref(a));
                }
              });
    }
    java.util.Collections.sort(pending);
    return new OperatorKeyRotation.Accounts(total[0], pending);
  }

  private static String issuer(String jwt) {
    try {
      return dev.nats.accounts.jwt.JwtDecoder.decodeIgnoringTime(jwt).issuer();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private Optional<UpdateControl<Operator>> keysProblem(
      Operator op, OperatorStatus before, KeySecrets.Outcome keys) {
    return keys.ok()
        ? Optional.empty()
        : Optional.of(
            services
                .status()
                .failed(
                    op,
                    before,
                    ConditionType.KEYS_READY,
                    keys.failureReason(),
                    keys.failureMessage(),
                    KeySecrets.RETRY));
  }

  /**
   * Another Operator publishes this identity (see {@link IdentityClaims}): this one does nothing.
   */
  private Optional<UpdateControl<Operator>> identityInUse(
      Operator op, OperatorStatus before, KeySecrets.Outcome keys) {
    String identity = keys.get(KeySecrets.IDENTITY).publicKey();
    Optional<HasMetadata> published =
        IdentityClaims.holderOtherThan(
            new IdentityClaims.Claim(op, identity.equals(op.getStatus().getPublicKey())),
            Indexes.OPERATORS_BY_IDENTITY.lookup(operatorCache, identity));
    return (published.isPresent() ? published : services.identities().claim(identity, op))
        .map(
            holder ->
                services
                    .status()
                    .failed(
                        op,
                        before,
                        ConditionType.KEYS_READY,
                        Reason.IDENTITY_IN_USE,
                        "identity "
                            + identity
                            + " belongs to Operator "
                            + Names.ref(holder)
                            + ": one NATS identity has one owner; adopt another seed (spec.identitySecretRef) or delete one",
                        Duration.ofMinutes(5)));
  }

  private static OperatorSpec spec(Operator op) {
    return op.getSpec() == null ? new OperatorSpec() : op.getSpec();
  }

  private static SystemAccountStatus systemAccountOf(Operator op) {
    if (op.getStatus().getSystemAccount() == null) {
      op.getStatus().setSystemAccount(new SystemAccountStatus());
    }
    return op.getStatus().getSystemAccount();
  }

  private static int signingKeyCount(Operator op) {
    return spec(op).getSigningKeys() == null ? 1 : spec(op).getSigningKeys();
  }

  /** The identity and N signing keys. */
  private static KeySecrets.Wanted operatorKeys(Operator op) {
    Map<String, KeyType> wanted = new LinkedHashMap<>();
    wanted.put(KeySecrets.IDENTITY, KeyType.OPERATOR);
    for (int i = 1; i <= signingKeyCount(op); i++) {
      wanted.put(Names.operatorSigningEntry(i), KeyType.OPERATOR);
    }
    return new KeySecrets.Wanted(wanted);
  }

  /** Keys created once; a lost Secret is reported, never replaced. */
  private KeySecrets.Outcome ensureKeys(
      Operator op,
      String secretName,
      KeySecrets.Wanted wanted,
      String knownIdentity,
      dev.nats.accounts.api.v1alpha1.SecretKeyRef adoptFrom) {
    return services
        .keys()
        .ensure(
            Owner.of(op),
            secretName,
            wanted,
            cached(op.getMetadata().getNamespace(), secretName),
            knownIdentity,
            adoptFrom);
  }

  private void publishKeys(
      Operator op, KeySecrets.Outcome keys, KeySecrets.Outcome sysKeys, List<String> slotKeys) {
    OperatorStatus st = op.getStatus();
    String identity = keys.get(KeySecrets.IDENTITY).publicKey();
    if (keys.created()) {
      services
          .status()
          .events()
          .normal(op, Reason.KEYS_CREATED, "created operator identity " + identity);
    }
    st.setPublicKey(identity);
    // The account signer's slot holds the signer and, during a rotation, the staged or replaced
    // key.
    List<String> signingPubs = new ArrayList<>(slotKeys);
    for (int i = 2; i <= signingKeyCount(op); i++) {
      signingPubs.add(keys.get(Names.operatorSigningEntry(i)).publicKey());
    }
    st.setSigningKeys(signingPubs);
    systemAccountOf(op).setPublicKey(sysKeys.get(KeySecrets.IDENTITY).publicKey());
    services.status().set(op, ConditionType.KEYS_READY, Conditions.TRUE, keys.readyReason(), "");
  }

  /** The operator JWT, self-signed by the identity, re-signed only when its claims change. */
  private void signOperatorJwt(Operator op, KeyPair identity) {
    OperatorStatus st = op.getStatus();
    String name =
        spec(op).getDisplayName() == null ? op.getMetadata().getName() : spec(op).getDisplayName();
    OperatorClaims claims =
        OperatorClaimsBuilder.operator(
            name, identity.publicKey(), st.getSigningKeys(), st.getSystemAccount().getPublicKey());
    SignedJwts.Signed jwt =
        services
            .signed()
            .ensure(
                new SignedJwts.Subject(op.getMetadata().getUid(), "operator"),
                ClaimsHash.of(claims),
                st.getClaimsHash(),
                st.getJwt(),
                Statuses.epochSeconds(st.getIssuedAt()),
                iat -> JwtEncoder.encode(claims, identity, iat));
    if (jwt.fresh()) {
      services.metrics().jwtSigned("operator");
    }
    st.setJwt(jwt.jwt());
    st.setClaimsHash(jwt.hash());
    st.setIssuedAt(Statuses.rfc3339(jwt.iat()));
  }

  /**
   * The system account JWT, signed by an operator signing key (strict signing); true when signed
   * just now.
   */
  private boolean signSystemAccountJwt(
      Operator op, KeyPair accountSigner, KeyPair systemUserSigner) {
    SystemAccountStatus sys = systemAccountOf(op);
    AccountClaims claims =
        OperatorClaimsBuilder.systemAccount(sys.getPublicKey(), systemUserSigner.publicKey());
    String hash = ClaimsHash.of(claims) + ":" + accountSigner.publicKey();
    SignedJwts.Signed jwt =
        services
            .signed()
            .ensure(
                new SignedJwts.Subject(op.getMetadata().getUid(), "system-account"),
                hash,
                sys.getClaimsHash(),
                sys.getJwt(),
                Statuses.epochSeconds(sys.getIssuedAt()),
                iat -> JwtEncoder.encode(claims, accountSigner, iat));
    if (jwt.fresh()) {
      services.metrics().jwtSigned("account");
    }
    sys.setJwt(jwt.jwt());
    sys.setClaimsHash(jwt.hash());
    sys.setIssuedAt(Statuses.rfc3339(jwt.iat()));
    return jwt.fresh();
  }

  /**
   * The connection to the servers as the system user, and the Connected and Ready conditions; a
   * changed system account is pushed through it. Returns when to look again (null: on the next
   * event).
   */
  private Duration connect(Operator op, String creds, boolean sysChanged) {
    List<String> servers = spec(op).getServers() == null ? List.of() : spec(op).getServers();
    if (servers.isEmpty()) {
      services.connections().remove(key(op));
      op.getStatus().setServers(List.of());
      report(
          op, Conditions.FALSE, Reason.NO_SERVERS, NO_SERVERS, Conditions.TRUE, Reason.RECONCILED);
      return null;
    }
    ResolverConnections.Entry entry =
        services.connections().ensure(key(op), servers, creds, services.settings().pushTimeout());
    if (!entry.connected()
        && entry.firstAttemptInFlight(CONNECT_GRACE)
        && Conditions.isTrue(op.getStatus().getConditions(), ConditionType.CONNECTED)) {
      // Just restarted and still connecting: the status from before the restart stands until the
      // attempt ends (the connected callback reconciles again), instead of flapping Ready.
      return Duration.ofSeconds(1);
    }
    op.getStatus().setServers(serverStatuses(servers, entry, op.getStatus().getServers()));
    if (!entry.connected()) {
      String msg =
          "not connected to "
              + String.join(", ", servers)
              + (entry.lastError() == null ? "" : ": " + entry.lastError())
              + "; retrying";
      report(
          op, Conditions.FALSE, Reason.NOT_CONNECTED, msg, Conditions.FALSE, Reason.NOT_CONNECTED);
      return Duration.ofSeconds(2);
    }
    if (sysChanged) {
      entry.client().ifPresent(c -> push(c, op.getStatus().getSystemAccount().getJwt()));
    }
    report(
        op, Conditions.TRUE, Reason.ALL_CONNECTED, CONNECTED, Conditions.TRUE, Reason.RECONCILED);
    return null;
  }

  private static final String NO_SERVERS =
      "spec.servers is empty: nothing to push to; include the server-config ConfigMap in nats-server";
  private static final String CONNECTED = "connected as the system user";

  /**
   * The Connected and Ready conditions, which every outcome of {@link #connect} sets together;
   * Ready repeats Connected's message when it is not True.
   */
  private void report(
      Operator op,
      String connected,
      Reason reason,
      String message,
      String ready,
      Reason readyReason) {
    services.status().set(op, ConditionType.CONNECTED, connected, reason, message);
    String readyMessage =
        Conditions.TRUE.equals(ready)
            ? (reason == Reason.NO_SERVERS ? "keys and JWTs ready; no servers configured" : "")
            : message;
    services.status().set(op, ConditionType.READY, ready, readyReason, readyMessage);
  }

  /**
   * How long a first connection attempt may take before the status says the Operator is not
   * connected.
   */
  static final Duration CONNECT_GRACE = Duration.ofSeconds(10);

  @Override
  public DeleteControl cleanup(Operator op, Context<Operator> context) {
    // Keys stay (no owner reference): re-creating the Operator restores the same trust root.
    services.connections().remove(key(op));
    try {
      return services.released(op, context);
    } catch (RuntimeException e) {
      return services.status().cleanupFailed(op, OperatorStatus::new, e);
    }
  }

  private void push(ResolverClient client, String jwt) {
    long start = System.nanoTime();
    PushResult r = client.push(jwt);
    services
        .metrics()
        .pushed(r.allAcknowledged() ? "ok" : "failed", Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * The system user's creds, re-signed only when its claims or signer changed (the hash is on the
   * Secret).
   */
  private String ensureSystemCreds(Owner owner, String sysPub, KeyPair sysSigner) {
    String secretName = Names.systemCreds(owner.name());
    Optional<Secret> existing =
        services.objects().ownSecret(owner, secretName, cached(owner.namespace(), secretName));
    KeyPair user =
        existing.flatMap(e -> KeySecrets.read(e, USER_SEED)).map(KeyPair::fromSeed).orElse(null);
    if (user == null) {
      user = KeyPair.create(KeyType.USER);
      services.metrics().keyGenerated("system-user");
    }
    UserClaims claims = OperatorClaimsBuilder.systemUser(owner.name(), user.publicKey(), sysPub);
    String hash = ClaimsHash.of(claims) + ":" + sysSigner.publicKey();
    Optional<String> existingCreds = existing.flatMap(e -> KeySecrets.readRaw(e, CREDS));
    if (existingCreds.isPresent()
        && hash.equals(existing.map(Ownership::claimsHash).orElse(null))) {
      return existingCreds.get();
    }
    String jwt = JwtEncoder.encode(claims, sysSigner, IssuedAt.next(0));
    services.metrics().jwtSigned("user");
    String creds = Creds.format(jwt, user.seed());
    services
        .objects()
        .applySecret(
            owner,
            new OwnedObjects.Desired(
                secretName,
                Map.of(CREDS, creds, "user.jwt", jwt, USER_SEED, user.seed()),
                Map.of(),
                hash,
                false),
            existing);
    return creds;
  }

  private void writeServerConfig(
      Operator op, OperatorSpec spec, String opJwt, String sysPub, String sysJwt) {
    ResolverSpec r = spec.getResolver();
    ResolverType type = r == null || r.getType() == null ? ResolverType.FULL : r.getType();
    String dir = r == null || r.getDir() == null ? "/data/resolver" : r.getDir();
    ResolverConfig config =
        switch (type) {
          case FULL ->
              ResolverConfig.full(
                  opJwt,
                  sysPub,
                  sysJwt,
                  dir,
                  r == null || r.getAllowDelete() == null || r.getAllowDelete(),
                  null);
          case CACHE -> ResolverConfig.cache(opJwt, sysPub, sysJwt, dir);
          case MEMORY -> ResolverConfig.memory(opJwt, sysPub, sysJwt, preloads(op));
        };
    Owner owner = Owner.of(op);
    String name = Names.serverConfig(owner.name());
    Map<String, String> data = new LinkedHashMap<>();
    data.put("resolver.conf", config.render());
    data.put("operator.jwt", opJwt);
    Optional<ConfigMap> current =
        services
            .objects()
            .ownConfigMap(owner, name, configMaps.get(new ResourceID(name, owner.namespace())));
    services
        .objects()
        .applyConfigMap(owner, new OwnedObjects.Desired(name, data, Map.of(), null, true), current);
  }

  private static boolean isMemory(Operator op) {
    return op.getSpec() != null
        && op.getSpec().getResolver() != null
        && op.getSpec().getResolver().getType() == ResolverType.MEMORY;
  }

  /** Every signed account JWT of this operator, by key (sorted, so the config is stable). */
  private Map<String, String> preloads(Operator op) {
    Map<String, String> out = new java.util.TreeMap<>();
    if (accounts == null) {
      return out;
    }
    accounts
        .list(
            a ->
                a.getStatus() != null
                    && a.getStatus().getJwt() != null
                    && a.getStatus().getPublicKey() != null)
        .filter(
            a -> {
              Operator owner = resolve(a);
              return owner != null && OperatorId.of(owner).equals(OperatorId.of(op));
            })
        .forEach(a -> out.put(a.getStatus().getPublicKey(), a.getStatus().getJwt()));
    return out;
  }

  private List<ServerStatus> serverStatuses(
      List<String> urls, ResolverConnections.Entry entry, List<ServerStatus> previous) {
    List<ServerStatus> out = new ArrayList<>();
    String connectedUrl = entry.connection().map(c -> c.getConnectedUrl()).orElse(null);
    for (String url : urls) {
      ServerStatus s = new ServerStatus();
      s.setUrl(url);
      boolean here = entry.connected() && connectedUrl != null && sameHostPort(connectedUrl, url);
      s.setConnected(here);
      if (here) {
        entry
            .connection()
            .ifPresent(
                c -> {
                  s.setServerId(c.getServerInfo().getServerId());
                  s.setVersion(c.getServerInfo().getVersion());
                });
      } else if (previous != null) {
        previous.stream()
            .filter(p -> url.equals(p.getUrl()))
            .findFirst()
            .ifPresent(
                p -> {
                  s.setServerId(p.getServerId());
                  s.setVersion(p.getVersion());
                });
      }
      out.add(s);
    }
    return out;
  }

  static boolean sameHostPort(String a, String b) {
    return strip(a).equals(strip(b));
  }

  private static String strip(String url) {
    String s = url.replaceFirst("^[a-z]+://", "");
    int at = s.lastIndexOf('@');
    return at >= 0 ? s.substring(at + 1) : s;
  }

  private Optional<Secret> cached(String ns, String name) {
    return secrets == null ? Optional.empty() : secrets.get(new ResourceID(name, ns));
  }

  @Override
  public ErrorStatusUpdateControl<Operator> updateErrorStatus(
      Operator op, Context<Operator> context, Exception e) {
    return services.status().error(op, OperatorStatus::new, context, e);
  }

  public static ResolverConnections.Key key(Operator op) {
    return new ResolverConnections.Key(op.getMetadata().getNamespace(), op.getMetadata().getName());
  }
}
