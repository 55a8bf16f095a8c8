package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A reference to an object in the referrer's own namespace.
 *
 * <p>A separate type (rather than {@link ObjectRef}) so that a cross-namespace reference cannot
 * even be written where the contract requires the same namespace (accountRef of users, exports and
 * imports).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalObjectRef {

  @JsonPropertyDescription("Name of the referenced object, in the same namespace.")
  @Required
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @Size(max = 253)
  private String name;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
