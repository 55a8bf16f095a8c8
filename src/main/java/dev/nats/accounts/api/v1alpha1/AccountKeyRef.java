package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An account outside this cluster, identified by its public key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccountKeyRef {

  @JsonPropertyDescription("Account public key (A...).")
  @Required
  @Pattern(ApiPatterns.ACCOUNT_KEY)
  private String publicKey;

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }
}
