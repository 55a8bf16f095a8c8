package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a ServiceExport: a service (request/reply) export of an account. */
@ValidationRule(
    value = "!has(self.grants) || size(self.grants) == 0 || (has(self.private) && self.private)",
    message = "grants need private: true (a public export needs no activation tokens)")
@ValidationRule(
    value =
        "!has(self.accountTokenPosition) || self.accountTokenPosition == 0 || self.subject.contains('*')",
    message = "accountTokenPosition needs a * token in subject")
@ValidationRule(
    value = "self.accountRef == oldSelf.accountRef",
    message = "accountRef is immutable: create a new export instead")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceExportSpec extends ExportSpec {

  @JsonPropertyDescription("Singleton (default), Stream or Chunked.")
  private ResponseType responseType;

  @JsonPropertyDescription("Maximum time to respond, Go duration (e.g. 2s).")
  @Pattern(ApiPatterns.DURATION)
  private String responseThreshold;

  @JsonPropertyDescription("Latency tracking.")
  private ServiceLatency latency;

  public ResponseType getResponseType() {
    return responseType;
  }

  public void setResponseType(ResponseType responseType) {
    this.responseType = responseType;
  }

  public String getResponseThreshold() {
    return responseThreshold;
  }

  public void setResponseThreshold(String responseThreshold) {
    this.responseThreshold = responseThreshold;
  }

  public ServiceLatency getLatency() {
    return latency;
  }

  public void setLatency(ServiceLatency latency) {
    this.latency = latency;
  }
}
