package dev.nats.accounts.reconciler;

/** A spec value the CRD schema let through but that cannot be turned into claims; names the field. */
public final class InvalidSpecException extends RuntimeException {
  public InvalidSpecException(String field, String problem) {
    super(field + ": " + problem);
  }
}
