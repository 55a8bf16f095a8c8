package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Publish/subscribe permissions of a user, an account's default permissions or a signing key
 * template.
 */
@ValidationRule(
    value =
        "!has(self.publish) || ((!has(self.publish.allow) || self.publish.allow.all(s, !s.contains(' '))) && (!has(self.publish.deny) || self.publish.deny.all(s, !s.contains(' '))))",
    message = "publish permissions must not contain spaces (queue groups apply to subscribe only)")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Permissions {

  @JsonPropertyDescription("Subjects the user may publish to (no queue groups).")
  private Permission publish;

  @JsonPropertyDescription("Subjects the user may subscribe to, optionally \"subject queue\".")
  private Permission subscribe;

  @JsonPropertyDescription("Allow replies to requests received.")
  private ResponsePermission responses;

  public Permission getPublish() {
    return publish;
  }

  public void setPublish(Permission publish) {
    this.publish = publish;
  }

  public Permission getSubscribe() {
    return subscribe;
  }

  public void setSubscribe(Permission subscribe) {
    this.subscribe = subscribe;
  }

  public ResponsePermission getResponses() {
    return responses;
  }

  public void setResponses(ResponsePermission responses) {
    this.responses = responses;
  }
}
