package dev.nats.accounts.jwt;

/**
 * JetStream limits of an account or one tier. JetStream is enabled iff mem or disk storage is
 * non-zero; -1 means unlimited.
 */
public record JetStreamLimits(
    long memStorage,
    long diskStorage,
    long streams,
    long consumer,
    long maxAckPending,
    long memMaxStreamBytes,
    long diskMaxStreamBytes,
    boolean maxBytesRequired) {
  /** JetStream off: all zero (the only value allowed next to tiered limits). */
  public static final JetStreamLimits DISABLED = new JetStreamLimits(0, 0, 0, 0, 0, 0, 0, false);

  /** JetStream on without limits. */
  public static final JetStreamLimits UNLIMITED =
      new JetStreamLimits(-1, -1, -1, -1, -1, 0, 0, false);

  public boolean isEnabled() {
    return memStorage != 0 || diskStorage != 0;
  }

  public boolean isZero() {
    return equals(DISABLED);
  }
}
