package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Where the rotation of the operator signing key that signs account JWTs stands. Shown, not relied
 * on: the state that must survive lives in the key Secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigningKeyRotationStatus {
  @JsonPropertyDescription(
      "Idle; Staged (next key in the operator JWT, waiting for every server to trust it);"
          + " Switched (next key signs, accounts being re-signed); Overlap (replaced key still in"
          + " the operator JWT until previousKeyRemovedAt).")
  private String phase;

  @JsonPropertyDescription("The key that signs account JWTs.")
  private String currentKey;

  @JsonPropertyDescription("The staged key (phase Staged).")
  private String nextKey;

  @JsonPropertyDescription("The replaced key.")
  private String previousKey;

  @JsonPropertyDescription(
      "When the replaced key leaves (or left) the operator JWT (RFC 3339); servers stop trusting it"
          + " when they restart after that.")
  private String previousKeyRemovedAt;

  @JsonPropertyDescription("When the current key became the signer (RFC 3339).")
  private String rotatedAt;

  @JsonPropertyDescription(
      "When the next scheduled rotation is due (RFC 3339); absent without spec.rotation.every.")
  private String nextRotationAt;

  @JsonPropertyDescription(
      "Servers whose operator JWT lists the next key, of those expected (phase Staged), e.g. 1/3.")
  private String serversTrustingNextKey;

  @JsonPropertyDescription(
      "Accounts signed by the current key and pushed, of all with a JWT (phases Switched, Overlap).")
  private String accountsResigned;

  @JsonPropertyDescription("What the phase waits for, and how to end the wait.")
  private String waitingFor;

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getCurrentKey() {
    return currentKey;
  }

  public void setCurrentKey(String currentKey) {
    this.currentKey = currentKey;
  }

  public String getNextKey() {
    return nextKey;
  }

  public void setNextKey(String nextKey) {
    this.nextKey = nextKey;
  }

  public String getPreviousKey() {
    return previousKey;
  }

  public void setPreviousKey(String previousKey) {
    this.previousKey = previousKey;
  }

  public String getPreviousKeyRemovedAt() {
    return previousKeyRemovedAt;
  }

  public void setPreviousKeyRemovedAt(String previousKeyRemovedAt) {
    this.previousKeyRemovedAt = previousKeyRemovedAt;
  }

  public String getRotatedAt() {
    return rotatedAt;
  }

  public void setRotatedAt(String rotatedAt) {
    this.rotatedAt = rotatedAt;
  }

  public String getNextRotationAt() {
    return nextRotationAt;
  }

  public void setNextRotationAt(String nextRotationAt) {
    this.nextRotationAt = nextRotationAt;
  }

  public String getServersTrustingNextKey() {
    return serversTrustingNextKey;
  }

  public void setServersTrustingNextKey(String serversTrustingNextKey) {
    this.serversTrustingNextKey = serversTrustingNextKey;
  }

  public String getAccountsResigned() {
    return accountsResigned;
  }

  public void setAccountsResigned(String accountsResigned) {
    this.accountsResigned = accountsResigned;
  }

  public String getWaitingFor() {
    return waitingFor;
  }

  public void setWaitingFor(String waitingFor) {
    this.waitingFor = waitingFor;
  }
}
