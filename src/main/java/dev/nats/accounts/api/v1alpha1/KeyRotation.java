package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** When a key is replaced by a new one, and how long the old one keeps working. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyRotation {
  @JsonPropertyDescription(
      "Replace the key this often, Go duration (e.g. 720h); unset: only on request"
          + " (annotation accounts.nats.dev/rotate).")
  @Pattern(ApiPatterns.DURATION)
  private String every;

  @JsonPropertyDescription(
      "How long the replaced key keeps working after a rotation, Go duration; default 1h. An"
          + " emergency rotation (annotation accounts.nats.dev/rotate-emergency) has none.")
  @Pattern(ApiPatterns.DURATION)
  private String overlap;

  public String getEvery() {
    return every;
  }

  public void setEvery(String every) {
    this.every = every;
  }

  public String getOverlap() {
    return overlap;
  }

  public void setOverlap(String overlap) {
    this.overlap = overlap;
  }
}
