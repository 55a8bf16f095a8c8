package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Public key of one named account signing key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigningKeyStatus {

  @JsonPropertyDescription("Name from spec.signingKeys.")
  private String name;

  @JsonPropertyDescription("Public key of the signing key.")
  private String publicKey;

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
}
