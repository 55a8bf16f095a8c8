package dev.nats.accounts.reconciler;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;

/** Small helpers for status bookkeeping shared by the reconcilers. */
public final class Statuses {
  private Statuses() {}

  /** A deep copy through JSON, to compare the status before and after a reconcile. */
  public static <T> T copy(T value, Class<T> type) {
    if (value == null) {
      return null;
    }
    return Serialization.jsonMapper().convertValue(value, type);
  }

  /** The unix seconds of an RFC 3339 timestamp kept in status, 0 when absent. */
  public static long epochSeconds(String rfc3339) {
    return rfc3339 == null || rfc3339.isEmpty() ? 0 : Instant.parse(rfc3339).getEpochSecond();
  }

  public static String rfc3339(long epochSeconds) {
    return Instant.ofEpochSecond(epochSeconds).toString();
  }
}
