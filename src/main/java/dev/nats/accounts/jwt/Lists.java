package dev.nats.accounts.jwt;

import java.util.List;
import java.util.Map;

/** Null-tolerant immutable copies, so records can treat "absent" and "empty" alike. */
final class Lists {
  private Lists() {}

  static <T> List<T> copy(List<T> l) {
    return l == null ? List.of() : List.copyOf(l);
  }

  static <K, V> Map<K, V> copy(Map<K, V> m) {
    return m == null ? Map.of() : Map.copyOf(m);
  }

  static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
