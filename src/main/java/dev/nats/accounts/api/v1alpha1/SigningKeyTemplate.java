package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The permissions and limits every user signed by a scoped signing key gets (the JWT {@code
 * template}).
 */
@ValidationRule(
    value =
        "!has(self.publish) || ((!has(self.publish.allow) || self.publish.allow.all(s, !s.contains(' '))) && (!has(self.publish.deny) || self.publish.deny.all(s, !s.contains(' '))))",
    message = "publish permissions must not contain spaces (queue groups apply to subscribe only)")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigningKeyTemplate {

  @JsonPropertyDescription("Subjects users may publish to; templates such as {{name()}} allowed.")
  private Permission publish;

  @JsonPropertyDescription("Subjects users may subscribe to.")
  private Permission subscribe;

  @JsonPropertyDescription("Allow replies to requests received.")
  private ResponsePermission responses;

  @JsonPropertyDescription("Per-user limits (default unlimited).")
  private UserLimits limits;

  @JsonPropertyDescription("Allowed connection types; default all.")
  @Size(max = 8)
  private List<ConnectionType> connectionTypes;

  @JsonPropertyDescription("Allowed client networks as CIDRs.")
  @Size(max = 64)
  private List<@Pattern(ApiPatterns.CIDR) @Size(max = 64) String> sourceNetworks;

  @JsonPropertyDescription("Users need no nonce signature (bearer token).")
  private Boolean bearerToken;

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

  public UserLimits getLimits() {
    return limits;
  }

  public void setLimits(UserLimits limits) {
    this.limits = limits;
  }

  public List<ConnectionType> getConnectionTypes() {
    return connectionTypes;
  }

  public void setConnectionTypes(List<ConnectionType> connectionTypes) {
    this.connectionTypes = connectionTypes;
  }

  public List<String> getSourceNetworks() {
    return sourceNetworks;
  }

  public void setSourceNetworks(List<String> sourceNetworks) {
    this.sourceNetworks = sourceNetworks;
  }

  public Boolean getBearerToken() {
    return bearerToken;
  }

  public void setBearerToken(Boolean bearerToken) {
    this.bearerToken = bearerToken;
  }
}
