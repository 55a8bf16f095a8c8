package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a key's rotation stands: when it last happened, what is due next, the old key's fate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyRotationStatus {
  @JsonPropertyDescription("When the current key was issued (RFC 3339).")
  private String rotatedAt;

  @JsonPropertyDescription(
      "When the next scheduled rotation is due (RFC 3339); absent without spec.rotation.every.")
  private String nextRotationAt;

  @JsonPropertyDescription("The replaced key, still working until previousKeyRevokedAt.")
  private String previousKey;

  @JsonPropertyDescription("When the replaced key is revoked (RFC 3339).")
  private String previousKeyRevokedAt;

  @JsonPropertyDescription(
      "The value of annotation accounts.nats.dev/rotate last acted on; a new value rotates again.")
  private String handledRequest;

  @JsonPropertyDescription(
      "The value of annotation accounts.nats.dev/rotate-emergency last acted on.")
  private String handledEmergency;

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

  public String getPreviousKey() {
    return previousKey;
  }

  public void setPreviousKey(String previousKey) {
    this.previousKey = previousKey;
  }

  public String getPreviousKeyRevokedAt() {
    return previousKeyRevokedAt;
  }

  public void setPreviousKeyRevokedAt(String previousKeyRevokedAt) {
    this.previousKeyRevokedAt = previousKeyRevokedAt;
  }

  public String getHandledRequest() {
    return handledRequest;
  }

  public void setHandledRequest(String handledRequest) {
    this.handledRequest = handledRequest;
  }

  public String getHandledEmergency() {
    return handledEmergency;
  }

  public void setHandledEmergency(String handledEmergency) {
    this.handledEmergency = handledEmergency;
  }
}
