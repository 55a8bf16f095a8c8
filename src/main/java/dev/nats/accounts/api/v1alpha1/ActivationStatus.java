package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An activation token issued for one grant of a private export. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ActivationStatus {

  @JsonPropertyDescription("Public key of the grantee account.")
  private String publicKey;

  @JsonPropertyDescription("Subject the token grants.")
  private String subject;

  @JsonPropertyDescription("Secret holding activation.jwt.")
  private String secretName;

  @JsonPropertyDescription("The token's jti.")
  private String hashId;

  @JsonPropertyDescription("Expiry of the token (RFC 3339); absent when it does not expire.")
  private String expiresAt;

  @JsonPropertyDescription(
      "Where the operator serves this token (GET, /jwt/v1/activations/<hash id>); absent unless the"
          + " operator is run with ACTIVATION_URL_BASE.")
  private String url;

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public String getSubject() {
    return subject;
  }

  public void setSubject(String subject) {
    this.subject = subject;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getHashId() {
    return hashId;
  }

  public void setHashId(String hashId) {
    this.hashId = hashId;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }
}
