package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * An account signing key. Without a template the key is unscoped (users carry their own
 * permissions); with a template it is scoped and users signed with it get exactly the template.
 */
@ValidationRule(
    value = "!has(self.role) || has(self.template)",
    message = "role applies to scoped keys only: set template as well")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigningKeySpec {

  @JsonPropertyDescription(
      "Name of the key; its seed is stored under signing-<name> in the account keys Secret.")
  @Required
  @Pattern(ApiPatterns.DNS_LABEL)
  @Size(max = 63)
  private String name;

  @JsonPropertyDescription("Role name of a scoped key.")
  @Size(max = 256)
  private String role;

  @JsonPropertyDescription(
      "Makes the key scoped: users signed with it get exactly these permissions.")
  private SigningKeyTemplate template;

  @JsonPropertyDescription("Free text description of the scoped key.")
  @Size(max = 8192)
  private String description;

  @JsonPropertyDescription(
      "Replace this key on a schedule: the next key joins the account JWT first, then signs (users"
          + " and activation tokens are signed again), and the replaced key leaves the JWT after"
          + " the overlap. The Account annotations accounts.nats.dev/rotate and"
          + " accounts.nats.dev/rotate-emergency rotate every key on request.")
  private KeyRotation rotation;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public SigningKeyTemplate getTemplate() {
    return template;
  }

  public void setTemplate(SigningKeyTemplate template) {
    this.template = template;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public KeyRotation getRotation() {
    return rotation;
  }

  public void setRotation(KeyRotation rotation) {
    this.rotation = rotation;
  }
}
