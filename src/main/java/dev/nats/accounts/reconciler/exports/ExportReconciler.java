package dev.nats.accounts.reconciler.exports;

import dev.nats.accounts.owned.OwnedObjects;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.owned.Ownership;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.api.v1alpha1.ExportSpec;
import dev.nats.accounts.api.v1alpha1.ExportStatus;
import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.jwt.ActivationClaims;
import dev.nats.accounts.jwt.ClaimsHash;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.Subjects;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.reconciler.Indexes;
import dev.nats.accounts.reconciler.Indexes.AccountId;
import dev.nats.accounts.reconciler.Informers;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.ResourceRef;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.SignedJwts;
import dev.nats.accounts.reconciler.SpecConversions;
import dev.nats.accounts.reconciler.Statuses;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.ConditionType;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
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
 * Mints activation tokens for the grants of a private export, one Secret per grantee, and keeps
 * the export's revocations when a grant is removed. The exporting Account reconciler puts the
 * export (with those revocations) into the account JWT; this class never signs an account.
 */
public abstract class ExportReconciler<E extends CustomResource<? extends ExportSpec, ? extends ExportStatus>> {
  protected final Services services;
  private final Class<E> type;
  private final Function<E, ExportView> view;
  private final Supplier<? extends ExportStatus> newStatus;
  private InformerEventSource<Account, E> accounts;
  private InformerEventSource<Secret, E> secrets;
  private IndexerResourceCache<E> primary;

  protected ExportReconciler(Services services, Class<E> type, Function<E, ExportView> view, Supplier<? extends ExportStatus> newStatus) {
    this.services = services;
    this.type = type;
    this.view = view;
    this.newStatus = newStatus;
  }

  public List<EventSource<?, E>> prepareEventSources(EventSourceContext<E> context) {
    primary = context.getPrimaryCache();
    Indexes.EXPORTS_BY_ACCOUNT.addTo(primary);
    Indexes.EXPORTS_BY_GRANTEE.addTo(primary);
    accounts = Informers.watch(context, Account.class, a -> {
      Set<ResourceID> ids = new HashSet<>(Indexes.EXPORTS_BY_ACCOUNT.ids(primary, AccountId.of(a)));
      ids.addAll(Indexes.EXPORTS_BY_GRANTEE.ids(primary, AccountId.of(a)));
      return ids;
    });
    // Our activation token Secrets wake their export; the account's key Secret wakes all of its exports.
    secrets = Informers.watchOwned(context, Secret.class, s -> {
      Set<ResourceID> ids = new HashSet<>();
      Indexes.ownerOf(s, type).ifPresent(ids::add);
      Indexes.accountOwning(s).ifPresent(a -> ids.addAll(Indexes.EXPORTS_BY_ACCOUNT.ids(primary, a)));
      return ids;
    });
    return List.of(accounts, secrets);
  }

  @SuppressWarnings("unchecked")
  public UpdateControl<E> reconcile(E export, Context<E> context) {
    ExportStatus previous = export.getStatus() == null ? null : Statuses.copy(export.getStatus(), (Class<ExportStatus>) export.getStatus().getClass());
    ExportStatus st = statusOf(export);
    ExportView v = view.apply(export);
    String ns = v.namespace();

    Account account = accounts.get(new ResourceID(v.accountName(), ns)).orElse(null);
    if (account == null) {
      return services.status().finish(export, previous, Conditions.FALSE, Reason.ACCOUNT_NOT_FOUND,
          "spec.accountRef: Account " + Names.ref(ns, v.accountName()) + " not found", Duration.ofSeconds(60));
    }
    String accountKey = account.getStatus() == null ? null : account.getStatus().getPublicKey();
    Optional<Secret> keys = secrets.get(new ResourceID(Names.accountKeys(v.accountName()), ns));
    if (accountKey == null || keys.isEmpty()) {
      return services.status().finish(export, previous, Conditions.UNKNOWN, Reason.PENDING,
          "waiting for Account " + Names.ref(ns, v.accountName()) + " keys", Duration.ofSeconds(5));
    }
    st.setAccountPublicKey(accountKey);

    // Which grantees, with which subjects.
    List<String> failures = new ArrayList<>();
    Reason failureReason = null;
    Map<String, ActivationStatus> activations = new LinkedHashMap<>();
    Duration next = services.settings().resyncInterval();
    if (v.isPrivate() && v.spec().getGrants() != null && !v.spec().getGrants().isEmpty()) {
      Optional<KeyPair> signer = activationSigner(account, keys.get());
      if (signer.isEmpty()) {
        return services.status().finish(export, previous, Conditions.FALSE, Reason.SIGNING_KEY_NOT_FOUND,
            "Account " + v.accountName() + " has no plain (unscoped) signing key to sign activation tokens", Duration.ofMinutes(1));
      }
      List<Grant> grants = v.spec().getGrants();
      for (int i = 0; i < grants.size(); i++) {
        Grant g = grants.get(i);
        String grantee = g.getPublicKey();
        if (grantee == null) {
          String gns = g.getAccount().getNamespace() == null ? ns : g.getAccount().getNamespace();
          Account ga = accounts.get(new ResourceID(g.getAccount().getName(), gns)).orElse(null);
          if (ga == null || ga.getStatus() == null || ga.getStatus().getPublicKey() == null) {
            failures.add("grants[" + i + "].account: Account " + Names.ref(gns, g.getAccount().getName())
                + (ga == null ? " not found" : " has no key yet"));
            failureReason = failureReason == null ? (ga == null ? Reason.ACCOUNT_NOT_FOUND : Reason.PENDING) : failureReason;
            continue;
          }
          grantee = ga.getStatus().getPublicKey();
        }
        String subject = Grants.subject(g, v.spec().getSubject(), grantee);
        if (!Subjects.isValid(subject) || !Subjects.contains(v.spec().getSubject(), subject)) {
          failures.add("grants[" + i + "].subject: '" + subject + "' is not within spec.subject '" + v.spec().getSubject() + "'");
          failureReason = failureReason == null ? Reason.SUBJECT_NOT_IN_EXPORT : failureReason;
          continue;
        }
        Duration life = g.getExpiresAfter() == null ? null
            : SpecConversions.duration(g.getExpiresAfter(), "spec.grants[" + i + "].expiresAfter");
        ActivationStatus a = mint(export, v, g, life, grantee, subject, signer.get(), accountKey);
        activations.put(grantee, a);
        if (a.getExpiresAt() != null) {
          Duration until = Duration.between(Instant.now(), Instant.parse(a.getExpiresAt()).minus(life.dividedBy(3)));
          next = until.isNegative() ? Duration.ofSeconds(1) : (until.compareTo(next) < 0 ? until : next);
        }
      }
    }

    // Grants that went away: their token Secret goes and the grantee is revoked.
    Map<String, Long> revocations = new TreeMap<>(st.getRevocations() == null ? Map.of() : st.getRevocations());
    if (st.getActivations() != null) {
      for (ActivationStatus old : st.getActivations()) {
        if (!activations.containsKey(old.getPublicKey())) {
          services.objects().deleteSecretIfOurs(Owner.of(export), old.getSecretName());
          revocations.put(old.getPublicKey(), Instant.now().getEpochSecond());
          services.status().events().normal(export, Reason.GRANT_REVOKED, "revoked the activation of " + old.getPublicKey());
        }
      }
    }
    st.setActivations(activations.isEmpty() ? null : new ArrayList<>(activations.values()));
    st.setRevocations(revocations.isEmpty() ? null : revocations);

    // Overlap with another export of the same account leaves this one out of the JWT.
    List<ExportView> siblings = Indexes.EXPORTS_BY_ACCOUNT.lookup(primary, AccountId.of(account)).stream().map(view).toList();
    Optional<ExportClaims.Excluded> excluded = ExportClaims.select(new ArrayList<>(siblingsOf(siblings, v))).excluded().stream()
        .filter(x -> x.export().name().equals(v.name()) && x.export().type() == v.type()).findFirst();
    if (excluded.isPresent()) {
      return services.status().finish(export, previous, Conditions.FALSE, excluded.get().reason(), excluded.get().message(), next);
    }
    if (!failures.isEmpty()) {
      return services.status().finish(export, previous, Conditions.FALSE, failureReason, String.join("; ", failures),
          Duration.ofSeconds(30).compareTo(next) < 0 ? Duration.ofSeconds(30) : next);
    }
    boolean inJwt = account.getStatus().getExports() != null && account.getStatus().getExports().stream()
        .anyMatch(s -> ResourceRef.parse(s.getFrom()).filter(v.id()::equals).isPresent());
    if (!inJwt || !Conditions.isTrue(account.getStatus().getConditions(), ConditionType.PUSHED)) {
      return services.status().finish(export, previous, Conditions.UNKNOWN, Reason.PENDING,
          "waiting for Account " + v.accountName() + " to carry this export and be pushed", Duration.ofSeconds(5));
    }
    return services.status().finish(export, previous, Conditions.TRUE, Reason.RECONCILED, "", next);
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

  private ActivationStatus mint(E export, ExportView v, Grant g, Duration life, String grantee, String subject, KeyPair signer,
      String accountKey) {
    String secretName = Grants.secretName(v.name(), grantee);
    Owner owner = Owner.of(export);
    Optional<Secret> found = services.objects().ownSecret(owner, secretName, secrets.get(new ResourceID(secretName, v.namespace())));
    Secret existing = found.orElse(null);
    String current = existing == null ? null : KeySecrets.read(existing, Grants.TOKEN_KEY).orElse(null);
    ActivationClaims claims = new ActivationClaims(subject, grantee, subject, v.type(), accountKey, null);
    String hash = ClaimsHash.of(claims) + ":" + signer.publicKey() + ":" + g.getExpiresAfter();
    SignedJwts.Subject memoryKey = new SignedJwts.Subject(v.uid(), grantee);
    long currentIat = 0;
    Long currentExp = null;
    String currentHash = null;
    dev.nats.accounts.jwt.DecodedJwt currentDecoded = null;
    if (current != null) {
      try {
        var decoded = JwtDecoder.decodeIgnoringTime(current);
        currentDecoded = decoded;
        currentIat = decoded.issuedAt();
        currentExp = decoded.expires();
        currentHash = Ownership.claimsHash(existing);
      } catch (RuntimeException e) {
        current = null;
      }
    }
    // A grantee revoked earlier (its grant was removed, or its Account was gone for a while) and granted again needs
    // a token issued after the revocation: the export keeps revoking every older one, the remembered or restored too.
    Long revokedAt = export.getStatus() == null || export.getStatus().getRevocations() == null ? null
        : export.getStatus().getRevocations().get(grantee);
    if (revokedAt != null && current != null && currentIat <= revokedAt) {
      current = null;
      currentHash = null;
    }
    boolean renewalDue = life != null && currentExp != null
        && !Instant.now().isBefore(Instant.ofEpochSecond(currentExp).minus(life.dividedBy(3)));
    if (renewalDue) {
      services.signed().forget(memoryKey);
    }
    SignedJwts.Signed signed = services.signed().ensure(memoryKey, hash, renewalDue ? null : currentHash, current,
        revokedAt == null ? currentIat : Math.max(currentIat, revokedAt),
        iat -> JwtEncoder.encode(life == null ? claims
            : new ActivationClaims(subject, grantee, subject, v.type(), accountKey, iat + life.toSeconds()), signer, iat));
    if (signed.fresh()) {
      services.metrics().jwtSigned("activation");
    }
    services.objects().applySecret(owner, new OwnedObjects.Desired(secretName, Map.of(Grants.TOKEN_KEY, signed.jwt()),
        Map.of(Grants.EXPORT_LABEL, v.name(), Grants.GRANTEE_LABEL, grantee), signed.hash(), true), found);
    var decoded = signed.jwt().equals(current) && currentDecoded != null ? currentDecoded
        : JwtDecoder.decodeIgnoringTime(signed.jwt());
    ActivationStatus a = new ActivationStatus();
    a.setPublicKey(grantee);
    a.setSubject(subject);
    a.setSecretName(secretName);
    a.setHashId(decoded.id());
    a.setExpiresAt(decoded.expires() == null ? null : Statuses.rfc3339(decoded.expires()));
    return a;
  }

  /** Activations are signed by the exporter's first plain signing key (strict signing forbids the identity key). */
  private static Optional<KeyPair> activationSigner(Account account, Secret keys) {
    for (SigningKeySpec k : SpecConversions.signingKeys(account.getSpec())) {
      if (k.getTemplate() == null) {
        return KeySecrets.read(keys, Names.signingEntry(k.getName())).map(KeyPair::fromSeed);
      }
    }
    return Optional.empty();
  }

  public DeleteControl cleanup(E export, Context<E> context) {
    services.forget(export);
    ExportStatus st = export.getStatus();
    if (st != null && st.getActivations() != null) {
      for (ActivationStatus a : st.getActivations()) {
        services.objects().deleteSecretIfOurs(Owner.of(export), a.getSecretName());
      }
    }
    return DeleteControl.defaultDelete();
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
