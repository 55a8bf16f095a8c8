package dev.nats.accounts.status;

/**
 * Condition types: part of the public contract (api.md), so users can alert on them. An enum, so a
 * reconciler cannot invent a type that the documentation, the printer columns and the tests do not know.
 */
public enum ConditionType {
  READY("Ready"),
  KEYS_READY("KeysReady"),
  CONNECTED("Connected"),
  PUSHED("Pushed"),
  IMPORTS_RESOLVED("ImportsResolved"),
  EXPORT_FOUND("ExportFound"),
  AUTHORIZED("Authorized");

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
