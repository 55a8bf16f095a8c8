package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A key of a Secret in the referrer's namespace. The default key depends on the use: {@code seed}
 * for identity secrets, {@code activation.jwt} for activation token secrets; consumers apply it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

  @JsonPropertyDescription("Name of the Secret.")
  @Required
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @Size(max = 253)
  private String name;

  @JsonPropertyDescription(
      "Key inside the Secret; default depends on the field (seed, activation.jwt).")
  @Pattern(ApiPatterns.SECRET_KEY)
  @Size(max = 253)
  private String key;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
