package dev.nats.accounts.jwt;

/** A daily connect window, {@code HH:MM:SS} each. */
public record TimeRange(String start, String end) {}
