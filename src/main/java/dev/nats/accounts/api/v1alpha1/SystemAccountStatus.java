package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The system account an Operator created.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SystemAccountStatus {

  @JsonPropertyDescription("Public key of the system account.")
  private String publicKey;

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }
}
