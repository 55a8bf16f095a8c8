package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * JetStream limits of an account; JetStream is enabled for the account when this is set. Either
 * flat (one budget for every stream) or per tier ({@code tiers}), never both: nats-server refuses a
 * JWT that has both, and a mix would leave it unclear which budget a stream draws from.
 */
@ValidationRule(
    value = JetStreamLimits.NO_FLAT_WITH_TIERS_RULE,
    message = JetStreamLimits.NO_FLAT_WITH_TIERS_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JetStreamLimits extends JetStreamTierLimits {
  static final String NO_FLAT_WITH_TIERS_RULE =
      "!has(self.tiers) || !(has(self.memoryStorage) || has(self.diskStorage)"
          + " || has(self.streams) || has(self.consumers) || has(self.maxAckPending))";
  public static final String NO_FLAT_WITH_TIERS_MESSAGE =
      "tiers cannot be combined with the flat limits memoryStorage, diskStorage, streams,"
          + " consumers and maxAckPending: set them inside each tier";

  /**
   * R1 to R5: nats-server names a stream's tier {@code R<replicas>} and allows at most 5 replicas,
   * so any other name could never apply to a stream.
   */
  static final String TIER_NAME_RULE = "self.all(k, k.matches('^R[1-5]$'))";

  static final String TIER_NAME_MESSAGE =
      "tier names are R1 to R5: a stream with N replicas draws from tier RN";

  @JsonPropertyDescription(
      "Limits per replication tier, keyed R1 to R5: a stream with N replicas counts against tier"
          + " RN, and a stream whose tier is absent cannot be created. Each tier takes the same"
          + " fields as the flat limits (absent means unlimited); not allowed together with them.")
  @Size(min = 1, max = 5)
  @ValidationRule(value = TIER_NAME_RULE, message = TIER_NAME_MESSAGE)
  private Map<String, JetStreamTierLimits> tiers;

  public Map<String, JetStreamTierLimits> getTiers() {
    return tiers;
  }

  public void setTiers(Map<String, JetStreamTierLimits> tiers) {
    this.tiers = tiers;
  }
}
