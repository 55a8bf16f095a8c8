package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Status fields shared by ServiceExport and StreamExport.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ExportStatus extends BaseStatus {

  @JsonPropertyDescription("Public key of the exporting account.")
  private String accountPublicKey;

  @JsonPropertyDescription("Activation tokens issued, one per grant.")
  private List<ActivationStatus> activations;

  public String getAccountPublicKey() {
    return accountPublicKey;
  }

  public void setAccountPublicKey(String accountPublicKey) {
    this.accountPublicKey = accountPublicKey;
  }

  public List<ActivationStatus> getActivations() {
    return activations;
  }

  public void setActivations(List<ActivationStatus> activations) {
    this.activations = activations;
  }
}
