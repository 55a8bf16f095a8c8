package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Public key of one named account signing key, and where its rotation stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigningKeyStatus {

  @JsonPropertyDescription("Name from spec.signingKeys.")
  private String name;

  @JsonPropertyDescription("Public key of the signing key.")
  private String publicKey;

  @JsonPropertyDescription(
      "Where this key's rotation stands: Idle, Staged (the next key is in the account JWT, waiting for the servers to acknowledge it) or Overlap (the new key signs; the previous one stays in the JWT until previousKeyRemovedAt).")
  private String phase;

  @JsonPropertyDescription("Public key of the staged next key (phase Staged).")
  private String nextKey;

  @JsonPropertyDescription(
      "Public key of the replaced key still in the account JWT (phase Overlap).")
  private String previousKey;

  @JsonPropertyDescription("When the previous key leaves the account JWT, RFC 3339.")
  private String previousKeyRemovedAt;

  @JsonPropertyDescription(
      "When the current key started signing (or the schedule started counting), RFC 3339.")
  private String rotatedAt;

  @JsonPropertyDescription(
      "When the next scheduled rotation is due, RFC 3339; unset without rotation.every.")
  private String nextRotationAt;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
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
}
