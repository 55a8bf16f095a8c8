package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Account limits. Every limit defaults to unlimited (-1) when absent; the JWT always carries them
 * explicitly, because an omitted limit means zero to nats-server.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccountLimits {

  @JsonPropertyDescription("Maximum client connections; -1 for unlimited.")
  @Min(-1)
  private Long connections;

  @JsonPropertyDescription("Maximum leaf node connections; -1 for unlimited.")
  @Min(-1)
  private Long leafNodeConnections;

  @JsonPropertyDescription("Maximum subscriptions; -1 for unlimited.")
  @Min(-1)
  private Long subscriptions;

  @JsonPropertyDescription("Maximum data in bytes (quantity, e.g. 10Mi); -1 for unlimited.")
  @ValidationRule(value = ApiPatterns.QUANTITY_RULE, message = ApiPatterns.QUANTITY_MESSAGE)
  private Quantity data;

  @JsonPropertyDescription("Maximum message payload in bytes (quantity); -1 for unlimited.")
  @ValidationRule(value = ApiPatterns.QUANTITY_RULE, message = ApiPatterns.QUANTITY_MESSAGE)
  private Quantity payload;

  @JsonPropertyDescription("Maximum imports; -1 for unlimited.")
  @Min(-1)
  private Long imports;

  @JsonPropertyDescription("Maximum exports; -1 for unlimited.")
  @Min(-1)
  private Long exports;

  @JsonPropertyDescription("Whether exports may contain wildcards (default true).")
  private Boolean wildcardExports;

  @JsonPropertyDescription("Refuse bearer-token users in this account (default false).")
  private Boolean disallowBearer;

  @JsonPropertyDescription("JetStream limits; JetStream is off unless set.")
  private JetStreamLimits jetstream;

  public Long getConnections() {
    return connections;
  }

  public void setConnections(Long connections) {
    this.connections = connections;
  }

  public Long getLeafNodeConnections() {
    return leafNodeConnections;
  }

  public void setLeafNodeConnections(Long leafNodeConnections) {
    this.leafNodeConnections = leafNodeConnections;
  }

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

  public Long getImports() {
    return imports;
  }

  public void setImports(Long imports) {
    this.imports = imports;
  }

  public Long getExports() {
    return exports;
  }

  public void setExports(Long exports) {
    this.exports = exports;
  }

  public Boolean getWildcardExports() {
    return wildcardExports;
  }

  public void setWildcardExports(Boolean wildcardExports) {
    this.wildcardExports = wildcardExports;
  }

  public Boolean getDisallowBearer() {
    return disallowBearer;
  }

  public void setDisallowBearer(Boolean disallowBearer) {
    this.disallowBearer = disallowBearer;
  }

  public JetStreamLimits getJetstream() {
    return jetstream;
  }

  public void setJetstream(JetStreamLimits jetstream) {
    this.jetstream = jetstream;
  }
}
