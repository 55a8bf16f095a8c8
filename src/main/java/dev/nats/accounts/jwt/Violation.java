package dev.nats.accounts.jwt;

/**
 * One reason claims cannot be signed.
 *
 * @param field path into the claims record, e.g. {@code exports[1].subject}
 * @param message what is wrong and what to do about it
 */
public record Violation(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
