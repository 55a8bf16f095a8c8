package dev.nats.accounts.status;

/**
 * Condition types: part of the public contract (api.md), so users can alert on them. An enum, so a
 * reconciler cannot invent a type that the documentation, the printer columns and the tests do not
 * know.
 */
public enum ConditionType {
  READY("Ready"),
  KEYS_READY("KeysReady"),
  CONNECTED("Connected"),
  PUSHED("Pushed"),
  IMPORTS_RESOLVED("ImportsResolved"),
  EXPORT_FOUND("ExportFound"),
  AUTHORIZED("Authorized"),
  /**
   * kstatus' condition for "will not make progress without a change by someone": True only beside
   * {@code Ready=False} with a reason that {@link Reason#stalls()}, absent otherwise. Flux, kpt and
   * kstatus report such a resource as Failed instead of InProgress, so a pipeline stops waiting at
   * once; written by {@link Conditions#set}.
   */
  STALLED("Stalled");

  private final String value;

  ConditionType(String value) {
    this.value = value;
  }

  /** As written into {@code status.conditions[].type}. */
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
