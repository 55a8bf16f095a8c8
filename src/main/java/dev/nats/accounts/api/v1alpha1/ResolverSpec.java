package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Shape of the resolver in the generated nats-server configuration. */
@ValidationRule(
    value = "self.type == 'memory' || has(self.dir)",
    message = "resolver.dir is required for full and cache resolvers")
@ValidationRule(
    value = "!has(self.allowDelete) || !self.allowDelete || self.type == 'full'",
    message = "allowDelete applies to the full resolver only")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResolverSpec {

  @JsonPropertyDescription(
      "full, cache or memory (memory preloads every account JWT into the config).")
  @Required
  private ResolverType type;

  @JsonPropertyDescription("Server-side directory of a full or cache resolver.")
  @Size(max = 4096)
  private String dir;

  @JsonPropertyDescription("Allow operator-signed account deletes (full resolver).")
  private Boolean allowDelete;

  public ResolverType getType() {
    return type;
  }

  public void setType(ResolverType type) {
    this.type = type;
  }

  public String getDir() {
    return dir;
  }

  public void setDir(String dir) {
    this.dir = dir;
  }

  public Boolean getAllowDelete() {
    return allowDelete;
  }

  public void setAllowDelete(Boolean allowDelete) {
    this.allowDelete = allowDelete;
  }
}
