package dev.nats.accounts.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Account's user revocations as its key Secret keeps them (entry {@value #ENTRY}). Status alone
 * forgets them when it is wiped, or when the Account is deleted and applied again while its keys
 * are retained; the key Secret goes and comes back with the identity, so the revocations go with
 * it. Revoking is one-way: merging keeps every key, with the later of two times (a later time
 * revokes more).
 */
public final class StoredRevocations {
  public static final String ENTRY = "revocations.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredRevocations() {}

  /**
   * The stored map; an entry that does not parse counts as empty (the status and users still hold
   * theirs).
   */
  public static Map<String, Long> parse(String json) {
    if (json == null || json.isBlank()) {
      return new TreeMap<>();
    }
    try {
      return new TreeMap<>(JSON.readValue(json, new TypeReference<Map<String, Long>>() {}));
    } catch (JsonProcessingException e) {
      return new TreeMap<>();
    }
  }

  public static String write(Map<String, Long> revocations) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(revocations));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every key of both, each at the later time. */
  public static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, Math::max));
    return out;
  }
}
