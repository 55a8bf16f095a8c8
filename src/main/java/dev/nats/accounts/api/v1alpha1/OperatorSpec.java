package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Desired state of an Operator: the trust root of one NATS deployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OperatorSpec {

  @JsonPropertyDescription("JWT name; default metadata.name.")
  @Size(max = 256)
  private String displayName;

  @JsonPropertyDescription("Resolver endpoints the operator pushes to as the system user.")
  @Size(max = 64)
  private List<@Pattern(ApiPatterns.SERVER_URL) @Size(max = 2048) String> servers;

  @JsonPropertyDescription(
      "Number of operator signing keys to keep; accounts are signed with one of them.")
  @Min(1)
  @Max(16)
  @Default("1")
  private Integer signingKeys;

  @JsonPropertyDescription(
      "Rotation of the signing key that signs account JWTs (staged: the next key is trusted by"
          + " every server before it signs); unset: only on request (annotation"
          + " accounts.nats.dev/rotate).")
  private KeyRotation rotation;

  @JsonPropertyDescription("Which namespaces may hold Accounts under this operator; default all.")
  private AccountNamespaces accountNamespaces;

  @JsonPropertyDescription("Shapes the generated nats-server config.")
  private ResolverSpec resolver;

  @JsonPropertyDescription("Adopt an existing operator seed (key seed by default).")
  private SecretKeyRef identitySecretRef;

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public List<String> getServers() {
    return servers;
  }

  public void setServers(List<String> servers) {
    this.servers = servers;
  }

  public Integer getSigningKeys() {
    return signingKeys;
  }

  public void setSigningKeys(Integer signingKeys) {
    this.signingKeys = signingKeys;
  }

  public KeyRotation getRotation() {
    return rotation;
  }

  public void setRotation(KeyRotation rotation) {
    this.rotation = rotation;
  }

  public AccountNamespaces getAccountNamespaces() {
    return accountNamespaces;
  }

  public void setAccountNamespaces(AccountNamespaces accountNamespaces) {
    this.accountNamespaces = accountNamespaces;
  }

  public ResolverSpec getResolver() {
    return resolver;
  }

  public void setResolver(ResolverSpec resolver) {
    this.resolver = resolver;
  }

  public SecretKeyRef getIdentitySecretRef() {
    return identitySecretRef;
  }

  public void setIdentitySecretRef(SecretKeyRef identitySecretRef) {
    this.identitySecretRef = identitySecretRef;
  }
}
