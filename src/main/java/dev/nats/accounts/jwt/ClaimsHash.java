package dev.nats.accounts.jwt;

/**
 * A stable content hash of claims: the JSON the encoder would write, minus iat, iss and jti. Lets a
 * reconciler decide "does the stored JWT still say what the spec says" without decoding and
 * comparing records, and without re-signing (which would bump iat and cause needless pushes). Equal
 * claims always hash equal because map keys, exports and imports are written in sorted order.
 */
public final class ClaimsHash {
  private ClaimsHash() {}

  public static String of(OperatorClaims c) {
    return hash(
        ClaimsJson.payload(0, null, c.name(), c.subject(), null, g -> ClaimsJson.operator(g, c)));
  }

  public static String of(AccountClaims c) {
    return hash(
        ClaimsJson.payload(
            0, null, c.name(), c.subject(), c.expires(), g -> ClaimsJson.account(g, c)));
  }

  public static String of(UserClaims c) {
    return hash(
        ClaimsJson.payload(
            0, null, c.name(), c.subject(), c.expires(), g -> ClaimsJson.user(g, c)));
  }

  public static String of(ActivationClaims c) {
    return hash(
        ClaimsJson.payload(
            0, null, c.name(), c.subject(), c.expires(), g -> ClaimsJson.activation(g, c)));
  }

  private static String hash(byte[] json) {
    return Hashing.sha512_256Base32(json, 0, json.length);
  }
}
