package dev.nats.accounts.nats;

/** A resolver request could not be sent or its answers could not be collected. */
public class ResolverException extends RuntimeException {

  public ResolverException(String message) {
    super(message);
  }

  public ResolverException(String message, Throwable cause) {
    super(message, cause);
  }
}
