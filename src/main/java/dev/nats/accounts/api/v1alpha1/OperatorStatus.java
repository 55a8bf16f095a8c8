package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of an Operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OperatorStatus extends BaseStatus {
  @JsonPropertyDescription("The signed JWT (public information).")
  private String jwt;

  @JsonPropertyDescription(
      "Hash of the signed claims without iat/jti, plus the signer; decides whether to re-sign.")
  private String claimsHash;

  @JsonPropertyDescription(
      "When the current JWT was issued (its iat); the next iat is strictly later.")
  private String issuedAt;

  @JsonPropertyDescription("Operator identity public key (O...).")
  private String publicKey;

  @JsonPropertyDescription("Public keys of the operator signing keys.")
  private List<String> signingKeys;

  @JsonPropertyDescription(
      "The rotation of the signing key that signs account JWTs; absent before the first one.")
  private SigningKeyRotationStatus signingKeyRotation;

  @JsonPropertyDescription("The system account.")
  private SystemAccountStatus systemAccount;

  @JsonPropertyDescription("Resolver endpoints and their state.")
  private List<ServerStatus> servers;

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public List<String> getSigningKeys() {
    return signingKeys;
  }

  public void setSigningKeys(List<String> signingKeys) {
    this.signingKeys = signingKeys;
  }

  public SigningKeyRotationStatus getSigningKeyRotation() {
    return signingKeyRotation;
  }

  public void setSigningKeyRotation(SigningKeyRotationStatus signingKeyRotation) {
    this.signingKeyRotation = signingKeyRotation;
  }

  public SystemAccountStatus getSystemAccount() {
    return systemAccount;
  }

  public void setSystemAccount(SystemAccountStatus systemAccount) {
    this.systemAccount = systemAccount;
  }

  public List<ServerStatus> getServers() {
    return servers;
  }

  public void setServers(List<ServerStatus> servers) {
    this.servers = servers;
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
