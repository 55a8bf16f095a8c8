package dev.nats.accounts.reconciler.user;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.api.v1alpha1.UserSpec;
import dev.nats.accounts.api.v1alpha1.UserStatus;
import dev.nats.accounts.informers.SharedEventSource;
import dev.nats.accounts.jwt.ClaimsHash;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.owned.ForeignObjectException;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.owned.Ownership;
import dev.nats.accounts.reconciler.Indexes;
import dev.nats.accounts.reconciler.Indexes.AccountId;
import dev.nats.accounts.reconciler.Informers;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.SignedJwts;
import dev.nats.accounts.reconciler.SpecConversions;
import dev.nats.accounts.reconciler.Statuses;
import dev.nats.accounts.reconciler.StoredRevocations;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
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
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Issues user credentials: a user key kept in the creds Secret, a JWT signed by the chosen account
 * signing key, renewed before it expires. Deleting a User first revokes its key in the account JWT
 * (pushed by the Account reconciler) and only then lets the creds Secret go.
 */
@ControllerConfiguration(name = "user")
public final class UserReconciler implements Reconciler<User>, Cleaner<User> {
  /**
   * The owners of the Secrets this reconciler caches: its creds, and its Account's keys (it signs
   * with them).
   */
  public static final List<Class<? extends HasMetadata>> SECRETS_OF =
      List.of(User.class, Account.class);

  private final Services services;

  /**
   * The user key this process last wrote into each User's status (by uid), and when. A reconcile
   * gets the User from the informer cache, which can lag behind our own status write: acting on
   * such a copy takes a rotation request as not yet handled and rotates twice.
   */
  private final Map<String, Published> published = new ConcurrentHashMap<>();

  private record Published(String publicKey, Instant at) {}

  /** How long a cache may lag before its status is believed after all (someone else wrote it). */
  private static final Duration CACHE_LAG_LIMIT = Duration.ofSeconds(30);

  private SharedEventSource<Account, User> accounts;
  private SharedEventSource<Secret, User> secrets;
  private SharedEventSource<User, User> rotationRequests;

  public UserReconciler(Services services) {
    this.services = services;
  }

  @Override
  public List<EventSource<?, User>> prepareEventSources(EventSourceContext<User> context) {
    EventSource<User, User> relay = services.informers().lendOwnInformer(context);
    IndexerResourceCache<User> primary = context.getPrimaryCache();
    Indexes.USERS_BY_ACCOUNT.addTo(primary);
    accounts =
        services
            .informers()
            .watch(
                context,
                Account.class,
                a -> Indexes.USERS_BY_ACCOUNT.ids(primary, AccountId.of(a)));
    // A creds Secret wakes its User; the account's key Secret wakes all of its Users.
    secrets =
        services
            .informers()
            .watchOwnedBy(
                context,
                Secret.class,
                s -> {
                  Set<ResourceID> ids = new HashSet<>();
                  Indexes.ownerOf(s, User.class).ifPresent(ids::add);
                  Indexes.accountOwning(s)
                      .ifPresent(a -> ids.addAll(Indexes.USERS_BY_ACCOUNT.ids(primary, a)));
                  return ids;
                },
                SECRETS_OF);
    rotationRequests =
        services
            .informers()
            .annotationChanges(context, UserKeyRotation.REQUEST, UserKeyRotation.EMERGENCY);
    return List.of(relay, accounts, secrets, rotationRequests);
  }

  /**
   * The Account and its signing key, the user key (kept in the creds Secret), then the JWT, signed
   * when its claims change or its renewal is due. A step that cannot go on reports why and returns.
   */
  @Override
  public UpdateControl<User> reconcile(User user, Context<User> context) {
    Informers.withAnnotationsSeenBy(user, rotationRequests);
    if (cacheBehindOwnWrite(user)) {
      return UpdateControl.<User>noUpdate().rescheduleAfter(Duration.ofMillis(250));
    }
    UserStatus before = Statuses.copy(user.getStatus(), UserStatus.class);
    services.status().statusOf(user, UserStatus::new);
    Lifetime lifetime = Lifetime.of(user.getSpec()); // a bad duration fails before any key is made
    UserKeyRotation.Policy rotation = UserKeyRotation.Policy.of(user.getSpec().getRotation());
    AccountId accountId = AccountId.referencedBy(user, user.getSpec().getAccountRef());
    Account account = accounts.get(accountId.resourceId()).orElse(null);
    if (account == null) {
      return services
          .status()
          .failed(
              user,
              before,
              Reason.ACCOUNT_NOT_FOUND,
              "spec.accountRef: Account " + accountId + " not found",
              Duration.ofSeconds(60));
    }
    Optional<Secret> accountKeys = keysOf(account, accountId);
    if (accountKeys.isEmpty()) {
      return services
          .status()
          .pending(
              user, before, "waiting for Account " + accountId + " keys", Duration.ofSeconds(5));
    }
    String keyName = signingKeyName(user, account);
    Optional<SigningKeySpec> keySpec =
        SpecConversions.signingKeys(account.getSpec()).stream()
            .filter(k -> k.getName().equals(keyName))
            .findFirst();
    Optional<KeyPair> signer =
        KeySecrets.read(accountKeys.get(), Names.signingEntry(keyName)).map(KeyPair::fromSeed);
    if (keySpec.isEmpty() || signer.isEmpty()) {
      return signingKeyNotFound(user, before, account, keyName);
    }
    boolean scoped = keySpec.get().getTemplate() != null;
    if (scoped && SpecConversions.setsPermissionsOrLimits(user.getSpec())) {
      return scopedKeyDefinesThem(user, before, keyName);
    }
    Instant wakeAt =
        writeCreds(
            user,
            new Signing(signer.get(), scoped, account.getStatus().getPublicKey(), lifetime),
            rotation);
    UpdateControl<User> done = ready(user, before, account, lifetime, wakeAt);
    published.put(
        user.getMetadata().getUid(), new Published(user.getStatus().getPublicKey(), Instant.now()));
    return done;
  }

  /**
   * Whether the User's status names another key than the one this process last wrote there, and
   * recently: the cache has not caught up with our own write yet, and the watch event that brings
   * it will reconcile again. A wiped status (no key) is not lagging, and is rebuilt at once.
   */
  private boolean cacheBehindOwnWrite(User user) {
    Published p = published.get(user.getMetadata().getUid());
    String cached = user.getStatus() == null ? null : user.getStatus().getPublicKey();
    return p != null
        && cached != null
        && !cached.equals(p.publicKey())
        && Instant.now().isBefore(p.at().plus(CACHE_LAG_LIMIT));
  }

  /** The Account's key Secret, once the Account has published its keys; empty while it has not. */
  private Optional<Secret> keysOf(Account account, AccountId accountId) {
    if (account.getStatus() == null
        || account.getStatus().getPublicKey() == null
        || !Conditions.isTrue(account.getStatus().getConditions(), ConditionType.KEYS_READY)) {
      return Optional.empty();
    }
    return secrets.get(new ResourceID(Names.accountKeys(accountId.name()), accountId.namespace()));
  }

  private UpdateControl<User> scopedKeyDefinesThem(User user, UserStatus before, String keyName) {
    return services
        .status()
        .failed(
            user,
            before,
            Reason.INVALID_SPEC,
            "spec.permissions/limits/sourceNetworks/connectionTypes/bearerToken cannot be set: signing key '"
                + keyName
                + "' is scoped and its template defines them",
            Duration.ofMinutes(5));
  }

  /**
   * The user key (kept in the creds Secret, replaced when a rotation is due), the JWT signed when
   * its claims change, the creds Secret, the status. Returns when a rotation wants a look again.
   */
  private Instant writeCreds(User user, Signing signing, UserKeyRotation.Policy rotation) {
    Owner owner = Owner.of(user);
    String secretName = credsSecretName(user);
    Optional<Secret> existing;
    try {
      existing =
          services
              .objects()
              .ownSecret(
                  owner,
                  secretName,
                  secrets.get(new ResourceID(secretName, user.getMetadata().getNamespace())));
    } catch (ForeignObjectException e) {
      // The name comes from spec.credsSecretName (or its default): that is what the user changes.
      throw e.chosenBy("spec.credsSecretName");
    }
    Optional<KeyPair> kept =
        existing.flatMap(s -> KeySecrets.read(s, CredsSecrets.SEED)).map(KeyPair::fromSeed);
    String statusKey = user.getStatus().getPublicKey();
    KeyPair userKey = kept.isPresent() ? kept.get() : reissued(user, secretName);
    UserKeyRotation.Plan plan =
        UserKeyRotation.plan(
            rotation,
            user.getMetadata().getAnnotations(),
            user.getStatus().getRotation(),
            // A lost Secret was just handled (new key, old one revoked): not a replaced key too.
            statusKey == null || kept.isPresent() ? statusKey : userKey.publicKey(),
            userKey.publicKey(),
            Instant.now());
    userKey = rotate(user, plan, userKey);
    SignedJwts.Signed signed = sign(user, signing, userKey, existing);
    services
        .objects()
        .applySecret(
            owner, CredsSecrets.desired(secretName, signed.jwt(), userKey.seed()), existing);
    publish(user, signed, userKey, signing.accountKey(), signing.lifetime(), secretName);
    return plan.wakeAt();
  }

  /**
   * Applies a rotation plan: a new key when one is due, the keys it ends into {@code
   * status.retiredKeys} (the Account revokes them), an Event and a count for each rotation.
   */
  private KeyPair rotate(User user, UserKeyRotation.Plan plan, KeyPair kept) {
    UserStatus st = user.getStatus();
    st.setRotation(plan.status());
    if (!plan.retire().isEmpty()) {
      Map<String, Long> retired =
          new TreeMap<>(st.getRetiredKeys() == null ? Map.of() : st.getRetiredKeys());
      // A revocation covers JWTs issued at or before its time. Our iat strictly increases per
      // User and can run ahead of the clock, so a key retired "now" could keep a JWT issued a
      // second later working: retire no earlier than the newest JWT issued so far.
      long newest = Statuses.epochSeconds(st.getIssuedAt());
      plan.retire().forEach((k, t) -> retired.putIfAbsent(k, Math.max(t, newest)));
      st.setRetiredKeys(retired);
    }
    if (plan.why() == null) {
      return kept;
    }
    KeyPair key = kept;
    if (plan.newKey()) {
      key = KeyPair.create(KeyType.USER);
      services.metrics().keyGenerated("user");
    }
    services.metrics().keyRotated("user", plan.why().label());
    String old = plan.replaced();
    services
        .status()
        .events()
        .normal(
            user,
            Reason.KEY_ROTATED,
            plan.why().label()
                + " rotation: user key "
                + key.publicKey()
                + " replaces "
                + old
                + (plan.retire().containsKey(old)
                    ? ", revoked at once"
                    : ", which works until " + plan.status().getPreviousKeyRevokedAt()));
    return key;
  }

  /**
   * How a user JWT is signed: by which account key, scoped or not, for which account, for how long.
   */
  private record Signing(KeyPair signer, boolean scoped, String accountKey, Lifetime lifetime) {}

  /**
   * {@code spec.expiresAfter} and {@code spec.renewBefore} (default: a third of the lifetime);
   * none: no expiry.
   */
  record Lifetime(Duration expiresAfter, Duration renewBefore) {
    static Lifetime of(UserSpec spec) {
      if (spec.getExpiresAfter() == null) {
        return new Lifetime(null, null);
      }
      Duration life = SpecConversions.lifetime(spec.getExpiresAfter(), "spec.expiresAfter");
      return new Lifetime(
          life,
          spec.getRenewBefore() == null
              ? life.dividedBy(3)
              : SpecConversions.renewBefore(
                  spec.getRenewBefore(), "spec.renewBefore", life, "spec.expiresAfter"));
    }

    boolean expires() {
      return expiresAfter != null;
    }

    /**
     * Renewal is due from {@code renewBefore} ahead of the expiry in status (or when there is none
     * yet).
     */
    boolean renewalDue(String expiresAt, Instant now) {
      return expires()
          && (expiresAt == null || !now.isBefore(Instant.parse(expiresAt).minus(renewBefore)));
    }
  }

  /** The signing key named in spec, else the Account's first. */
  private static String signingKeyName(User user, Account account) {
    return user.getSpec().getSigningKey() != null
        ? user.getSpec().getSigningKey()
        : SpecConversions.signingKeys(account.getSpec()).get(0).getName();
  }

  private UpdateControl<User> signingKeyNotFound(
      User user, UserStatus before, Account account, String keyName) {
    return services
        .status()
        .failed(
            user,
            before,
            Reason.SIGNING_KEY_NOT_FOUND,
            "spec.signingKey: Account "
                + account.getMetadata().getName()
                + " has no signing key '"
                + keyName
                + "' (known: "
                + SpecConversions.signingKeys(account.getSpec()).stream()
                    .map(SigningKeySpec::getName)
                    .collect(Collectors.joining(", "))
                + ")",
            Duration.ofSeconds(60));
  }

  private static String credsSecretName(User user) {
    return user.getSpec().getCredsSecretName() == null
        ? Names.userCreds(user.getMetadata().getName())
        : user.getSpec().getCredsSecretName();
  }

  /**
   * A new user key for a creds Secret that is gone (or lost its seed); the lost one, which may have
   * been copied, is retired: the Account revokes it (retiredKeys feed its revocations).
   */
  private KeyPair reissued(User user, String secretName) {
    KeyPair fresh = KeyPair.create(KeyType.USER);
    services.metrics().keyGenerated("user");
    UserStatus st = user.getStatus();
    if (st.getPublicKey() != null) {
      Map<String, Long> retired =
          new TreeMap<>(st.getRetiredKeys() == null ? Map.of() : st.getRetiredKeys());
      retired.putIfAbsent(
          st.getPublicKey(),
          Math.max(Instant.now().getEpochSecond(), Statuses.epochSeconds(st.getIssuedAt())));
      st.setRetiredKeys(retired);
      services
          .status()
          .events()
          .warning(
              user,
              Reason.CREDENTIALS_REISSUED,
              "creds Secret "
                  + secretName
                  + " was missing: issued a new user key "
                  + fresh.publicKey()
                  + " and revoked "
                  + st.getPublicKey());
    }
    return fresh;
  }

  /**
   * The user JWT, signed again when its claims change, its renewal is due, or the Secret no longer
   * holds it.
   */
  private SignedJwts.Signed sign(
      User user, Signing how, KeyPair userKey, Optional<Secret> existing) {
    UserStatus st = user.getStatus();
    UserClaims claims =
        UserClaimsBuilder.build(
            user.getMetadata().getName(),
            user.getSpec(),
            userKey.publicKey(),
            how.accountKey(),
            how.scoped());
    String hash =
        ClaimsHash.of(claims)
            + ":"
            + how.signer().publicKey()
            + ":"
            + user.getSpec().getExpiresAfter();
    String currentJwt = existing.flatMap(s -> KeySecrets.read(s, CredsSecrets.JWT)).orElse(null);
    boolean secretCurrent = currentJwt != null && userKey.publicKey().equals(st.getPublicKey());
    boolean renewalDue = how.lifetime().renewalDue(st.getExpiresAt(), Instant.now());
    SignedJwts.Subject subject = new SignedJwts.Subject(user.getMetadata().getUid(), "user");
    if (renewalDue) {
      services.signed().forget(subject);
    }
    Duration life = how.lifetime().expiresAfter();
    SignedJwts.Signed signed =
        services
            .signed()
            .ensure(
                subject,
                hash,
                renewalDue || !secretCurrent ? null : st.getClaimsHash(),
                currentJwt,
                Statuses.epochSeconds(st.getIssuedAt()),
                iat ->
                    JwtEncoder.encode(
                        claims.withExpires(life == null ? null : iat + life.toSeconds()),
                        how.signer(),
                        iat));
    if (signed.fresh()) {
      services.metrics().jwtSigned("user");
    }
    return signed;
  }

  private static void publish(
      User user,
      SignedJwts.Signed signed,
      KeyPair userKey,
      String accountKey,
      Lifetime lifetime,
      String secretName) {
    UserStatus st = user.getStatus();
    st.setIssuedAt(Statuses.rfc3339(signed.iat()));
    st.setExpiresAt(
        lifetime.expires()
            ? Statuses.rfc3339(signed.iat() + lifetime.expiresAfter().toSeconds())
            : null);
    st.setClaimsHash(signed.hash());
    st.setPublicKey(userKey.publicKey());
    st.setAccountPublicKey(accountKey);
    st.setCredsSecretName(secretName);
  }

  /**
   * Ready once the Account is pushed; looked at again when renewal is due, at the latest on the
   * resync.
   */
  private UpdateControl<User> ready(
      User user, UserStatus before, Account account, Lifetime lifetime, Instant wakeAt) {
    if (!Conditions.isTrue(account.getStatus().getConditions(), ConditionType.PUSHED)) {
      // A first status may be held: the Account reads a User's key from its status only when the
      // User is deleted, and the cleanup writes it first (publishKeyToRevoke).
      return services
          .status()
          .pendingUnread(
              user,
              before,
              "creds issued; waiting for Account "
                  + account.getMetadata().getName()
                  + " to be pushed to its servers",
              Duration.ofSeconds(5));
    }
    Duration next = services.settings().resyncInterval();
    if (user.getStatus().getExpiresAt() != null) {
      Duration untilRenewal =
          Duration.between(
              Instant.now(),
              Instant.parse(user.getStatus().getExpiresAt()).minus(lifetime.renewBefore()));
      next =
          untilRenewal.isNegative()
              ? Duration.ofSeconds(1)
              : (untilRenewal.compareTo(next) < 0 ? untilRenewal : next);
    }
    if (wakeAt != null) {
      Duration untilRotation = Duration.between(Instant.now(), wakeAt);
      next =
          untilRotation.isNegative()
              ? Duration.ofSeconds(1)
              : (untilRotation.compareTo(next) < 0 ? untilRotation.plusMillis(100) : next);
    }
    return services.status().ready(user, before, next);
  }

  @Override
  public DeleteControl cleanup(User user, Context<User> context) {
    try {
      return release(user, context);
    } catch (RuntimeException e) {
      return services.status().cleanupFailed(user, UserStatus::new, e);
    }
  }

  private DeleteControl release(User user, Context<User> context) {
    UserStatus st = user.getStatus();
    String ns = user.getMetadata().getNamespace();
    Account account =
        accounts.get(new ResourceID(user.getSpec().getAccountRef().getName(), ns)).orElse(null);
    boolean inStatus = st != null && st.getPublicKey() != null;
    String key = inStatus ? st.getPublicKey() : issuedKey(user).orElse(null);
    boolean nothingToRevoke =
        account == null || key == null || account.getMetadata().getDeletionTimestamp() != null;
    if (!nothingToRevoke && !revocationAcknowledged(account, key)) {
      if (!inStatus) {
        return publishKeyToRevoke(user, key);
      }
      if (revokedInStatus(account, key)) {
        return awaitRevocationPush(user, account);
      }
      // The Account reconciler sees this User's deletionTimestamp, revokes its key and pushes.
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofMillis(500));
    }
    if (nothingToRevoke && key != null) {
      revokeInRetainedKeys(user, key);
    }
    services
        .objects()
        .deleteSecretIfOurs(
            Owner.of(user),
            st != null && st.getCredsSecretName() != null
                ? st.getCredsSecretName()
                : credsSecretName(user));
    published.remove(user.getMetadata().getUid());
    return services.released(user, context);
  }

  /**
   * The key of the creds this User was issued, from its creds Secret, for a User whose first status
   * was held back (see {@link #ready}) and so never named it; empty when none was issued.
   */
  private Optional<String> issuedKey(User user) {
    String name = credsSecretName(user);
    try {
      return services
          .objects()
          .ownSecret(
              Owner.of(user),
              name,
              secrets.get(new ResourceID(name, user.getMetadata().getNamespace())))
          .flatMap(s -> KeySecrets.read(s, CredsSecrets.SEED))
          .map(seed -> KeyPair.fromSeed(seed).publicKey());
    } catch (ForeignObjectException e) {
      return Optional.empty(); // not ours: we issued nothing there
    }
  }

  /**
   * Creds were issued, but the status that names their key was held back: it is written now, so
   * that the Account revokes the key (it reads the keys of Users being deleted from their status)
   * before the creds Secret goes.
   */
  private DeleteControl publishKeyToRevoke(User user, String key) {
    UserStatus before = Statuses.copy(user.getStatus(), UserStatus.class);
    services.status().statusOf(user, UserStatus::new).setPublicKey(key);
    user.getStatus().setCredsSecretName(credsSecretName(user));
    services
        .status()
        .pending(
            user,
            before,
            "deleting: waiting for the Account to revoke user key " + key,
            Duration.ofMillis(500));
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofMillis(500));
  }

  private static boolean revokedInStatus(Account account, String userKey) {
    AccountStatus st = account.getStatus();
    return st != null && st.getRevocations() != null && st.getRevocations().containsKey(userKey);
  }

  /**
   * The Account's JWT revokes the key and at least one server took it. Not all of them: a server
   * that is down must not hold up deleting Users (the revocation is stored with the Account's
   * identity and the Account keeps pushing until every server has it; servers of a cluster share it
   * too), but a revocation no server has seen would leave the creds working.
   */
  private static boolean revocationAcknowledged(Account account, String userKey) {
    if (!revokedInStatus(account, userKey)) {
      return false;
    }
    List<io.fabric8.kubernetes.api.model.Condition> conditions =
        account.getStatus().getConditions();
    if (Conditions.isTrue(conditions, ConditionType.PUSHED)) {
      return true;
    }
    return Conditions.reason(conditions, ConditionType.PUSHED) == Reason.PUSH_FAILED
        && acknowledgedBySome(account.getStatus().getServers());
  }

  /** {@code status.servers} ("k/n", set by the push of the JWT the status holds) with k > 0. */
  static boolean acknowledgedBySome(String servers) {
    if (servers == null || servers.indexOf('/') <= 0) {
      return false;
    }
    try {
      return Integer.parseInt(servers.substring(0, servers.indexOf('/'))) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Signed but not yet taken by any server: the User stays (its creds Secret too) and says what it
   * waits for, rather than retrying in silence.
   */
  private DeleteControl awaitRevocationPush(User user, Account account) {
    UserStatus before = Statuses.copy(user.getStatus(), UserStatus.class);
    String pushed =
        Conditions.reason(account.getStatus().getConditions(), ConditionType.PUSHED)
            + ": "
            + Conditions.message(account.getStatus().getConditions(), ConditionType.PUSHED);
    services
        .status()
        .failed(
            user,
            before,
            Reason.DELETE_PENDING,
            "waiting for a NATS server to take the JWT of Account "
                + Names.ref(account)
                + " that revokes this user (the Account's Pushed condition says "
                + pushed
                + ")",
            Duration.ofSeconds(2));
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(2));
  }

  /**
   * A User deleted with (or after) its Account: nothing signs a JWT now, but the Account's key
   * Secret is retained (deletionPolicy Retain) and comes back with the Account, so the key is
   * revoked there, in the revocations kept with the identity. An Account applied again then revokes
   * it at once instead of trusting a copy of these creds.
   */
  private void revokeInRetainedKeys(User user, String userKey) {
    String ns = user.getMetadata().getNamespace();
    String accountName = user.getSpec().getAccountRef().getName();
    Owner account =
        new Owner(
            HasMetadata.getApiVersion(Account.class),
            HasMetadata.getKind(Account.class),
            ns,
            accountName,
            null);
    services
        .objects()
        .readSecret(ns, Names.accountKeys(accountName))
        .filter(keys -> Ownership.isOurs(keys, account))
        .ifPresent(
            keys -> {
              Map<String, Long> stored =
                  StoredRevocations.parse(
                      KeySecrets.read(keys, StoredRevocations.ENTRY).orElse(null));
              if (!stored.containsKey(userKey)) {
                Map<String, Long> merged =
                    StoredRevocations.merge(
                        stored, Map.of(userKey, java.time.Instant.now().getEpochSecond()));
                services
                    .objects()
                    .addToSecret(
                        account,
                        keys,
                        Map.of(StoredRevocations.ENTRY, StoredRevocations.write(merged)));
              }
            });
  }

  @Override
  public ErrorStatusUpdateControl<User> updateErrorStatus(
      User user, Context<User> context, Exception e) {
    return services.status().error(user, UserStatus::new, context, e);
  }
}
