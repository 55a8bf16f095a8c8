package dev.nats.accounts.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * An Account's revocations as its key Secret keeps them: revoked user keys (entry {@value #ENTRY})
 * and, per export, the grantees whose grant was removed (entry {@value #EXPORTS_ENTRY}). Status
 * alone forgets them when it is wiped, or when the Account or the export is deleted and applied
 * again while the keys are retained; the key Secret goes and comes back with the identity, so the
 * revocations go with it. Revoking is one-way: merging keeps every key, with the later of two times
 * (a later time revokes more).
 */
public final class StoredRevocations {
  public static final String ENTRY = "revocations.json";
  public static final String EXPORTS_ENTRY = "export-revocations.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private StoredRevocations() {}

  /**
   * The stored map; an entry that does not parse counts as empty (the status and users still hold
   * theirs).
   */
  public static Map<String, Long> parse(String json) {
    return new TreeMap<>(read(json, new TypeReference<Map<String, Long>>() {}, TreeMap::new));
  }

  public static String write(Map<String, Long> revocations) {
    return writeJson(revocations);
  }

  /** Every key of both, each at the later time. */
  public static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, Math::max));
    return out;
  }

  /**
   * Removed grants per export: export type ({@code service}, {@code stream}) → export subject →
   * grantee account key → unix seconds. Keyed by what the account JWT identifies an export by, not
   * by the resource, so an export deleted and applied again (under any name) revokes the same
   * tokens; keyed by type too, because a service and a stream may export the same subject and
   * revoking on one must not revoke the other's tokens.
   */
  public record Exports(Map<String, Map<String, Map<String, Long>>> byType) {
    public Exports {
      Map<String, Map<String, Map<String, Long>>> copy = new TreeMap<>();
      // Hand-edited or partly restored entries may hold nulls and empty maps: neither revokes.
      byType.forEach(
          (type, bySubject) -> {
            Map<String, Map<String, Long>> subjects = new TreeMap<>();
            if (bySubject != null) {
              bySubject.forEach(
                  (subject, grantees) -> {
                    Map<String, Long> kept = new TreeMap<>();
                    if (grantees != null) {
                      grantees.forEach(
                          (k, t) -> {
                            if (k != null && t != null) {
                              kept.put(k, t);
                            }
                          });
                    }
                    if (subject != null && !kept.isEmpty()) {
                      subjects.put(subject, kept);
                    }
                  });
            }
            if (type != null && !subjects.isEmpty()) {
              copy.put(type, subjects);
            }
          });
      byType = copy;
    }

    public static final Exports NONE = new Exports(Map.of());

    /** The stored entry; one that does not parse counts as empty, like {@link #parse}. */
    public static Exports parse(String json) {
      return new Exports(
          read(
              json,
              new TypeReference<Map<String, Map<String, Map<String, Long>>>>() {},
              TreeMap::new));
    }

    public String write() {
      return writeJson(byType);
    }

    /** The grantees revoked on the export of this type and subject. */
    public Map<String, Long> of(String type, String subject) {
      if (type == null || subject == null) {
        return Map.of();
      }
      return byType.getOrDefault(type, Map.of()).getOrDefault(subject, Map.of());
    }

    /** These and {@code revocations} on one export, each grantee at the later time. */
    public Exports with(String type, String subject, Map<String, Long> revocations) {
      Map<String, Map<String, Map<String, Long>>> out = new TreeMap<>(byType);
      Map<String, Map<String, Long>> bySubject = new TreeMap<>(out.getOrDefault(type, Map.of()));
      bySubject.put(subject, StoredRevocations.merge(of(type, subject), revocations));
      out.put(type, bySubject);
      return new Exports(out);
    }

    /** Every export and grantee of both, each at the later time. */
    public Exports merge(Exports other) {
      Exports out = this;
      for (var type : other.byType.entrySet()) {
        for (var subject : type.getValue().entrySet()) {
          out = out.with(type.getKey(), subject.getKey(), subject.getValue());
        }
      }
      return out;
    }
  }

  private static <T> T read(String json, TypeReference<T> type, Supplier<T> empty) {
    if (json == null || json.isBlank()) {
      return empty.get();
    }
    try {
      T value = JSON.readValue(json, type);
      return value == null ? empty.get() : value;
    } catch (JsonProcessingException e) {
      return empty.get();
    }
  }

  private static String writeJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
