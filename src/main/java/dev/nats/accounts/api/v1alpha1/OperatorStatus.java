package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Observed state of an Operator.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OperatorStatus extends BaseStatus {

  @JsonPropertyDescription("Operator identity public key (O...).")
  private String publicKey;

  @JsonPropertyDescription("Public keys of the operator signing keys.")
  private List<String> signingKeys;

  @JsonPropertyDescription("The system account.")
  private SystemAccountStatus systemAccount;

  @JsonPropertyDescription("Resolver endpoints and their state.")
  private List<ServerStatus> servers;

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public List<String> getSigningKeys() {
    return signingKeys;
  }

  public void setSigningKeys(List<String> signingKeys) {
    this.signingKeys = signingKeys;
  }

  public SystemAccountStatus getSystemAccount() {
    return systemAccount;
  }

  public void setSystemAccount(SystemAccountStatus systemAccount) {
    this.systemAccount = systemAccount;
  }

  public List<ServerStatus> getServers() {
    return servers;
  }

  public void setServers(List<ServerStatus> servers) {
    this.servers = servers;
  }
}
