package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/** Status fields shared by ServiceExport and StreamExport. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ExportStatus extends BaseStatus {
  @JsonPropertyDescription(
      "Grantees whose grant was removed, and when (unix seconds): activations issued up to then are revoked.")
  private Map<String, Long> revocations;

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

  public Map<String, Long> getRevocations() {
    return revocations;
  }

  public void setRevocations(Map<String, Long> revocations) {
    this.revocations = revocations;
  }
}
