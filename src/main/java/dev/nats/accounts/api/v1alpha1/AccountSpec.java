package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of an Account. */
@ValidationRule(
    value =
        "!has(self.signingKeys) || self.signingKeys.all(k, self.signingKeys.exists_one(j, j.name == k.name))",
    message = "signingKeys names must be unique")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccountSpec {

  @JsonPropertyDescription("The Operator; may be omitted when exactly one Operator exists.")
  private ObjectRef operatorRef;

  @JsonPropertyDescription("JWT name; default metadata.name.")
  @Size(max = 256)
  private String displayName;

  @JsonPropertyDescription("Free text description, copied into the JWT.")
  @Size(max = 8192)
  private String description;

  @JsonPropertyDescription("Link to more information, copied into the JWT.")
  @Pattern(ApiPatterns.URL)
  @Size(max = 2048)
  private String infoURL;

  @JsonPropertyDescription("Tags copied into the JWT.")
  @Size(max = 64)
  private List<@Size(max = 256) String> tags;

  @JsonPropertyDescription("Limits; unlimited by default, JetStream off unless set.")
  private AccountLimits limits;

  @JsonPropertyDescription("Permissions of users whose JWT carries none.")
  private Permissions defaultPermissions;

  @JsonPropertyDescription("Account signing keys; users are signed with one (default: the first).")
  @Size(max = 16)
  private List<SigningKeySpec> signingKeys;

  @JsonPropertyDescription("Adopt an existing account seed (key seed by default).")
  private SecretKeyRef identitySecretRef;

  @JsonPropertyDescription(
      "Retain (default) or Delete the keys and the resolver copy when the Account is deleted.")
  @Default("Retain")
  private DeletionPolicy deletionPolicy;

  public ObjectRef getOperatorRef() {
    return operatorRef;
  }

  public void setOperatorRef(ObjectRef operatorRef) {
    this.operatorRef = operatorRef;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public String getInfoURL() {
    return infoURL;
  }

  public void setInfoURL(String infoURL) {
    this.infoURL = infoURL;
  }

  public List<String> getTags() {
    return tags;
  }

  public void setTags(List<String> tags) {
    this.tags = tags;
  }

  public AccountLimits getLimits() {
    return limits;
  }

  public void setLimits(AccountLimits limits) {
    this.limits = limits;
  }

  public Permissions getDefaultPermissions() {
    return defaultPermissions;
  }

  public void setDefaultPermissions(Permissions defaultPermissions) {
    this.defaultPermissions = defaultPermissions;
  }

  public List<SigningKeySpec> getSigningKeys() {
    return signingKeys;
  }

  public void setSigningKeys(List<SigningKeySpec> signingKeys) {
    this.signingKeys = signingKeys;
  }

  public SecretKeyRef getIdentitySecretRef() {
    return identitySecretRef;
  }

  public void setIdentitySecretRef(SecretKeyRef identitySecretRef) {
    this.identitySecretRef = identitySecretRef;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
