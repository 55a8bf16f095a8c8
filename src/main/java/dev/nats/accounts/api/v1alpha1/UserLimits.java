package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Per-user limits; -1 (the default) means unlimited. Sizes accept Kubernetes quantities ("1Mi").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserLimits {

  @JsonPropertyDescription("Maximum subscriptions; -1 for unlimited.")
  @Min(-1)
  private Long subscriptions;

  @JsonPropertyDescription("Maximum data in bytes (quantity, e.g. 10Mi); -1 for unlimited.")
  @ValidationRule(value = ApiPatterns.QUANTITY_RULE, message = ApiPatterns.QUANTITY_MESSAGE)
  private Quantity data;

  @JsonPropertyDescription("Maximum message payload in bytes (quantity); -1 for unlimited.")
  @ValidationRule(value = ApiPatterns.QUANTITY_RULE, message = ApiPatterns.QUANTITY_MESSAGE)
  private Quantity payload;

  public Long getSubscriptions() {
    return subscriptions;
  }

  public void setSubscriptions(Long subscriptions) {
    this.subscriptions = subscriptions;
  }

  public Quantity getData() {
    return data;
  }

  public void setData(Quantity data) {
    this.data = data;
  }

  public Quantity getPayload() {
    return payload;
  }

  public void setPayload(Quantity payload) {
    this.payload = payload;
  }
}
