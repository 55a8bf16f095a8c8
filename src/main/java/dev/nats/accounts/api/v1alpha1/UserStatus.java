package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of a User. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserStatus extends BaseStatus {
  @JsonPropertyDescription(
      "User keys this User had before its creds were re-issued, and when (unix seconds); the Account revokes them.")
  private java.util.Map<String, Long> retiredKeys;

  @JsonPropertyDescription("Rotation of the user key: when, what is next, the replaced key.")
  private KeyRotationStatus rotation;

  @JsonPropertyDescription("User public key (U...).")
  private String publicKey;

  @JsonPropertyDescription("Public key of the account the user belongs to.")
  private String accountPublicKey;

  @JsonPropertyDescription("Secret holding user.creds, user.jwt and user.seed.")
  private String credsSecretName;

  @JsonPropertyDescription("iat of the current user JWT (RFC 3339).")
  private String issuedAt;

  @JsonPropertyDescription(
      "Expiry of the current user JWT (RFC 3339); absent when it does not expire.")
  private String expiresAt;

  @JsonPropertyDescription("Hash of the claims without iat and jti; decides whether to sign again.")
  private String claimsHash;

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public String getAccountPublicKey() {
    return accountPublicKey;
  }

  public void setAccountPublicKey(String accountPublicKey) {
    this.accountPublicKey = accountPublicKey;
  }

  public String getCredsSecretName() {
    return credsSecretName;
  }

  public void setCredsSecretName(String credsSecretName) {
    this.credsSecretName = credsSecretName;
  }

  public String getIssuedAt() {
    return issuedAt;
  }

  public void setIssuedAt(String issuedAt) {
    this.issuedAt = issuedAt;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getClaimsHash() {
    return claimsHash;
  }

  public void setClaimsHash(String claimsHash) {
    this.claimsHash = claimsHash;
  }

  public java.util.Map<String, Long> getRetiredKeys() {
    return retiredKeys;
  }

  public void setRetiredKeys(java.util.Map<String, Long> retiredKeys) {
    this.retiredKeys = retiredKeys;
  }

  public KeyRotationStatus getRotation() {
    return rotation;
  }

  public void setRotation(KeyRotationStatus rotation) {
    this.rotation = rotation;
  }
}
