package dev.nats.accounts.jwt;

import java.time.Clock;

/**
 * Picks {@code iat} for a re-issued JWT. It must grow strictly per subject: resolvers' pack sync
 * keeps the JWT with the larger iat, so a second change within the same second would otherwise lose
 * the race on servers that missed the push.
 */
public final class IssuedAt {
  private IssuedAt() {}

  /** {@code max(nowSeconds, previousIat + 1)}; pass 0 when there is no previous JWT. */
  public static long next(long previousIat) {
    return next(previousIat, Clock.systemUTC());
  }

  public static long next(long previousIat, Clock clock) {
    long now = clock.millis() / 1000;
    return Math.max(now, previousIat + 1);
  }
}
