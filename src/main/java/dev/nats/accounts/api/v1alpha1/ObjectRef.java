package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A reference to a namespaced object by name; an omitted namespace means the referrer's own
 * namespace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectRef {

  @JsonPropertyDescription("Name of the referenced object.")
  @Required
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @Size(max = 253)
  private String name;

  @JsonPropertyDescription(
      "Namespace of the referenced object; default: the namespace of the referring resource.")
  @Pattern(ApiPatterns.DNS_LABEL)
  @Size(max = 63)
  private String namespace;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }
}
