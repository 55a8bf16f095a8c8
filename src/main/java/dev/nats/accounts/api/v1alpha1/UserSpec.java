package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a User: a user key, its JWT and a creds Secret. */
@ValidationRule(
    value = "!has(self.renewBefore) || has(self.expiresAfter)",
    message = "renewBefore needs expiresAfter")
@ValidationRule(
    value = "self.accountRef == oldSelf.accountRef",
    message = "accountRef is immutable: create a new User instead")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserSpec {

  @JsonPropertyDescription("The Account in the same namespace; immutable.")
  @Required
  private LocalObjectRef accountRef;

  @JsonPropertyDescription("JWT name; default metadata.name.")
  @Size(max = 256)
  private String displayName;

  @JsonPropertyDescription("Which account signing key signs the user; default the first.")
  @Pattern(ApiPatterns.DNS_LABEL)
  @Size(max = 63)
  private String signingKey;

  @JsonPropertyDescription("Permissions; default the account default permissions.")
  private Permissions permissions;

  @JsonPropertyDescription("Per-user limits; default unlimited.")
  private UserLimits limits;

  @JsonPropertyDescription("Allowed connection types; default all.")
  @Size(max = 8)
  private List<ConnectionType> connectionTypes;

  @JsonPropertyDescription("Allowed client networks as CIDRs.")
  @Size(max = 64)
  private List<@Pattern(ApiPatterns.CIDR) @Size(max = 64) String> sourceNetworks;

  @JsonPropertyDescription("The user needs no nonce signature (bearer token).")
  private Boolean bearerToken;

  @JsonPropertyDescription(
      "Lifetime of the user JWT, Go duration (e.g. 720h); renewed before it expires.")
  @Pattern(ApiPatterns.DURATION)
  private String expiresAfter;

  @JsonPropertyDescription(
      "How long before expiry the creds are renewed; default a third of expiresAfter.")
  @Pattern(ApiPatterns.DURATION)
  private String renewBefore;

  @JsonPropertyDescription(
      "Replace the user key on a schedule or on request; the old key is revoked after the overlap.")
  private KeyRotation rotation;

  @JsonPropertyDescription("Name of the creds Secret; default <name>-creds.")
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @Size(max = 253)
  private String credsSecretName;

  public LocalObjectRef getAccountRef() {
    return accountRef;
  }

  public void setAccountRef(LocalObjectRef accountRef) {
    this.accountRef = accountRef;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getSigningKey() {
    return signingKey;
  }

  public void setSigningKey(String signingKey) {
    this.signingKey = signingKey;
  }

  public Permissions getPermissions() {
    return permissions;
  }

  public void setPermissions(Permissions permissions) {
    this.permissions = permissions;
  }

  public UserLimits getLimits() {
    return limits;
  }

  public void setLimits(UserLimits limits) {
    this.limits = limits;
  }

  public List<ConnectionType> getConnectionTypes() {
    return connectionTypes;
  }

  public void setConnectionTypes(List<ConnectionType> connectionTypes) {
    this.connectionTypes = connectionTypes;
  }

  public List<String> getSourceNetworks() {
    return sourceNetworks;
  }

  public void setSourceNetworks(List<String> sourceNetworks) {
    this.sourceNetworks = sourceNetworks;
  }

  public Boolean getBearerToken() {
    return bearerToken;
  }

  public void setBearerToken(Boolean bearerToken) {
    this.bearerToken = bearerToken;
  }

  public String getExpiresAfter() {
    return expiresAfter;
  }

  public void setExpiresAfter(String expiresAfter) {
    this.expiresAfter = expiresAfter;
  }

  public String getRenewBefore() {
    return renewBefore;
  }

  public void setRenewBefore(String renewBefore) {
    this.renewBefore = renewBefore;
  }

  public String getCredsSecretName() {
    return credsSecretName;
  }

  public void setCredsSecretName(String credsSecretName) {
    this.credsSecretName = credsSecretName;
  }

  public KeyRotation getRotation() {
    return rotation;
  }

  public void setRotation(KeyRotation rotation) {
    this.rotation = rotation;
  }
}
