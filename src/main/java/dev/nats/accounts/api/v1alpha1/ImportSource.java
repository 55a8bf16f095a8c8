package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where an import comes from: an export in this cluster, or an account elsewhere with its subject
 * and token.
 */
@ValidationRule(
    value = "has(self.exportRef) != has(self.account)",
    message = "from needs exactly one of exportRef or account")
@ValidationRule(
    value = "!has(self.account) || has(self.subject)",
    message = "from.subject is required with from.account")
@ValidationRule(
    value =
        "!has(self.exportRef) || (!has(self.subject) && !has(self.tokenSecretRef) && !has(self.tokenURL))",
    message =
        "from.subject, from.tokenSecretRef and from.tokenURL apply to from.account only; with exportRef use spec.subject")
@ValidationRule(
    value = "!(has(self.tokenSecretRef) && has(self.tokenURL))",
    message = "from needs at most one of tokenSecretRef or tokenURL")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImportSource {

  @JsonPropertyDescription(
      "An export in this cluster (same kind family as the import); namespace defaults to the import's.")
  private ObjectRef exportRef;

  @JsonPropertyDescription("An exporting account outside this cluster.")
  private AccountKeyRef account;

  @JsonPropertyDescription("The export subject of the external account (required with account).")
  @Pattern(ApiPatterns.SUBJECT)
  @Size(max = 256)
  private String subject;

  @JsonPropertyDescription(
      "Secret holding the activation token of a private external export (default key activation.jwt).")
  private SecretKeyRef tokenSecretRef;

  @JsonPropertyDescription(
      "URL serving the activation token of a private external export (e.g. another operator's"
          + " status.activations[].url); the operator fetches it, puts the token in the account JWT"
          + " and fetches it again for renewals.")
  @Pattern(ApiPatterns.URL)
  @Size(max = 2048)
  private String tokenURL;

  public ObjectRef getExportRef() {
    return exportRef;
  }

  public void setExportRef(ObjectRef exportRef) {
    this.exportRef = exportRef;
  }

  public AccountKeyRef getAccount() {
    return account;
  }

  public void setAccount(AccountKeyRef account) {
    this.account = account;
  }

  public String getSubject() {
    return subject;
  }

  public void setSubject(String subject) {
    this.subject = subject;
  }

  public SecretKeyRef getTokenSecretRef() {
    return tokenSecretRef;
  }

  public void setTokenSecretRef(SecretKeyRef tokenSecretRef) {
    this.tokenSecretRef = tokenSecretRef;
  }

  @JsonProperty("tokenURL")
  public String getTokenURL() {
    return tokenURL;
  }

  @JsonProperty("tokenURL")
  public void setTokenURL(String tokenURL) {
    this.tokenURL = tokenURL;
  }
}
