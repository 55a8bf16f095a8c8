package dev.nats.accounts.reconciler.user;

import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.api.v1alpha1.UserSpec;
import dev.nats.accounts.api.v1alpha1.UserStatus;
import dev.nats.accounts.jwt.ClaimsHash;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.reconciler.Indexes;
import dev.nats.accounts.reconciler.Indexes.AccountId;
import dev.nats.accounts.reconciler.Informers;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.SignedJwts;
import dev.nats.accounts.reconciler.SpecConversions;
import dev.nats.accounts.reconciler.Statuses;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Reason;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Issues user credentials: a user key kept in the creds Secret, a JWT signed by the chosen account
 * signing key, renewed before it expires. Deleting a User first revokes its key in the account JWT
 * (pushed by the Account reconciler) and only then lets the creds Secret go.
 */
@ControllerConfiguration(name = "user")
public final class UserReconciler implements Reconciler<User>, Cleaner<User> {
  private final Services services;
  private InformerEventSource<Account, User> accounts;
  private InformerEventSource<Secret, User> secrets;

  public UserReconciler(Services services) {
    this.services = services;
  }

  @Override
  public List<EventSource<?, User>> prepareEventSources(EventSourceContext<User> context) {
    IndexerResourceCache<User> primary = context.getPrimaryCache();
    Indexes.USERS_BY_ACCOUNT.addTo(primary);
    accounts = Informers.watch(context, Account.class, a -> Indexes.USERS_BY_ACCOUNT.ids(primary, AccountId.of(a)));
    // A creds Secret wakes its User; the account's key Secret wakes all of its Users.
    secrets = Informers.watchOwned(context, Secret.class, s -> {
      Set<ResourceID> ids = new HashSet<>();
      Indexes.ownerOf(s, User.class).ifPresent(ids::add);
      Indexes.accountOwning(s).ifPresent(a -> ids.addAll(Indexes.USERS_BY_ACCOUNT.ids(primary, a)));
      return ids;
    });
    return List.of(accounts, secrets);
  }

  @Override
  public UpdateControl<User> reconcile(User user, Context<User> context) {
    UserStatus before = Statuses.copy(user.getStatus(), UserStatus.class);
    UserStatus st = statusOf(user);
    UserSpec spec = user.getSpec();
    String ns = user.getMetadata().getNamespace();
    String name = user.getMetadata().getName();
    String accountName = spec.getAccountRef().getName();

    Account account = accounts.get(new ResourceID(accountName, ns)).orElse(null);
    if (account == null) {
      return services.status().failed(user, before, Reason.ACCOUNT_NOT_FOUND, "spec.accountRef: Account " + Names.ref(ns, accountName) + " not found", Duration.ofSeconds(60));
    }
    String accountPub = account.getStatus() == null ? null : account.getStatus().getPublicKey();
    Optional<Secret> accountKeys = secrets.get(new ResourceID(Names.accountKeys(accountName), ns));
    if (accountPub == null || accountKeys.isEmpty() || !Conditions.isTrue(account.getStatus().getConditions(), ConditionType.KEYS_READY)) {
      return services.status().pending(user, before, "waiting for Account " + Names.ref(ns, accountName) + " keys", Duration.ofSeconds(5));
    }

    // The signing key: named in spec, else the account's first.
    List<SigningKeySpec> keySpecs = SpecConversions.signingKeys(account.getSpec());
    String keyName = spec.getSigningKey() == null ? keySpecs.get(0).getName() : spec.getSigningKey();
    SigningKeySpec keySpec = keySpecs.stream().filter(k -> k.getName().equals(keyName)).findFirst().orElse(null);
    Optional<String> signerSeed = KeySecrets.read(accountKeys.get(), Names.signingEntry(keyName));
    if (keySpec == null || signerSeed.isEmpty()) {
      return services.status().failed(user, before, Reason.SIGNING_KEY_NOT_FOUND,
          "spec.signingKey: Account " + accountName + " has no signing key '" + keyName + "' (known: "
              + keySpecs.stream().map(SigningKeySpec::getName).collect(Collectors.joining(", ")) + ")",
          Duration.ofSeconds(60));
    }
    boolean scoped = keySpec.getTemplate() != null;
    if (scoped && SpecConversions.setsPermissionsOrLimits(spec)) {
      return services.status().failed(user, before, Reason.INVALID_SPEC,
          "spec.permissions/limits/sourceNetworks/connectionTypes/bearerToken cannot be set: signing key '" + keyName
              + "' is scoped and its template defines them",
          Duration.ofMinutes(5));
    }
    KeyPair signer = KeyPair.fromSeed(signerSeed.get());

    // The user key lives in the creds Secret.
    String secretName = spec.getCredsSecretName() == null ? Names.userCreds(name) : spec.getCredsSecretName();
    Owner owner = Owner.of(user);
    Secret existing = services.objects().ownSecret(owner, secretName, secrets.get(new ResourceID(secretName, ns))).orElse(null);
    KeyPair userKey = existing == null ? null : KeySecrets.read(existing, CredsSecrets.SEED).map(KeyPair::fromSeed).orElse(null);
    boolean reissued = false;
    if (userKey == null) {
      userKey = KeyPair.create(KeyType.USER);
      services.metrics().keyGenerated("user");
      reissued = st.getPublicKey() != null;
    }
    if (reissued) {
      // The lost key may have been copied: it is revoked by the Account (retiredKeys feed its revocations).
      java.util.Map<String, Long> retired = new java.util.TreeMap<>(st.getRetiredKeys() == null ? java.util.Map.of() : st.getRetiredKeys());
      retired.putIfAbsent(st.getPublicKey(), Instant.now().getEpochSecond());
      st.setRetiredKeys(retired);
      services.status().events().warning(user, Reason.CREDENTIALS_REISSUED,
          "creds Secret " + secretName + " was missing: issued a new user key " + userKey.publicKey() + " and revoked "
              + st.getPublicKey());
    }

    // Claims; re-sign when they change or renewal is due.
    UserClaims claims = UserClaimsBuilder.build(name, spec, userKey.publicKey(), accountPub, scoped);
    Duration lifetime = spec.getExpiresAfter() == null ? null : SpecConversions.duration(spec.getExpiresAfter(), "spec.expiresAfter");
    Duration renewBefore = lifetime == null ? null
        : spec.getRenewBefore() == null ? lifetime.dividedBy(3) : SpecConversions.duration(spec.getRenewBefore(), "spec.renewBefore");
    String hash = ClaimsHash.of(claims) + ":" + signer.publicKey() + ":" + spec.getExpiresAfter();
    Instant now = Instant.now();
    Instant expiresAt = st.getExpiresAt() == null ? null : Instant.parse(st.getExpiresAt());
    boolean renewalDue = lifetime != null && (expiresAt == null || !now.isBefore(expiresAt.minus(renewBefore)));
    String currentJwt = existing == null ? null : KeySecrets.read(existing, CredsSecrets.JWT).orElse(null);
    SignedJwts.Subject memoryKey = new SignedJwts.Subject(user.getMetadata().getUid(), "user");
    boolean secretCurrent = existing != null && currentJwt != null && userKey.publicKey().equals(st.getPublicKey());
    if (renewalDue) {
      services.signed().forget(memoryKey);
    }
    KeyPair finalUserKey = userKey;
    SignedJwts.Signed signed = services.signed().ensure(memoryKey, hash,
        renewalDue || !secretCurrent ? null : st.getClaimsHash(), currentJwt, Statuses.epochSeconds(st.getIssuedAt()),
        iat -> JwtEncoder.encode(claims.withExpires(lifetime == null ? null : iat + lifetime.toSeconds()), signer, iat));
    if (signed.fresh()) {
      services.metrics().jwtSigned("user");
    }
    services.objects().applySecret(owner, CredsSecrets.desired(secretName, signed.jwt(), finalUserKey.seed()),
        Optional.ofNullable(existing));
    st.setIssuedAt(Statuses.rfc3339(signed.iat()));
    st.setExpiresAt(lifetime == null ? null : Statuses.rfc3339(signed.iat() + lifetime.toSeconds()));
    st.setClaimsHash(signed.hash());
    st.setPublicKey(userKey.publicKey());
    st.setAccountPublicKey(accountPub);
    st.setCredsSecretName(secretName);

    Duration next = services.settings().resyncInterval();
    if (st.getExpiresAt() != null) {
      Duration untilRenewal = Duration.between(now, Instant.parse(st.getExpiresAt()).minus(renewBefore));
      next = untilRenewal.isNegative() ? Duration.ofSeconds(1) : (untilRenewal.compareTo(next) < 0 ? untilRenewal : next);
    }
    if (Conditions.isTrue(account.getStatus().getConditions(), ConditionType.PUSHED)) {
      services.status().set(user, ConditionType.READY, Conditions.TRUE, Reason.RECONCILED, "");
    } else {
      services.status().set(user, ConditionType.READY, Conditions.UNKNOWN, Reason.PENDING,
          "creds issued; waiting for Account " + accountName + " to be pushed to its servers");
      next = Duration.ofSeconds(5);
    }
    return services.status().done(user, before, next);
  }

  @Override
  public DeleteControl cleanup(User user, Context<User> context) {
    services.forget(user);
    UserStatus st = user.getStatus();
    String ns = user.getMetadata().getNamespace();
    Account account = accounts.get(new ResourceID(user.getSpec().getAccountRef().getName(), ns)).orElse(null);
    boolean revokedAndPushed = account != null && account.getStatus() != null && st != null && st.getPublicKey() != null
        && account.getStatus().getRevocations() != null
        && account.getStatus().getRevocations().containsKey(st.getPublicKey())
        && Conditions.isTrue(account.getStatus().getConditions(), ConditionType.PUSHED);
    boolean nothingToRevoke = account == null || st == null || st.getPublicKey() == null
        || account.getMetadata().getDeletionTimestamp() != null;
    if (!revokedAndPushed && !nothingToRevoke) {
      // The Account reconciler sees this User's deletionTimestamp, revokes its key and pushes.
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofMillis(500));
    }
    if (st != null && st.getCredsSecretName() != null) {
      services.objects().deleteSecretIfOurs(Owner.of(user), st.getCredsSecretName());
    }
    return DeleteControl.defaultDelete();
  }

  @Override
  public ErrorStatusUpdateControl<User> updateErrorStatus(User user, Context<User> context, Exception e) {
    statusOf(user);
    return services.status().error(user, context, e);
  }

  private static UserStatus statusOf(User user) {
    if (user.getStatus() == null) {
      user.setStatus(new UserStatus());
    }
    return user.getStatus();
  }
}
