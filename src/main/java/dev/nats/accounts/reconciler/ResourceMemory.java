package dev.nats.accounts.reconciler;

import java.util.Set;

/**
 * In-memory state kept per resource (by uid). Every such store is one of these and is reached
 * through {@link Services#forget}, so a cleanup cannot forget one of them, and a test can see that
 * a deleted resource left nothing behind.
 */
public interface ResourceMemory {
  /** Drops everything remembered about the resource with this uid. */
  void forget(String uid);

  /** The uids something is remembered about. */
  Set<String> remembered();
}
