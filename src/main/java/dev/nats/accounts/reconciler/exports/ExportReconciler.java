package dev.nats.accounts.reconciler.exports;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.api.v1alpha1.ExportSpec;
import dev.nats.accounts.api.v1alpha1.ExportStatus;
import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.informers.SharedEventSource;
import dev.nats.accounts.jwt.ActivationClaims;
import dev.nats.accounts.jwt.ActivationHashId;
import dev.nats.accounts.jwt.ClaimsHash;
import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.Subjects;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.owned.OwnedObjects;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.owned.Ownership;
import dev.nats.accounts.reconciler.Indexes;
import dev.nats.accounts.reconciler.Indexes.AccountId;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.ResourceRef;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.SignedJwts;
import dev.nats.accounts.reconciler.SpecConversions;
import dev.nats.accounts.reconciler.Statuses;
import dev.nats.accounts.reconciler.StoredRevocations;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Mints activation tokens for the grants of a private export, one Secret per grantee, and keeps the
 * export's revocations when a grant is removed. The exporting Account reconciler puts the export
 * (with those revocations) into the account JWT; this class never signs an account.
 */
public abstract class ExportReconciler<
    E extends CustomResource<? extends ExportSpec, ? extends ExportStatus>> {
  /**
   * The status fields a first status may add and still be held while the export waits for its
   * Account's push: the Account's key (shown for people) and the activations, which every reader
   * also finds in their token Secrets ({@link IssuedGrants}; an importer reads its token from the
   * Secret alone). Held, a private export writes one status, Ready, instead of a wait and then
   * Ready. Revocations are read from the status (by the Account), so a status with them is written.
   */
  private static final Set<String> UNREAD = Set.of("accountPublicKey", "activations");

  protected final Services services;
  private final Class<E> type;
  private final Function<E, ExportView> view;
  private final Supplier<? extends ExportStatus> newStatus;
  private SharedEventSource<Account, E> accounts;
  private SharedEventSource<Secret, E> secrets;
  private IndexerResourceCache<E> primary;

  protected ExportReconciler(
      Services services,
      Class<E> type,
      Function<E, ExportView> view,
      Supplier<? extends ExportStatus> newStatus) {
    this.services = services;
    this.type = type;
    this.view = view;
    this.newStatus = newStatus;
  }

  public List<EventSource<?, E>> prepareEventSources(EventSourceContext<E> context) {
    EventSource<E, E> relay = services.informers().lendOwnInformer(context);
    primary = context.getPrimaryCache();
    Indexes.EXPORTS_BY_ACCOUNT.addTo(primary);
    Indexes.EXPORTS_BY_GRANTEE.addTo(primary);
    accounts =
        services
            .informers()
            .watch(
                context,
                Account.class,
                a -> {
                  Set<ResourceID> ids =
                      new HashSet<>(Indexes.EXPORTS_BY_ACCOUNT.ids(primary, AccountId.of(a)));
                  ids.addAll(Indexes.EXPORTS_BY_GRANTEE.ids(primary, AccountId.of(a)));
                  return ids;
                });
    // Our activation token Secrets wake their export; the account's key Secret wakes all of its
    // exports.
    secrets =
        services
            .informers()
            .watchOwnedBy(
                context,
                Secret.class,
                s -> {
                  Set<ResourceID> ids = new HashSet<>();
                  Indexes.ownerOf(s, type).ifPresent(ids::add);
                  Indexes.accountOwning(s)
                      .ifPresent(a -> ids.addAll(Indexes.EXPORTS_BY_ACCOUNT.ids(primary, a)));
                  return ids;
                },
                List.of(type, Account.class));
    Indexes.OBJECTS_BY_EXPORT.addTo(secrets);
    return List.of(relay, accounts, secrets);
  }

  /**
   * The exporting Account and its keys, one activation per grant, revocations of removed grants,
   * then Ready.
   */
  @SuppressWarnings("unchecked")
  public UpdateControl<E> reconcile(E export, Context<E> context) {
    ExportStatus previous =
        export.getStatus() == null
            ? null
            : Statuses.copy(
                export.getStatus(), (Class<ExportStatus>) export.getStatus().getClass());
    ExportStatus st = statusOf(export);
    ExportView v = view.apply(export);
    AccountId accountId = new AccountId(v.namespace(), v.accountName());
    Account account = accounts.get(accountId.resourceId()).orElse(null);
    if (account == null) {
      return services
          .status()
          .failed(
              export,
              previous,
              Reason.ACCOUNT_NOT_FOUND,
              "spec.accountRef: Account " + accountId + " not found",
              Duration.ofSeconds(60));
    }
    String accountKey = account.getStatus() == null ? null : account.getStatus().getPublicKey();
    Optional<Secret> keys =
        secrets.get(new ResourceID(Names.accountKeys(v.accountName()), v.namespace()));
    if (accountKey == null || keys.isEmpty()) {
      return services
          .status()
          .pending(
              export,
              previous,
              "waiting for Account " + accountId + " keys",
              Duration.ofSeconds(5));
    }
    st.setAccountPublicKey(accountKey);
    boolean granting =
        v.isPrivate() && v.spec().getGrants() != null && !v.spec().getGrants().isEmpty();
    Optional<KeyPair> signer = granting ? activationSigner(account, keys.get()) : Optional.empty();
    if (granting && signer.isEmpty()) {
      return services
          .status()
          .failed(
              export,
              previous,
              Reason.SIGNING_KEY_NOT_FOUND,
              "Account "
                  + v.accountName()
                  + " has no plain (unscoped) signing key to sign activation tokens",
              Duration.ofMinutes(1));
    }
    Map<String, Long> revoked = revoked(v, keys.get());
    Activations minted =
        granting
            ? mintAll(export, v, signer.get(), accountKey, revoked)
            : new Activations(services.settings().resyncInterval());
    revokeRemovedGrants(export, v, minted.byGrantee());
    return report(export, previous, v, account, minted);
  }

  /**
   * What the grants of one export came to: an activation per grantee, or why a grant has none yet.
   */
  private static final class Activations {
    final Map<String, ActivationStatus> byGrantee = new LinkedHashMap<>();
    final List<String> failures = new ArrayList<>();
    Reason failureReason;
    private boolean onlyWaits = true;
    Duration next;

    Activations(Duration next) {
      this.next = next;
    }

    Map<String, ActivationStatus> byGrantee() {
      return byGrantee;
    }

    void fail(Reason reason, String message) {
      failures.add(message);
      failureReason = failureReason == null ? reason : failureReason;
      onlyWaits &= reason == Reason.PENDING;
    }

    /** Whether every grant without an activation only waits for its grantee's key. */
    boolean onlyWaits() {
      return onlyWaits;
    }

    /**
     * The export is looked at again when an activation's renewal is due, at the latest on the
     * resync.
     */
    void renewBy(Instant due) {
      Duration until = Duration.between(Instant.now(), due);
      next =
          until.isNegative() ? Duration.ofSeconds(1) : (until.compareTo(next) < 0 ? until : next);
    }
  }

  /**
   * Grantees this export revokes: its status's, and those the exporter's key Secret kept for its
   * type and subject (the status may have been wiped, or the export deleted and applied again). A
   * new token for one of them must be issued after its revocation.
   */
  private static Map<String, Long> revoked(ExportView v, Secret accountKeys) {
    Map<String, Long> status =
        v.status() == null || v.status().getRevocations() == null
            ? Map.of()
            : v.status().getRevocations();
    StoredRevocations.Exports kept =
        StoredRevocations.Exports.parse(
            KeySecrets.read(accountKeys, StoredRevocations.EXPORTS_ENTRY).orElse(null));
    return StoredRevocations.merge(
        status, kept.of(v.typeName(), v.spec() == null ? null : v.spec().getSubject()));
  }

  private Activations mintAll(
      E export, ExportView v, KeyPair signer, String accountKey, Map<String, Long> revoked) {
    Activations out = new Activations(services.settings().resyncInterval());
    List<Grant> grants = v.spec().getGrants();
    for (int i = 0; i < grants.size(); i++) {
      Grant g = grants.get(i);
      String grantee = grantee(v, g, i, out);
      if (grantee == null) {
        continue;
      }
      String subject = Grants.subject(g, v.spec().getSubject(), grantee);
      if (!Subjects.isValid(subject) || !Subjects.contains(v.spec().getSubject(), subject)) {
        out.fail(
            Reason.SUBJECT_NOT_IN_EXPORT,
            "grants["
                + i
                + "].subject: '"
                + subject
                + "' is not within spec.subject '"
                + v.spec().getSubject()
                + "'");
        continue;
      }
      Duration life =
          g.getExpiresAfter() == null
              ? null
              : SpecConversions.lifetime(
                  g.getExpiresAfter(), "spec.grants[" + i + "].expiresAfter");
      ActivationStatus a =
          mint(
              export,
              v,
              new Activation(grantee, subject, life, g.getExpiresAfter()),
              signer,
              accountKey,
              revoked.get(grantee));
      out.byGrantee.put(grantee, a);
      if (a.getExpiresAt() != null) {
        out.renewBy(Instant.parse(a.getExpiresAt()).minus(life.dividedBy(3)));
      }
    }
    return out;
  }

  /**
   * The grantee's public key: given, or that of the Account the grant names; null (and why) when it
   * has none.
   */
  private String grantee(ExportView v, Grant g, int i, Activations out) {
    if (g.getPublicKey() != null) {
      return g.getPublicKey();
    }
    AccountId id =
        new AccountId(
            g.getAccount().getNamespace() == null ? v.namespace() : g.getAccount().getNamespace(),
            g.getAccount().getName());
    Account ga = accounts.get(id.resourceId()).orElse(null);
    if (ga == null || ga.getStatus() == null || ga.getStatus().getPublicKey() == null) {
      out.fail(
          ga == null ? Reason.ACCOUNT_NOT_FOUND : Reason.PENDING,
          "grants["
              + i
              + "].account: Account "
              + id
              + (ga == null ? " not found" : " has no key yet"));
      return null;
    }
    return ga.getStatus().getPublicKey();
  }

  /**
   * Grants that went away: their token Secret goes and the grantee is revoked, at the latest
   * token's iat if that is ahead of the clock (a re-grant's token may be: it must be issued after
   * the earlier revocation), so that token is revoked too, and this process forgets it.
   *
   * <p>A grant the status does not list (its first status held, or wiped) is found by its token
   * Secret ({@link IssuedGrants}), and that Secret is the only record of it until a status with the
   * revocation is read back: it goes only then. Meanwhile a reconcile that read a copy older than
   * our write finds the revocation in what we wrote, and writes it again unchanged.
   */
  private void revokeRemovedGrants(
      E export, ExportView v, Map<String, ActivationStatus> activations) {
    ExportStatus st = export.getStatus();
    Map<String, Long> revocations =
        new TreeMap<>(st.getRevocations() == null ? Map.of() : st.getRevocations());
    Set<String> listed = new HashSet<>();
    if (st.getActivations() != null) {
      st.getActivations().forEach(a -> listed.add(a.getPublicKey()));
    }
    Map<String, String> issued = IssuedGrants.of(v, secrets);
    Map<String, Long> issuedAt = IssuedGrants.issuedAt(v, issued, secrets);
    Map<String, Long> written =
        listed.containsAll(issued.keySet())
            ? Map.of()
            : services
                .status()
                .lastWritten(export, st.getClass())
                .map(ExportStatus::getRevocations)
                .orElse(Map.of());
    issued.forEach(
        (grantee, secretName) -> {
          if (activations.containsKey(grantee)) {
            return;
          }
          long iat = issuedAt.get(grantee);
          boolean onlyTheSecretTells = !listed.contains(grantee);
          if (onlyTheSecretTells && IssuedGrants.covered(revocations, grantee, iat)) {
            // Revoked in the status as read: the Secret's record is no longer needed.
            services.objects().deleteSecretIfOurs(Owner.of(export), secretName);
            return;
          }
          if (onlyTheSecretTells && IssuedGrants.covered(written, grantee, iat)) {
            revocations.merge(grantee, written.get(grantee), Math::max);
            return;
          }
          if (!onlyTheSecretTells) {
            services.objects().deleteSecretIfOurs(Owner.of(export), secretName);
          }
          services.signed().forget(new SignedJwts.Subject(v.uid(), grantee));
          revocations.merge(grantee, Math.max(Instant.now().getEpochSecond(), iat), Math::max);
          services
              .status()
              .events()
              .normal(export, Reason.GRANT_REVOKED, "revoked the activation of " + grantee);
        });
    st.setActivations(activations.isEmpty() ? null : new ArrayList<>(activations.values()));
    st.setRevocations(revocations.isEmpty() ? null : revocations);
  }

  /**
   * Ready once the account JWT carries this export and is pushed. Overlap with another export of
   * the account leaves this one out of the JWT, and a grant without an activation keeps it False.
   */
  private UpdateControl<E> report(
      E export, ExportStatus previous, ExportView v, Account account, Activations minted) {
    List<ExportView> siblings =
        Indexes.EXPORTS_BY_ACCOUNT.lookup(primary, AccountId.of(account)).stream()
            .map(view)
            .toList();
    Optional<ExportClaims.Excluded> excluded =
        ExportClaims.select(new ArrayList<>(siblingsOf(siblings, v))).excluded().stream()
            .filter(x -> x.export().name().equals(v.name()) && x.export().type() == v.type())
            .findFirst();
    if (excluded.isPresent()) {
      return services
          .status()
          .failed(export, previous, excluded.get().reason(), excluded.get().message(), minted.next);
    }
    if (!minted.failures.isEmpty() && minted.onlyWaits()) {
      // A grantee's Account without its key yet is on its way: a wait like any other, held while
      // it is new, with no Warning Event.
      return services
          .status()
          .pending(
              export, previous, String.join("; ", minted.failures), Duration.ofSeconds(5), UNREAD);
    }
    if (!minted.failures.isEmpty()) {
      return services
          .status()
          .failed(
              export,
              previous,
              minted.failureReason,
              String.join("; ", minted.failures),
              Duration.ofSeconds(30).compareTo(minted.next) < 0
                  ? Duration.ofSeconds(30)
                  : minted.next);
    }
    boolean inJwt =
        account.getStatus().getExports() != null
            && account.getStatus().getExports().stream()
                .anyMatch(s -> ResourceRef.parse(s.getFrom()).filter(v.id()::equals).isPresent());
    if (!inJwt || !Conditions.isTrue(account.getStatus().getConditions(), ConditionType.PUSHED)) {
      return services
          .status()
          .pending(
              export,
              previous,
              "waiting for Account " + v.accountName() + " to carry this export and be pushed",
              Duration.ofSeconds(5),
              UNREAD);
    }
    return services.status().ready(export, previous, minted.next);
  }

  /** Other exports of the account, with this one as it is now (the cache may lag behind). */
  private static List<ExportView> siblingsOf(List<ExportView> cached, ExportView self) {
    List<ExportView> out = new ArrayList<>();
    for (ExportView c : cached) {
      if (!(c.name().equals(self.name()) && c.type() == self.type())) {
        out.add(c);
      }
    }
    out.add(self);
    return out;
  }

  /**
   * One grant's activation: for whom, which subject, for how long ({@code expiresAfter} as written,
   * for the hash).
   */
  private record Activation(String grantee, String subject, Duration life, String expiresAfter) {
    ActivationClaims claims(ExportView v, String accountKey, Long expires) {
      return new ActivationClaims(subject, grantee, subject, v.type(), accountKey, expires);
    }
  }

  /** The token as its Secret holds it; a token that does not decode counts as none. */
  private record Current(String jwt, DecodedJwt decoded, String claimsHash) {
    static Current of(Optional<Secret> secret) {
      String jwt = secret.flatMap(s -> KeySecrets.read(s, Grants.TOKEN_KEY)).orElse(null);
      if (jwt == null) {
        return new Current(null, null, null);
      }
      try {
        return new Current(
            jwt, JwtDecoder.decodeIgnoringTime(jwt), Ownership.claimsHash(secret.get()));
      } catch (RuntimeException e) {
        return new Current(null, null, null);
      }
    }

    long iat() {
      return decoded == null ? 0 : decoded.issuedAt();
    }

    /**
     * A grantee revoked earlier (its grant was removed, or its Account was gone for a while) and
     * granted again needs a token issued after the revocation: the export keeps revoking every
     * older one, the remembered or restored too.
     */
    Current unlessRevoked(Long revokedAt) {
      return revokedAt != null && jwt != null && iat() <= revokedAt
          ? new Current(null, null, null)
          : this;
    }

    /** The lowest iat a new token may have: after the current one and after the revocation. */
    long floor(Long revokedAt) {
      return revokedAt == null ? iat() : Math.max(iat(), revokedAt);
    }

    /** Renewal is due a third of the lifetime ahead of the expiry. */
    boolean renewalDue(Duration life) {
      return life != null
          && decoded != null
          && decoded.expires() != null
          && !Instant.now()
              .isBefore(Instant.ofEpochSecond(decoded.expires()).minus(life.dividedBy(3)));
    }
  }

  /**
   * The grant's activation token in its Secret, signed again only when its claims change or renewal
   * is due.
   */
  private ActivationStatus mint(
      E export,
      ExportView v,
      Activation activation,
      KeyPair signer,
      String accountKey,
      Long revokedAt) {
    String secretName = Grants.secretName(v.name(), activation.grantee());
    Owner owner = Owner.of(export);
    Optional<Secret> found =
        services
            .objects()
            .ownSecret(owner, secretName, secrets.get(new ResourceID(secretName, v.namespace())));
    Current current = Current.of(found).unlessRevoked(revokedAt);
    SignedJwts.Signed signed = sign(v, activation, signer, accountKey, current, revokedAt);
    services
        .objects()
        .applySecret(
            owner,
            new OwnedObjects.Desired(
                secretName,
                Map.of(Grants.TOKEN_KEY, signed.jwt()),
                Map.of(Grants.EXPORT_LABEL, v.name(), Grants.GRANTEE_LABEL, activation.grantee()),
                signed.hash(),
                true),
            found);
    DecodedJwt decoded =
        signed.jwt().equals(current.jwt())
            ? current.decoded()
            : JwtDecoder.decodeIgnoringTime(signed.jwt());
    ActivationStatus a = new ActivationStatus();
    a.setPublicKey(activation.grantee());
    a.setSubject(activation.subject());
    a.setSecretName(secretName);
    a.setHashId(decoded.id());
    a.setExpiresAt(decoded.expires() == null ? null : Statuses.rfc3339(decoded.expires()));
    a.setUrl(services.settings().activationUrl(ActivationHashId.of(decoded)).orElse(null));
    return a;
  }

  /**
   * The token, signed again only when its claims (or signer, or lifetime) changed or its renewal is
   * due, with an {@code iat} after the current token's and after a revocation of the grantee.
   */
  private SignedJwts.Signed sign(
      ExportView v,
      Activation activation,
      KeyPair signer,
      String accountKey,
      Current current,
      Long revokedAt) {
    String hash =
        ClaimsHash.of(activation.claims(v, accountKey, null))
            + ":"
            + signer.publicKey()
            + ":"
            + activation.expiresAfter();
    SignedJwts.Subject memoryKey = new SignedJwts.Subject(v.uid(), activation.grantee());
    boolean renewalDue = current.renewalDue(activation.life());
    if (renewalDue) {
      services.signed().forget(memoryKey);
    }
    Duration life = activation.life();
    SignedJwts.Signed signed =
        services
            .signed()
            .ensure(
                memoryKey,
                hash,
                renewalDue ? null : current.claimsHash(),
                current.jwt(),
                current.floor(revokedAt),
                iat ->
                    JwtEncoder.encode(
                        activation.claims(
                            v, accountKey, life == null ? null : iat + life.toSeconds()),
                        signer,
                        iat));
    if (signed.fresh()) {
      services.metrics().jwtSigned("activation");
    }
    return signed;
  }

  /**
   * Activations are signed by the exporter's first plain signing key (strict signing forbids the
   * identity key).
   */
  private static Optional<KeyPair> activationSigner(Account account, Secret keys) {
    for (SigningKeySpec k : SpecConversions.signingKeys(account.getSpec())) {
      if (k.getTemplate() == null) {
        return KeySecrets.read(keys, Names.signingEntry(k.getName())).map(KeyPair::fromSeed);
      }
    }
    return Optional.empty();
  }

  public DeleteControl cleanup(E export, Context<E> context) {
    Optional<String> waiting = grantsNotYetRevoked(export);
    if (waiting.isPresent()) {
      statusOf(export);
      services
          .status()
          .failed(export, null, Reason.DELETE_PENDING, waiting.get(), Duration.ofSeconds(1));
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofMillis(500));
    }
    try {
      for (String secretName : IssuedGrants.of(view.apply(export), secrets).values()) {
        services.objects().deleteSecretIfOurs(Owner.of(export), secretName);
      }
      return services.released(export, context);
    } catch (RuntimeException e) {
      statusOf(export);
      return services.status().cleanupFailed(export, e);
    }
  }

  /**
   * Deleting an export ends its grants: its Account stores their revocation with its identity (see
   * {@link ExportClaims#grantsEndedByDeletion}) before the export lets go, so the export applied
   * again cannot bring a kept token back to life. Nothing to wait for when the Account is gone,
   * going, or without its keys.
   */
  private Optional<String> grantsNotYetRevoked(E export) {
    ExportView v = view.apply(export);
    Map<String, Long> issued = v.spec() == null ? Map.of() : IssuedGrants.issuedAt(v, secrets);
    if (issued.isEmpty()) {
      return Optional.empty();
    }
    Account account =
        accounts.get(new AccountId(v.namespace(), v.accountName()).resourceId()).orElse(null);
    if (account == null
        || account.getMetadata().getDeletionTimestamp() != null
        || account.getStatus() == null
        || !Conditions.isTrue(account.getStatus().getConditions(), ConditionType.KEYS_READY)) {
      // An Account that cannot reach its keys now cannot store anything either: waiting on it
      // would only hold up the deletion (a namespace going away).
      return Optional.empty();
    }
    Map<String, Long> stored =
        secrets
            .get(new ResourceID(Names.accountKeys(v.accountName()), v.namespace()))
            .map(
                keys ->
                    StoredRevocations.Exports.parse(
                            KeySecrets.read(keys, StoredRevocations.EXPORTS_ENTRY).orElse(null))
                        .of(v.typeName(), v.spec().getSubject()))
            .orElse(Map.of());
    List<String> pending =
        issued.entrySet().stream()
            .filter(e -> !IssuedGrants.covered(stored, e.getKey(), e.getValue()))
            .map(Map.Entry::getKey)
            .toList();
    return pending.isEmpty()
        ? Optional.empty()
        : Optional.of(
            "waiting for Account "
                + Names.ref(v.namespace(), v.accountName())
                + " to store the revocation of the grants this deletion ends: "
                + String.join(", ", pending));
  }

  public ErrorStatusUpdateControl<E> updateErrorStatus(E export, Context<E> context, Exception e) {
    statusOf(export);
    return services.status().error(export, context, e);
  }

  private ExportStatus statusOf(E export) {
    if (export.getStatus() == null) {
      setStatus(export, newStatus.get());
    }
    return export.getStatus();
  }

  protected abstract void setStatus(E export, ExportStatus status);
}
