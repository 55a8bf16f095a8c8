package dev.nats.accounts.jwt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded map that drops its least recently used entry first, safe for the reconcilers' threads.
 * For results that cost far more to compute than to look up and that reconciles ask for again and
 * again (verified signatures, keys derived from seeds).
 */
final class Lru<K, V> {
  private final Map<K, V> entries;

  Lru(int capacity) {
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The kept value (marked used), or null. */
  V get(K key) {
    synchronized (entries) {
      return entries.get(key);
    }
  }

  void put(K key, V value) {
    synchronized (entries) {
      entries.put(key, value);
    }
  }

  /**
   * The kept value, else {@code compute}'s, kept. Computed outside the lock: two threads may both
   * compute one key, which costs time but never a wrong answer. A {@code compute} that throws keeps
   * nothing.
   */
  V computeIfAbsent(K key, Function<K, V> compute) {
    V kept = get(key);
    if (kept != null) {
      return kept;
    }
    V value = compute.apply(key);
    put(key, value);
    return value;
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
