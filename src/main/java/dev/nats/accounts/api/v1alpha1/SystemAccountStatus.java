package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The system account an Operator created. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SystemAccountStatus {
  @JsonPropertyDescription("The signed JWT (public information).")
  private String jwt;

  @JsonPropertyDescription(
      "Hash of the signed claims without iat/jti, plus the signer; decides whether to re-sign.")
  private String claimsHash;

  @JsonPropertyDescription(
      "When the current JWT was issued (its iat); the next iat is strictly later.")
  private String issuedAt;

  @JsonPropertyDescription("Public key of the system account.")
  private String publicKey;

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public String getJwt() {
    return jwt;
  }

  public void setJwt(String jwt) {
    this.jwt = jwt;
  }

  public String getClaimsHash() {
    return claimsHash;
  }

  public void setClaimsHash(String claimsHash) {
    this.claimsHash = claimsHash;
  }

  public String getIssuedAt() {
    return issuedAt;
  }

  public void setIssuedAt(String issuedAt) {
    this.issuedAt = issuedAt;
  }
}
