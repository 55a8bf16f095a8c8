package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Permission to publish replies to requests received (the JWT {@code resp} field). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResponsePermission {

  @JsonPropertyDescription("How many replies per request may be sent; -1 for unlimited.")
  @Min(-1)
  private Integer max;

  @JsonPropertyDescription(
      "How long after a request a reply may be sent, Go duration (e.g. 5s); 0 or absent for no limit.")
  @Pattern(ApiPatterns.DURATION)
  private String ttl;

  public Integer getMax() {
    return max;
  }

  public void setMax(Integer max) {
    this.max = max;
  }

  public String getTtl() {
    return ttl;
  }

  public void setTtl(String ttl) {
    this.ttl = ttl;
  }
}
