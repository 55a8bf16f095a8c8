package dev.nats.accounts.jwt;

import java.time.Duration;

/**
 * Allows publishing {@code max} replies within {@code ttl} (ttl written as nanoseconds; null = 0).
 */
public record ResponsePermission(int max, Duration ttl) {}
