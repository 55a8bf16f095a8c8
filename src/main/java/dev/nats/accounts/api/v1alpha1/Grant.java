package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Permission for one account to import a private export; each grant yields an activation token. */
@ValidationRule(
    value = "has(self.account) != has(self.publicKey)",
    message = "a grant names exactly one of account or publicKey")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Grant {

  @JsonPropertyDescription("An Account in this cluster.")
  private ObjectRef account;

  @JsonPropertyDescription("Public key of an account elsewhere.")
  @Pattern(ApiPatterns.ACCOUNT_KEY)
  private String publicKey;

  @JsonPropertyDescription(
      "Optional narrowing of the export subject; {{account}} is replaced by the grantee public key.")
  @Pattern(ApiPatterns.SUBJECT)
  @Size(max = 256)
  private String subject;

  @JsonPropertyDescription(
      "Lifetime of the activation token, Go duration (e.g. 8760h); renewed before expiry.")
  @Pattern(ApiPatterns.DURATION)
  private String expiresAfter;

  public ObjectRef getAccount() {
    return account;
  }

  public void setAccount(ObjectRef account) {
    this.account = account;
  }

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

  public String getExpiresAfter() {
    return expiresAfter;
  }

  public void setExpiresAfter(String expiresAfter) {
    this.expiresAfter = expiresAfter;
  }
}
