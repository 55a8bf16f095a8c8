package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Service latency tracking of a service export. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceLatency {

  @JsonPropertyDescription(
      "Sampling percentage 1..100, or \"headers\" to sample requests that carry tracing headers.")
  @Required
  @ValidationRule(
      value = ApiPatterns.SAMPLING_RULE,
      message = "sampling must be 1..100 or \"headers\"")
  private IntOrString sampling;

  @JsonPropertyDescription("Literal subject the latency results are published to.")
  @Required
  @Pattern(ApiPatterns.LITERAL_SUBJECT)
  @Size(max = 256)
  private String subject;

  public IntOrString getSampling() {
    return sampling;
  }

  public void setSampling(IntOrString sampling) {
    this.sampling = sampling;
  }

  public String getSubject() {
    return subject;
  }

  public void setSubject(String subject) {
    this.subject = subject;
  }
}
