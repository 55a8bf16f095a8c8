package dev.nats.accounts.jwt;

/**
 * Latency tracking of a service export.
 *
 * @param sampling "1".."100" (percent, written as a JSON number) or "headers" (written as a string)
 * @param results literal subject the latency reports are published on
 */
public record ServiceLatency(String sampling, String results) {}
