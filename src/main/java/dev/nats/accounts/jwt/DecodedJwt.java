package dev.nats.accounts.jwt;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JWT whose signature, issuer key type and (unless skipped) validity window have been checked.
 *
 * @param type {@code nats.type}: operator, account, user, activation, or "generic" when absent
 *     (delete request)
 * @param payload the full payload; treat as read-only
 * @param token the encoded JWT as given
 */
public record DecodedJwt(
    String issuer,
    String subject,
    long issuedAt,
    Long expires,
    String id,
    String type,
    String name,
    JsonNode payload,
    String token) {

  public OperatorClaims operator() {
    requireType("operator");
    return ClaimsReader.operator(this);
  }

  public AccountClaims account() {
    requireType("account");
    return ClaimsReader.account(this);
  }

  public UserClaims user() {
    requireType("user");
    return ClaimsReader.user(this);
  }

  public ActivationClaims activation() {
    requireType("activation");
    return ClaimsReader.activation(this);
  }

  /** A delete request (generic JWT with {@code nats.accounts}). */
  public DeleteRequest deleteRequest() {
    requireType("generic");
    return ClaimsReader.deleteRequest(this);
  }

  private void requireType(String expected) {
    if (!expected.equals(type)) {
      throw new JwtException("expected " + expected + " JWT but got " + type + " JWT");
    }
  }

  /** The token is long and not useful in logs. */
  @Override
  public String toString() {
    return "DecodedJwt[type="
        + type
        + ", iss="
        + issuer
        + ", sub="
        + subject
        + ", iat="
        + issuedAt
        + ", exp="
        + expires
        + ", jti="
        + id
        + "]";
  }
}
