package dev.nats.accounts.reconciler.account;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.api.v1alpha1.SigningKeyStatus;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.SpecConversions;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Action;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Change;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Keys;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.Policy;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.State;
import dev.nats.accounts.reconciler.account.SigningKeyRotation.View;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies {@link SigningKeyRotation} to one Account: seeds and state into the key Secret (one
 * optimistic write per step, from a live read, so a lagging cache cannot undo a step), a KeyRotated
 * Event per step and the rotation metric. Writes nothing while no step is due.
 */
final class SigningKeyRotator {
  static final String METRIC_KIND = "account-signing-key";

  private final Services services;

  SigningKeyRotator(Services services) {
    this.services = services;
  }

  /**
   * The slots as they stand after this reconcile's step.
   *
   * @param specs the signing keys of the spec, by slot
   * @param keys the public keys per slot, as the Secret holds them now
   */
  record Slots(
      Map<String, SigningKeySpec> specs,
      Map<String, Policy> policies,
      State state,
      Map<String, Keys> keys) {
    boolean staged() {
      return keys.values().stream().anyMatch(k -> k.next() != null);
    }

    View view(String slot) {
      return SigningKeyRotation.view(
          slot, policies.get(slot), state.slots().get(slot), keys.get(slot));
    }

    /** The signing keys the account JWT trusts, every key of a slot with that slot's scope. */
    List<AccountClaimsBuilder.ResolvedSigningKey> resolved() {
      List<AccountClaimsBuilder.ResolvedSigningKey> out = new ArrayList<>();
      specs.forEach(
          (slot, spec) ->
              view(slot)
                  .jwtKeys()
                  .forEach(k -> out.add(new AccountClaimsBuilder.ResolvedSigningKey(spec, k))));
      return out;
    }

    List<SigningKeyStatus> statuses() {
      return specs.keySet().stream().map(s -> view(s).status()).toList();
    }

    Instant wakeAt() {
      Instant wake = null;
      for (String slot : specs.keySet()) {
        wake = SigningKeyRotation.earliest(wake, view(slot).wakeAt());
      }
      return wake;
    }
  }

  /** Policies per slot, in spec order; a bad one fails the reconcile naming its field. */
  static Map<String, Policy> policies(Account account) {
    Map<String, Policy> out = new LinkedHashMap<>();
    List<SigningKeySpec> specs = SpecConversions.signingKeys(account.getSpec());
    for (int i = 0; i < specs.size(); i++) {
      out.put(
          specs.get(i).getName(),
          Policy.of(specs.get(i).getRotation(), "spec.signingKeys[" + i + "]"));
    }
    return out;
  }

  /** Whether this Account's key Secret is worth a live read: it rotates, or may be asked to. */
  static boolean rotating(Account account, Optional<Secret> cached) {
    Map<String, String> ann = account.getMetadata().getAnnotations();
    boolean asked =
        ann != null
            && (ann.containsKey(SigningKeyRotation.REQUEST)
                || ann.containsKey(SigningKeyRotation.EMERGENCY));
    boolean scheduled =
        SpecConversions.signingKeys(account.getSpec()).stream()
            .anyMatch(k -> k.getRotation() != null);
    boolean stored =
        cached.flatMap(s -> KeySecrets.read(s, SigningKeyRotation.STATE_ENTRY)).isPresent();
    return asked || scheduled || stored;
  }

  /**
   * Plans this reconcile's step and writes it: new next keys (staged), emergency replacements, and
   * the state.
   *
   * @param secret the key Secret as just read (holding every current seed)
   * @param inUse public keys that still sign activation tokens: a previous key among them stays
   */
  Slots step(
      Account account,
      Map<String, Policy> policies,
      Secret secret,
      KeySecrets.Outcome keys,
      Set<String> inUse) {
    Map<String, SigningKeySpec> specs = specs(account);
    State stored =
        State.parse(KeySecrets.read(secret, SigningKeyRotation.STATE_ENTRY).orElse(null));
    Map<String, Keys> now = keysOf(secret, specs.keySet());
    SigningKeyRotation.Plan plan =
        SigningKeyRotation.plan(
            new SigningKeyRotation.Inputs(
                policies,
                account.getMetadata().getAnnotations(),
                stored,
                now,
                keys.created(),
                inUse,
                Instant.now()));
    if (plan.actions().isEmpty() && plan.state().equals(stored)) {
      announce(account, plan.changes(), Map.of());
      return new Slots(specs, policies, stored, now);
    }
    Map<String, String> put = new LinkedHashMap<>();
    Set<String> removed = new HashSet<>();
    Map<String, String> newKeys = new LinkedHashMap<>();
    plan.actions()
        .forEach(
            (slot, action) -> {
              KeyPair kp = KeyPair.create(KeyType.ACCOUNT);
              services.metrics().keyGenerated("account");
              newKeys.put(slot, kp.publicKey());
              if (action == Action.STAGE) {
                put.put(SigningKeyRotation.nextEntry(slot), kp.seed());
              } else {
                put.put(Names.signingEntry(slot), kp.seed());
                removed.add(SigningKeyRotation.nextEntry(slot));
              }
            });
    put.put(SigningKeyRotation.STATE_ENTRY, plan.state().write());
    Secret written = services.objects().changeSecret(Owner.of(account), secret, put, removed);
    announce(account, plan.changes(), newKeys);
    return new Slots(specs, policies, plan.state(), keysOf(written, specs.keySet()));
  }

  /**
   * Once the servers acknowledged the JWT holding the staged keys, each becomes its slot's signer
   * (its seed moves into {@code signing-<name>}, where Users and exports read it).
   */
  Slots switchStaged(Account account, Slots slots) {
    Secret fresh =
        services
            .objects()
            .readSecret(
                account.getMetadata().getNamespace(),
                Names.accountKeys(account.getMetadata().getName()))
            .orElseThrow(() -> new IllegalStateException("the key Secret is gone"));
    Map<String, Keys> there = keysOf(fresh, slots.specs().keySet());
    if (!there.equals(slots.keys())) {
      // Changed since this reconcile read it (by hand, or another writer): the JWT just pushed may
      // not hold what is staged there; the next reconcile starts from what it holds.
      return slots;
    }
    SigningKeyRotation.Switch sw =
        SigningKeyRotation.switchStaged(
            slots.state(), slots.policies(), slots.keys(), Instant.now());
    Map<String, String> put = new LinkedHashMap<>();
    Set<String> removed = new HashSet<>();
    Map<String, String> newKeys = new LinkedHashMap<>();
    for (Change c : sw.changes()) {
      String next = KeySecrets.read(fresh, SigningKeyRotation.nextEntry(c.slot())).orElseThrow();
      put.put(Names.signingEntry(c.slot()), next);
      removed.add(SigningKeyRotation.nextEntry(c.slot()));
      newKeys.put(c.slot(), slots.keys().get(c.slot()).next());
    }
    put.put(SigningKeyRotation.STATE_ENTRY, sw.state().write());
    Secret written = services.objects().changeSecret(Owner.of(account), fresh, put, removed);
    announce(account, sw.changes(), newKeys);
    return new Slots(
        slots.specs(), slots.policies(), sw.state(), keysOf(written, slots.specs().keySet()));
  }

  private void announce(Account account, List<Change> changes, Map<String, String> newKeys) {
    for (Change c : changes) {
      String key = newKeys.get(c.slot());
      String msg =
          "signing key "
              + c.slot()
              + ": "
              + (key == null ? "" : "key " + key + " ")
              + c.what()
              + (c.why() == null ? "" : " (" + c.why().label() + ")");
      services.status().events().normal(account, Reason.KEY_ROTATED, msg);
      if (c.counted()) {
        services.metrics().keyRotated(METRIC_KIND, c.why().label());
      }
    }
  }

  private static Map<String, SigningKeySpec> specs(Account account) {
    Map<String, SigningKeySpec> out = new LinkedHashMap<>();
    SpecConversions.signingKeys(account.getSpec()).forEach(k -> out.put(k.getName(), k));
    return out;
  }

  private static Map<String, Keys> keysOf(Secret secret, Set<String> slots) {
    Map<String, Keys> out = new LinkedHashMap<>();
    for (String slot : slots) {
      String current =
          KeySecrets.read(secret, Names.signingEntry(slot))
              .map(s -> KeyPair.fromSeed(s).publicKey())
              .orElseThrow(() -> new IllegalStateException("no seed for signing key " + slot));
      String next =
          KeySecrets.read(secret, SigningKeyRotation.nextEntry(slot))
              .map(s -> KeyPair.fromSeed(s, KeyType.ACCOUNT).publicKey())
              .orElse(null);
      out.put(slot, new Keys(current, next));
    }
    return out;
  }
}
