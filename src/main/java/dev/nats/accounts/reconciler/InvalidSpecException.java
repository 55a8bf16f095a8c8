package dev.nats.accounts.reconciler;

/**
 * A spec value the CRD schema let through but that cannot be turned into claims. It carries the
 * field path (e.g. {@code spec.limits.data}) because the user fixes a field, not an exception: the
 * path leads the Ready condition's message and the Warning Event.
 */
public final class InvalidSpecException extends RuntimeException {
  private final String field;

  public InvalidSpecException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** The path of the offending field, from the resource root ({@code spec.…}). */
  public String field() {
    return field;
  }
}
