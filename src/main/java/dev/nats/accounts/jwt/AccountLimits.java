package dev.nats.accounts.jwt;

import java.util.Map;

/**
 * Operator-imposed account limits. Always written in full: the server reads an absent field as 0,
 * and 0 connections means nobody can connect, so "unlimited" must be an explicit -1.
 *
 * @param jetStream flat JetStream limits; null is read as {@link JetStreamLimits#DISABLED}
 * @param tiered per-tier limits keyed "R1", "R3"...; mutually exclusive with enabled flat limits
 */
public record AccountLimits(
    long subs,
    long data,
    long payload,
    long imports,
    long exports,
    boolean wildcards,
    boolean disallowBearer,
    long conn,
    long leaf,
    JetStreamLimits jetStream,
    Map<String, JetStreamLimits> tiered) {
  public static final AccountLimits UNLIMITED =
      new AccountLimits(
          -1, -1, -1, -1, -1, true, false, -1, -1, JetStreamLimits.DISABLED, Map.of());

  public AccountLimits {
    jetStream = jetStream == null ? JetStreamLimits.DISABLED : jetStream;
    tiered = Lists.copy(tiered);
  }

  public AccountLimits withJetStream(JetStreamLimits v) {
    return new AccountLimits(
        subs, data, payload, imports, exports, wildcards, disallowBearer, conn, leaf, v, tiered);
  }

  public AccountLimits withTiered(Map<String, JetStreamLimits> v) {
    return new AccountLimits(
        subs, data, payload, imports, exports, wildcards, disallowBearer, conn, leaf, jetStream, v);
  }
}
