package dev.nats.accounts.reconciler;

import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.nats.ResolverConnections;
import dev.nats.accounts.owned.OwnedObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What every reconciler shares; one instance per operator process. */
public record Services(
    KubernetesClient client,
    ReconcilerSettings settings,
    OperatorMetrics metrics,
    KeySecrets keys,
    OwnedObjects objects,
    ResolverConnections connections,
    StatusReporter status,
    PushTracker pushes,
    SignedJwts signed,
    IdentityRegistry identities,
    dev.nats.accounts.tokenurl.TokenFetcher tokens,
    Informers informers) {

  /**
   * Every store of per-resource state; a new one is added here, and every cleanup drops it through
   * {@link #forget}.
   */
  private List<ResourceMemory> memories() {
    return List.of(status, pushes, signed, identities);
  }

  /**
   * Ends a cleanup that let the resource go: its finalizer removed (see {@link Finalizers}), then
   * everything remembered about it dropped. A failed removal throws, and the memory stays with the
   * resource that stays.
   */
  public <R extends HasMetadata> DeleteControl released(R resource, Context<R> context) {
    DeleteControl done = Finalizers.release(resource, context);
    forget(resource);
    return done;
  }

  /** Drops everything remembered about a resource that is being deleted. */
  public void forget(HasMetadata resource) {
    memories().forEach(m -> m.forget(resource.getMetadata().getUid()));
  }

  /** The uids of the resources something is remembered about (for tests and diagnostics). */
  public Set<String> remembered() {
    Set<String> out = new HashSet<>();
    memories().forEach(m -> out.addAll(m.remembered()));
    return out;
  }
}
