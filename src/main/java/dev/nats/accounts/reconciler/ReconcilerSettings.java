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
 */
public record ReconcilerSettings(
    Duration resyncInterval,
    Duration pushTimeout,
    Set<String> watchNamespaces,
    Set<String> operatorNamespaces) {
  public ReconcilerSettings(Duration resyncInterval, Duration pushTimeout) {
    this(resyncInterval, pushTimeout, Set.of(), Set.of());
  }

  /** Whether an Operator in namespace {@code ns} is reconciled by this process. */
  public boolean managesOperatorsIn(String ns) {
    return operatorNamespaces.isEmpty() || operatorNamespaces.contains(ns);
  }
}
