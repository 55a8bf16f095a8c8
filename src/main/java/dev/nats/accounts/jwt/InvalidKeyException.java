package dev.nats.accounts.jwt;

/**
 * A string is not a usable nkey (public key or seed). Messages describe what is wrong (length,
 * checksum, type) but never echo the input, because the input may be a seed.
 */
public class InvalidKeyException extends JwtException {
  public InvalidKeyException(String message) {
    super(message);
  }
}
