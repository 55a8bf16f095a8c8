package dev.nats.accounts.logging;

/**
 * How log lines are written: for people at a terminal, or for a log pipeline (Loki, Elasticsearch).
 */
public enum LogFormat {
  /**
   * One readable line per event: time, level, logger, the resource being reconciled, message,
   * causes.
   */
  TEXT,
  /** One JSON object per line (logstash-logback-encoder); MDC entries become top-level fields. */
  JSON
}
