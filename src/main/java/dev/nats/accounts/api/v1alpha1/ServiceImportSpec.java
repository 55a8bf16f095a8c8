package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a ServiceImport. */
@ValidationRule(
    value = "self.accountRef == oldSelf.accountRef",
    message = "accountRef is immutable: create a new import instead")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceImportSpec extends ImportSpec {

  @JsonPropertyDescription("Share latency tracking data with the exporter.")
  private Boolean share;

  public Boolean getShare() {
    return share;
  }

  public void setShare(Boolean share) {
    this.share = share;
  }
}
