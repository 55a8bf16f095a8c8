package dev.nats.accounts.jwt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * nsc's "Hash ID" of an activation (jwt's {@code ActivationClaims.HashID}): base32 (padded) of
 * SHA-256 over issuer, subject and the import subject cut before its first wildcard. It names the
 * grant, not the token, so it stays the same across renewals (the JWT ID does not): the old
 * nats-account-server served a token at {@code /jwt/v1/activations/<hash id>}, and so does this
 * operator.
 */
public final class ActivationHashId {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private ActivationHashId() {}

  public static String of(String issuer, String subject, String importSubject) {
    String[] tokens = importSubject.split("\\.", -1);
    String cleaned = importSubject;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].equals("*") || tokens[i].equals(">")) {
        cleaned = i == 0 ? "_" : String.join(".", Arrays.copyOf(tokens, i));
        break;
      }
    }
    byte[] sha =
        Hashing.newDigest("SHA-256")
            .digest((issuer + "." + subject + "." + cleaned).getBytes(StandardCharsets.UTF_8));
    return base32Padded(sha);
  }

  /** The hash ID of a decoded activation token. */
  public static String of(DecodedJwt activation) {
    return of(activation.issuer(), activation.subject(), activation.activation().importSubject());
  }

  /** RFC 4648 base32 with padding (Go's base32.StdEncoding). */
  public static String base32Padded(byte[] data) {
    StringBuilder b = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte x : data) {
      buffer = (buffer << 8) | (x & 0xff);
      bits += 8;
      while (bits >= 5) {
        b.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      b.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    while (b.length() % 8 != 0) {
      b.append('=');
    }
    return b.toString();
  }
}
