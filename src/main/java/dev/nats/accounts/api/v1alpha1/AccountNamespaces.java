package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * Which namespaces may hold Accounts under an Operator: a label selector or a list of names;
 * default all.
 */
@ValidationRule(
    value = "!(has(self.selector) && has(self.names))",
    message = "use either selector or names, not both")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccountNamespaces {

  @JsonPropertyDescription("Namespaces whose labels match.")
  private LabelSelector selector;

  @JsonPropertyDescription("Namespaces by name.")
  @Size(max = 1024)
  private List<@Pattern(ApiPatterns.DNS_LABEL) @Size(max = 63) String> names;

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }

  public List<String> getNames() {
    return names;
  }

  public void setNames(List<String> names) {
    this.names = names;
  }
}
