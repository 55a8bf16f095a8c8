package dev.nats.accounts.reconciler;

import dev.nats.accounts.jwt.InvalidClaimsException;
import dev.nats.accounts.owned.ForeignObjectException;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.status.Redaction;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * An exception as the user sees it: a reason, a message naming the field or object to fix, and
 * whether trying again can help. A permanent failure (the spec is wrong) waits for a change instead
 * of being retried, so a bad spec costs one reconcile, not an endless loop of them.
 *
 * @param permanent true when only a change of a resource can fix it
 */
public record Failure(Reason reason, String message, boolean permanent) {

  public static Failure of(Exception e) {
    if (e instanceof InvalidSpecException s) {
      return new Failure(Reason.INVALID_SPEC, clean(s.getMessage()), true);
    }
    if (e instanceof InvalidClaimsException c) {
      return new Failure(
          Reason.INVALID_SPEC,
          clean("nothing was signed, the last good JWT stays in force: " + c.getMessage()),
          true);
    }
    if (e instanceof ForeignObjectException f) {
      // Not permanent: the foreign object may be removed, and no informer of ours would say so.
      return new Failure(Reason.SECRET_CONFLICT, clean(f.getMessage()), false);
    }
    if (e instanceof KubernetesClientException k) {
      String status =
          k.getStatus() == null || k.getStatus().getMessage() == null
              ? k.getMessage()
              : k.getStatus().getMessage();
      return new Failure(
          Reason.API_SERVER_ERROR,
          clean("the API server answered " + k.getCode() + ": " + status),
          false);
    }
    return new Failure(
        Reason.RECONCILE_ERROR, clean(e.getClass().getSimpleName() + ": " + e.getMessage()), false);
  }

  private static String clean(String message) {
    return Redaction.withoutSeeds(message);
  }
}
