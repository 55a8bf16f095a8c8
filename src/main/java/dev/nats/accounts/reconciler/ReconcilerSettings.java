package dev.nats.accounts.reconciler;

import java.time.Duration;
import java.util.Set;

/**
 * What the reconcilers need to know about the process's configuration, and no more: the application
 * builds it from its own settings, so reconcilers never depend on how the process is configured
 * (environment, flags).
 *
 * @param resyncInterval how often every resource is reconciled even without events (drift repair)
 * @param pushTimeout how long to collect resolver replies after a push
 * @param watchNamespaces where the other kinds are reconciled; empty: all namespaces
 * @param operatorNamespaces the only namespaces whose Operators this process reconciles; empty: no
 *     such limit. An Account under an Operator elsewhere would otherwise wait for keys that never
 *     come.
 * @param activationUrlBase where this process serves activation tokens as others reach it (scheme,
 *     host, port; no path), for {@code status.activations[].url}; null: not served
 */
public record ReconcilerSettings(
    Duration resyncInterval,
    Duration pushTimeout,
    Set<String> watchNamespaces,
    Set<String> operatorNamespaces,
    String activationUrlBase) {
  /** The path under which activation tokens are served, as the old nats-account-server did. */
  public static final String ACTIVATIONS_PATH = "/jwt/v1/activations/";

  public ReconcilerSettings(Duration resyncInterval, Duration pushTimeout) {
    this(resyncInterval, pushTimeout, Set.of(), Set.of());
  }

  public ReconcilerSettings(
      Duration resyncInterval,
      Duration pushTimeout,
      Set<String> watchNamespaces,
      Set<String> operatorNamespaces) {
    this(resyncInterval, pushTimeout, watchNamespaces, operatorNamespaces, null);
  }

  /** Where the token with this hash ID is served; empty when tokens are not served. */
  public java.util.Optional<String> activationUrl(String hashId) {
    return activationUrlBase == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(activationUrlBase + ACTIVATIONS_PATH + hashId);
  }

  /** Whether an Operator in namespace {@code ns} is reconciled by this process. */
  public boolean managesOperatorsIn(String ns) {
    return operatorNamespaces.isEmpty() || operatorNamespaces.contains(ns);
  }
}
