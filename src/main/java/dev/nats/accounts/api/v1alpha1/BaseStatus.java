package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Status fields every kind has. Conditions follow the Kubernetes shape (type, status, reason,
 * message, lastTransitionTime, observedGeneration); a shared base lets the conditions helpers treat
 * every kind alike.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class BaseStatus {

  @JsonPropertyDescription("The metadata.generation the status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription("Current conditions; Ready is always present once reconciled.")
  private List<Condition> conditions;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
