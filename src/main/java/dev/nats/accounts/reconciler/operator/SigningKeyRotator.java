package dev.nats.accounts.reconciler.operator;

import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.SigningKeyRotationStatus;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.nats.ResolverConnections;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Accounts;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Observed;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Phase;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Plan;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Servers;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.State;
import dev.nats.accounts.reconciler.operator.OperatorKeyRotation.Step;
import dev.nats.accounts.reconciler.user.UserKeyRotation;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Applies {@link OperatorKeyRotation}'s plan for one Operator: gathers what the plan needs (the key
 * Secret's rotation entries, the servers' trust, the accounts' signers), moves keys between Secret
 * entries in one optimistic update, and tells about each step (Event, metric, status).
 */
final class SigningKeyRotator {
  static final String METRIC_KIND = "operator-signing-key";

  private final Services services;

  SigningKeyRotator(Services services) {
    this.services = services;
  }

  /**
   * What the rest of the reconcile uses.
   *
   * @param signer the key that signs account JWTs now
   * @param jwtKeys the slot's keys for the operator JWT (signer first)
   * @param wakeAt when the rotation wants a look again; null: no need
   */
  record Outcome(KeyPair signer, List<String> jwtKeys, Instant wakeAt) {}

  Outcome rotate(
      Operator op,
      Optional<Secret> keySecret,
      String identity,
      KeyPair current,
      boolean keysCreated,
      Supplier<Accounts> accounts) {
    UserKeyRotation.Policy policy = UserKeyRotation.Policy.of(spec(op).getRotation());
    Secret secret = keySecret.orElse(null);
    State last =
        secret == null
            ? null
            : KeySecrets.readRaw(secret, OperatorKeyRotation.STATE_ENTRY)
                .map(State::fromJson)
                .orElse(null);
    KeyPair next =
        secret == null
            ? null
            : KeySecrets.read(secret, OperatorKeyRotation.NEXT_ENTRY)
                .map(s -> KeyPair.fromSeed(s, KeyType.OPERATOR))
                .orElse(null);
    String nextPub = next == null ? null : next.publicKey();
    Servers servers = next == null ? null : servers(op, identity, nextPub);
    Accounts accs =
        last != null && !last.previousKeyRemoved() && last.previousKey() != null
            ? accounts.get()
            : null;
    Instant created =
        secret == null || secret.getMetadata().getCreationTimestamp() == null
            ? null
            : Instant.parse(secret.getMetadata().getCreationTimestamp());
    Observed seen =
        new Observed(
            current.publicKey(),
            nextPub,
            created,
            keysCreated,
            servers,
            accs,
            Names.serverConfig(op.getMetadata().getName()));
    Plan plan =
        OperatorKeyRotation.plan(
            policy, op.getMetadata().getAnnotations(), last, seen, Instant.now());

    KeyPair signer = current;
    KeyPair staged = next;
    if (secret != null && (plan.step() != Step.NONE || plan.stateChanged())) {
      Map<String, String> put = new HashMap<>();
      put.put(OperatorKeyRotation.STATE_ENTRY, plan.state().toJson());
      Set<String> remove = Set.of();
      switch (plan.step()) {
        case STAGE -> {
          staged = generate();
          put.put(OperatorKeyRotation.NEXT_ENTRY, staged.seed());
        }
        case SWITCH -> {
          signer = next;
          staged = null;
          put.put(OperatorKeyRotation.SLOT, next.seed());
          remove = Set.of(OperatorKeyRotation.NEXT_ENTRY);
        }
        case EMERGENCY -> {
          signer = generate();
          staged = null;
          put.put(OperatorKeyRotation.SLOT, signer.seed());
          remove = Set.of(OperatorKeyRotation.NEXT_ENTRY);
        }
        default -> {}
      }
      try {
        services.objects().changeSecret(Owner.of(op), secret, put, remove);
      } catch (KubernetesClientException e) {
        // Written by someone else since it was read (or the cache was behind our last write):
        // nothing moved; the next look starts from the Secret as it is.
        publish(op, policy, plan, current.publicKey(), nextPub, seen, last, true);
        return new Outcome(
            current,
            OperatorKeyRotation.jwtKeys(current.publicKey(), nextPub, last),
            Instant.now().plusSeconds(1));
      }
      tell(op, plan, signer.publicKey(), staged == null ? null : staged.publicKey(), current);
    }
    State state = secret == null ? last : plan.state();
    String stagedPub = staged == null ? null : staged.publicKey();
    publish(op, policy, plan, signer.publicKey(), stagedPub, seen, state, false);
    return new Outcome(
        signer, OperatorKeyRotation.jwtKeys(signer.publicKey(), stagedPub, state), plan.wakeAt());
  }

  private KeyPair generate() {
    services.metrics().keyGenerated("operator");
    return KeyPair.create(KeyType.OPERATOR);
  }

  /** Which answering servers list {@code next} among the signing keys of this operator. */
  private Servers servers(Operator op, String identity, String next) {
    int expected = spec(op).getServers() == null ? 0 : spec(op).getServers().size();
    if (expected == 0) {
      return new Servers(0, List.of(), List.of());
    }
    Optional<ResolverClient> client =
        services
            .connections()
            .get(OperatorReconciler.key(op))
            .flatMap(ResolverConnections.Entry::client);
    if (client.isEmpty()) {
      return null;
    }
    List<String> trusting = new ArrayList<>();
    List<String> not = new ArrayList<>();
    for (ResolverClient.ServerTrust t : client.get().trust(identity)) {
      (t.signingKeys().contains(next) ? trusting : not).add(t.server());
    }
    return new Servers(expected, trusting, not);
  }

  /** An Event for each step; a count for each new signer. */
  private void tell(Operator op, Plan plan, String signer, String staged, KeyPair replaced) {
    String restart = "restart the servers (e.g. kubectl rollout restart statefulset/nats -n nats)";
    String message =
        switch (plan.step()) {
          case STAGE ->
              plan.why()
                  + " rotation of the operator signing key: next key "
                  + staged
                  + " is in the operator JWT and ConfigMap "
                  + Names.serverConfig(op.getMetadata().getName())
                  + "; it signs accounts once every server trusts it: "
                  + restart;
          case SWITCH ->
              "operator signing key "
                  + signer
                  + " now signs accounts, replacing "
                  + replaced.publicKey()
                  + ", which stays in the operator JWT until "
                  + plan.state().previousKeyRemovedAt()
                  + " and every account is re-signed";
          case REMOVE_PREVIOUS ->
              "replaced operator signing key "
                  + plan.state().previousKey()
                  + " left the operator JWT; servers stop trusting it when they restart";
          case EMERGENCY ->
              "emergency rotation: operator signing key "
                  + signer
                  + " replaces "
                  + replaced.publicKey()
                  + " at once, which left the operator JWT; servers refuse the re-signed accounts"
                  + " until they trust the new key: "
                  + restart;
          case NONE -> null;
        };
    if (message != null) {
      services.status().events().normal(op, Reason.KEY_ROTATED, message);
    }
    if (plan.step() == Step.SWITCH || plan.step() == Step.EMERGENCY) {
      services.metrics().keyRotated(METRIC_KIND, plan.why());
    }
  }

  /** {@code status.signingKeyRotation}: absent while nothing was ever asked or scheduled. */
  private static void publish(
      Operator op,
      UserKeyRotation.Policy policy,
      Plan plan,
      String signer,
      String staged,
      Observed seen,
      State state,
      boolean conflict) {
    if (state == null && policy.every() == null) {
      op.getStatus().setSigningKeyRotation(null);
      return;
    }
    SigningKeyRotationStatus st = new SigningKeyRotationStatus();
    Phase phase =
        conflict ? OperatorKeyRotation.phase(state, staged != null, seen.accounts()) : plan.phase();
    st.setPhase(phase.label());
    st.setCurrentKey(signer);
    st.setNextKey(staged);
    if (state != null) {
      st.setPreviousKey(state.previousKey());
      st.setPreviousKeyRemovedAt(state.previousKeyRemovedAt());
      st.setRotatedAt(state.rotatedAt());
    }
    st.setNextRotationAt(plan.nextRotationAt() == null ? null : plan.nextRotationAt().toString());
    if (phase == Phase.STAGED && plan.step() == Step.NONE && seen.servers() != null) {
      st.setServersTrustingNextKey(seen.servers().count());
    }
    if ((phase == Phase.SWITCHED || phase == Phase.OVERLAP) && seen.accounts() != null) {
      st.setAccountsResigned(seen.accounts().count());
    }
    st.setWaitingFor(plan.step() == Step.NONE ? plan.waitingFor() : null);
    op.getStatus().setSigningKeyRotation(st);
  }

  private static dev.nats.accounts.api.v1alpha1.OperatorSpec spec(Operator op) {
    return op.getSpec() == null ? new dev.nats.accounts.api.v1alpha1.OperatorSpec() : op.getSpec();
  }
}
