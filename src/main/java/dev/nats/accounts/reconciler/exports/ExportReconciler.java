package dev.nats.accounts.reconciler.exports;

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
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.Owners;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.SignedJwts;
import dev.nats.accounts.reconciler.SpecConversions;
import dev.nats.accounts.reconciler.Statuses;
import dev.nats.accounts.reconciler.account.AccountClaimsBuilder;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.EventRecorder;
import dev.nats.accounts.status.Reasons;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
  public static final String BY_ACCOUNT = "byAccount";
  public static final String BY_GRANTEE = "byGrantee";

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
    primary.addIndexer(BY_ACCOUNT, e -> List.of(Names.ref(e.getMetadata().getNamespace(), accountName(e))));
    primary.addIndexer(BY_GRANTEE, e -> {
      List<String> keys = new ArrayList<>();
      if (e.getSpec() != null && e.getSpec().getGrants() != null) {
        for (Grant g : e.getSpec().getGrants()) {
          if (g.getAccount() != null) {
            keys.add(Names.ref(g.getAccount().getNamespace() == null ? e.getMetadata().getNamespace() : g.getAccount().getNamespace(),
                g.getAccount().getName()));
          }
        }
      }
      return keys;
    });
    String prefix = type.getSimpleName().toLowerCase();
    accounts = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Account.class, type)
            .withName(prefix + "-accounts")
            .withSecondaryToPrimaryMapper(a -> {
              Set<ResourceID> ids = new HashSet<>();
              primary.byIndex(BY_ACCOUNT, Names.ref(a)).forEach(e -> ids.add(ResourceID.fromResource(e)));
              primary.byIndex(BY_GRANTEE, Names.ref(a)).forEach(e -> ids.add(ResourceID.fromResource(e)));
              return ids;
            })
            .build(),
        context);
    secrets = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Secret.class, type)
            .withName(prefix + "-secrets")
            .withLabelSelector(KeySecrets.MANAGED_SELECTOR)
            .withSecondaryToPrimaryMapper(s -> {
              String owner = KeySecrets.ownerOf(s);
              if (owner == null) {
                return Set.of();
              }
              String kind = KeySecrets.ownerKindOf(s);
              if (kind.equals(type.getSimpleName())) {
                return Set.of(new ResourceID(owner, s.getMetadata().getNamespace()));
              }
              if (kind.equals("Account")) {
                Set<ResourceID> ids = new HashSet<>();
                primary.byIndex(BY_ACCOUNT, Names.ref(s.getMetadata().getNamespace(), owner)).forEach(e -> ids.add(ResourceID.fromResource(e)));
                return ids;
              }
              return Set.of();
            })
            .build(),
        context);
    return List.of(accounts, secrets);
  }

  private static String accountName(CustomResource<? extends ExportSpec, ?> e) {
    return e.getSpec() == null || e.getSpec().getAccountRef() == null ? "" : e.getSpec().getAccountRef().getName();
  }

  @SuppressWarnings("unchecked")
  public UpdateControl<E> reconcile(E export, Context<E> context) {
    ExportStatus previous = export.getStatus() == null ? null : Statuses.copy(export.getStatus(), (Class<ExportStatus>) export.getStatus().getClass());
    ExportStatus st = export.getStatus() == null ? newStatus.get() : export.getStatus();
    setStatus(export, st);
    ExportView v = view.apply(export);
    String ns = v.namespace();
    long gen = export.getMetadata().getGeneration() == null ? 0 : export.getMetadata().getGeneration();

    Account account = accounts.get(new ResourceID(v.accountName(), ns)).orElse(null);
    if (account == null) {
      return finish(export, previous, st, gen, Conditions.FALSE, Reasons.ACCOUNT_NOT_FOUND,
          "spec.accountRef: Account " + Names.ref(ns, v.accountName()) + " not found", true, Duration.ofSeconds(60));
    }
    String accountKey = account.getStatus() == null ? null : account.getStatus().getPublicKey();
    Optional<Secret> keys = secrets.get(new ResourceID(Names.accountKeys(v.accountName()), ns));
    if (accountKey == null || keys.isEmpty()) {
      return finish(export, previous, st, gen, Conditions.UNKNOWN, Reasons.PENDING,
          "waiting for Account " + Names.ref(ns, v.accountName()) + " keys", false, Duration.ofSeconds(5));
    }
    st.setAccountPublicKey(accountKey);

    // Which grantees, with which subjects.
    List<String> failures = new ArrayList<>();
    String failureReason = null;
    Map<String, ActivationStatus> activations = new LinkedHashMap<>();
    Duration next = services.settings().resyncInterval();
    if (v.isPrivate() && v.spec().getGrants() != null && !v.spec().getGrants().isEmpty()) {
      Optional<KeyPair> signer = activationSigner(account, keys.get());
      if (signer.isEmpty()) {
        return finish(export, previous, st, gen, Conditions.FALSE, Reasons.SIGNING_KEY_NOT_FOUND,
            "Account " + v.accountName() + " has no plain (unscoped) signing key to sign activation tokens", true, Duration.ofMinutes(1));
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
            failureReason = failureReason == null ? (ga == null ? Reasons.ACCOUNT_NOT_FOUND : Reasons.PENDING) : failureReason;
            continue;
          }
          grantee = ga.getStatus().getPublicKey();
        }
        String subject = Grants.subject(g, v.spec().getSubject(), grantee);
        if (!Subjects.isValid(subject) || !Subjects.contains(v.spec().getSubject(), subject)) {
          failures.add("grants[" + i + "].subject: '" + subject + "' is not within spec.subject '" + v.spec().getSubject() + "'");
          failureReason = failureReason == null ? Reasons.SUBJECT_NOT_IN_EXPORT : failureReason;
          continue;
        }
        ActivationStatus a = mint(export, v, g, grantee, subject, signer.get(), accountKey);
        activations.put(grantee, a);
        if (a.getExpiresAt() != null) {
          Duration life = SpecConversions.duration(g.getExpiresAfter(), "grants[" + i + "].expiresAfter");
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
          services.client().secrets().inNamespace(ns).withName(old.getSecretName()).delete();
          revocations.put(old.getPublicKey(), Instant.now().getEpochSecond());
          services.events().normal(export, "GrantRevoked", "revoked the activation of " + old.getPublicKey());
        }
      }
    }
    st.setActivations(activations.isEmpty() ? null : new ArrayList<>(activations.values()));
    st.setRevocations(revocations.isEmpty() ? null : revocations);

    // Overlap with another export of the same account leaves this one out of the JWT.
    List<ExportView> siblings = primary.byIndex(BY_ACCOUNT, Names.ref(ns, v.accountName())).stream().map(view).toList();
    Optional<ExportClaims.Excluded> excluded = ExportClaims.select(new ArrayList<>(siblingsOf(siblings, v))).excluded().stream()
        .filter(x -> x.export().name().equals(v.name()) && x.export().type() == v.type()).findFirst();
    if (excluded.isPresent()) {
      return finish(export, previous, st, gen, Conditions.FALSE, excluded.get().reason(), excluded.get().message(), true, next);
    }
    if (!failures.isEmpty()) {
      return finish(export, previous, st, gen, Conditions.FALSE, failureReason, String.join("; ", failures), true,
          Duration.ofSeconds(30).compareTo(next) < 0 ? Duration.ofSeconds(30) : next);
    }
    boolean inJwt = account.getStatus().getExports() != null && account.getStatus().getExports().stream()
        .anyMatch(s -> (v.kind() + " " + v.ref()).equals(s.getFrom()));
    if (!inJwt || !Conditions.isTrue(account.getStatus().getConditions(), Reasons.PUSHED)) {
      return finish(export, previous, st, gen, Conditions.UNKNOWN, Reasons.PENDING,
          "waiting for Account " + v.accountName() + " to carry this export and be pushed", false, Duration.ofSeconds(5));
    }
    return finish(export, previous, st, gen, Conditions.TRUE, Reasons.RECONCILED, "", false, next);
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

  private ActivationStatus mint(E export, ExportView v, Grant g, String grantee, String subject, KeyPair signer, String accountKey) {
    String secretName = Grants.secretName(v.name(), grantee);
    Secret existing = secrets.get(new ResourceID(secretName, v.namespace())).orElse(null);
    String current = existing == null ? null : KeySecrets.read(existing, Grants.TOKEN_KEY).orElse(null);
    Duration life = g.getExpiresAfter() == null ? null : SpecConversions.duration(g.getExpiresAfter(), "grants.expiresAfter");
    ActivationClaims claims = new ActivationClaims(subject, grantee, subject, v.type(), accountKey, null);
    String hash = ClaimsHash.of(claims) + ":" + signer.publicKey() + ":" + g.getExpiresAfter();
    String memoryKey = v.uid() + "/" + grantee;
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
        currentHash = existing.getMetadata().getAnnotations() == null ? null
            : existing.getMetadata().getAnnotations().get(ClaimsAnnotation.KEY);
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
    if (!signed.jwt().equals(current)) {
      if (signed.fresh()) {
        services.metrics().jwtSigned("activation");
      }
      Secret s = new SecretBuilder()
          .withNewMetadata()
          .withName(secretName)
          .withNamespace(v.namespace())
          .withLabels(KeySecrets.withManagedLabel(Map.of(KeySecrets.KIND_LABEL, type.getSimpleName(), KeySecrets.OWNER_LABEL, v.name(),
              Grants.EXPORT_LABEL, v.name(), Grants.GRANTEE_LABEL, grantee)))
          .withAnnotations(Map.of(ClaimsAnnotation.KEY, signed.hash(), KeySecrets.OWNER_ANNOTATION, v.name()))
          .withOwnerReferences(Owners.controller(export))
          .endMetadata()
          .withType("Opaque")
          .withData(Map.of(Grants.TOKEN_KEY, Base64.getEncoder().encodeToString(signed.jwt().getBytes(StandardCharsets.UTF_8))))
          .build();
      if (existing == null) {
        services.client().secrets().inNamespace(v.namespace()).resource(s).create();
      } else {
        s.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        services.client().secrets().inNamespace(v.namespace()).resource(s).update();
      }
    }
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
    for (SigningKeySpec k : AccountClaimsBuilder.signingKeySpecs(account.getSpec())) {
      if (k.getTemplate() == null) {
        return KeySecrets.read(keys, Names.signingEntry(k.getName())).map(KeyPair::fromSeed);
      }
    }
    return Optional.empty();
  }

  public DeleteControl cleanup(E export, Context<E> context) {
    services.events().forget(export);
    services.statuses().forget(export);
    ExportStatus st = export.getStatus();
    if (st != null && st.getActivations() != null) {
      for (ActivationStatus a : st.getActivations()) {
        services.client().secrets().inNamespace(export.getMetadata().getNamespace()).withName(a.getSecretName()).delete();
        services.signed().forget(export.getMetadata().getUid() + "/" + a.getPublicKey());
      }
    }
    return DeleteControl.defaultDelete();
  }

  private UpdateControl<E> finish(E export, ExportStatus previous, ExportStatus st, long gen, String ready, String reason,
      String message, boolean warn, Duration next) {
    st.setConditions(services.conditions().set(st.getConditions(), Reasons.READY, ready, reason, message, gen));
    st.setObservedGeneration(gen);
    if (warn) {
      services.events().recordOnChange(export, EventRecorder.WARNING, reason, message);
    }
    UpdateControl<E> c = services.statuses().write(export, previous);
    return c.rescheduleAfter(next);
  }

  protected abstract void setStatus(E export, ExportStatus status);

  /** The annotation recording which claims an activation Secret's token was signed for. */
  static final class ClaimsAnnotation {
    static final String KEY = "accounts.nats.dev/claims-hash";

    private ClaimsAnnotation() {}
  }
}
