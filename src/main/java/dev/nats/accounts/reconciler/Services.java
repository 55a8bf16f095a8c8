package dev.nats.accounts.reconciler;

import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.nats.ResolverConnections;
import dev.nats.accounts.owned.OwnedObjects;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What every reconciler shares; one instance per operator process. */
public record Services(
    KubernetesClient client,
    OperatorSettings settings,
    OperatorMetrics metrics,
    KeySecrets keys,
    OwnedObjects objects,
    ResolverConnections connections,
    StatusReporter status,
    PushTracker pushes,
    SignedJwts signed) {}
