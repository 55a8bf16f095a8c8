package dev.nats.accounts.jwt;

/** Per-user NATS limits. -1 = unlimited, 0 = zero (and omitted from JSON, as Go does). */
public record UserLimits(long subs, long data, long payload) {
  public static final UserLimits UNLIMITED = new UserLimits(-1, -1, -1);

  /** Nothing set: what a user issued by a scoped signing key must carry. */
  public static final UserLimits NONE = new UserLimits(0, 0, 0);

  public boolean isNone() {
    return subs == 0 && data == 0 && payload == 0;
  }
}
