package dev.nats.accounts.jwt;

/**
 * Base of every failure raised by this package. Unchecked because callers (reconcilers) cannot
 * recover locally and just surface the message in a status; the message never contains seed
 * material.
 */
public class JwtException extends RuntimeException {
  public JwtException(String message) {
    super(message);
  }

  public JwtException(String message, Throwable cause) {
    super(message, cause);
  }
}
