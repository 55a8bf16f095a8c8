package dev.nats.accounts.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.Objects;

/** Small helpers for status bookkeeping shared by the reconcilers. */
public final class Statuses {
  private Statuses() {}

  /** Status equality by JSON, so a resync that changes nothing writes nothing. */
  public static boolean sameJson(Object a, Object b) {
    try {
      return Objects.equals(
          Serialization.jsonMapper().writeValueAsString(a), Serialization.jsonMapper().writeValueAsString(b));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

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
