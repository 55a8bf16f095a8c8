package dev.nats.accounts.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identities claimed in this process but perhaps not yet published in any status the caches
 * show. Two claimants of one seed reconciled at the same moment (on two of the reconcile threads)
 * both find no holder in the caches; the first to claim here holds it, and the second is refused
 * before it publishes, signs or pushes anything. One leader reconciles at a time, so one process's
 * view is enough; after a restart, published claims are in the caches again.
 */
public final class IdentityRegistry implements ResourceMemory {
  private final Map<String, HasMetadata> byIdentity = new ConcurrentHashMap<>();
  private final Map<String, String> identityByUid = new ConcurrentHashMap<>();

  /**
   * Claims {@code identity} for {@code claimant}, dropping any other identity it claimed before.
   *
   * @return the resource that claimed it first, when that is another one
   */
  public synchronized Optional<HasMetadata> claim(String identity, HasMetadata claimant) {
    String uid = claimant.getMetadata().getUid();
    String before = identityByUid.get(uid);
    if (before != null && !before.equals(identity)) {
      byIdentity.remove(before);
      identityByUid.remove(uid);
    }
    HasMetadata holder = byIdentity.putIfAbsent(identity, claimant);
    if (holder == null || uid.equals(holder.getMetadata().getUid())) {
      byIdentity.put(identity, claimant);
      identityByUid.put(uid, identity);
      return Optional.empty();
    }
    return Optional.of(holder);
  }

  @Override
  public synchronized void forget(String uid) {
    String identity = identityByUid.remove(uid);
    if (identity != null) {
      byIdentity.remove(identity);
    }
  }

  @Override
  public Set<String> remembered() {
    return Set.copyOf(identityByUid.keySet());
  }
}
