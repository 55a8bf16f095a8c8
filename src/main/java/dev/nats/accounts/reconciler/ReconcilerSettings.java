package dev.nats.accounts.reconciler;

import java.time.Duration;

/**
 * What the reconcilers need to know about the process's configuration, and no more: the application
 * builds it from its own settings, so reconcilers never depend on how the process is configured
 * (environment, flags).
 *
 * @param resyncInterval how often every resource is reconciled even without events (drift repair)
 * @param pushTimeout how long to collect resolver replies after a push
 */
public record ReconcilerSettings(Duration resyncInterval, Duration pushTimeout) {}
