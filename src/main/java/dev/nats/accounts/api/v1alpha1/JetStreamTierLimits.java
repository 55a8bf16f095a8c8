package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The JetStream limits nats-io/jwt allows both flat and per tier: the same fields in both places,
 * so a flat block can be split into tiers without renaming anything. Absent fields are unlimited.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JetStreamTierLimits {

  @JsonPropertyDescription("Memory storage in bytes (quantity, e.g. 1Gi); -1 for unlimited.")
  @ValidationRule(value = ApiPatterns.QUANTITY_RULE, message = ApiPatterns.QUANTITY_MESSAGE)
  private Quantity memoryStorage;

  @JsonPropertyDescription("Disk storage in bytes (quantity, e.g. 10Gi); -1 for unlimited.")
  @ValidationRule(value = ApiPatterns.QUANTITY_RULE, message = ApiPatterns.QUANTITY_MESSAGE)
  private Quantity diskStorage;

  @JsonPropertyDescription("Maximum streams; -1 for unlimited.")
  @Min(-1)
  private Long streams;

  @JsonPropertyDescription("Maximum consumers; -1 for unlimited.")
  @Min(-1)
  private Long consumers;

  @JsonPropertyDescription("Maximum ack pending per consumer; -1 for unlimited.")
  @Min(-1)
  private Long maxAckPending;

  public Quantity getMemoryStorage() {
    return memoryStorage;
  }

  public void setMemoryStorage(Quantity memoryStorage) {
    this.memoryStorage = memoryStorage;
  }

  public Quantity getDiskStorage() {
    return diskStorage;
  }

  public void setDiskStorage(Quantity diskStorage) {
    this.diskStorage = diskStorage;
  }

  public Long getStreams() {
    return streams;
  }

  public void setStreams(Long streams) {
    this.streams = streams;
  }

  public Long getConsumers() {
    return consumers;
  }

  public void setConsumers(Long consumers) {
    this.consumers = consumers;
  }

  public Long getMaxAckPending() {
    return maxAckPending;
  }

  public void setMaxAckPending(Long maxAckPending) {
    this.maxAckPending = maxAckPending;
  }
}
