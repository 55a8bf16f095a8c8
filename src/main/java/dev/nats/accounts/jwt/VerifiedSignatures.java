package dev.nats.accounts.jwt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.BooleanSupplier;

/**
 * Tokens whose signature already verified, remembered by their SHA-256. Reconciles decode the same
 * activation tokens and JWTs again and again (every Account reconcile checks its imports' tokens),
 * and an Ed25519 verification costs far more than a digest of the token. A digest names the whole
 * token, header, payload and signature, so a token that differs in one byte is verified afresh;
 * only successes are kept, so a bad signature is never remembered as good. Bounded, least recently
 * used first out.
 */
final class VerifiedSignatures {
  private final Lru<ByteBuffer, Boolean> verified;

  VerifiedSignatures(int capacity) {
    this.verified = new Lru<>(capacity);
  }

  /** Whether {@code token} verifies: remembered, else {@code verify} asked (and kept if true). */
  boolean verifies(String token, BooleanSupplier verify) {
    ByteBuffer digest = digest(token);
    if (verified.get(digest) != null) {
      return true;
    }
    if (!verify.getAsBoolean()) {
      return false;
    }
    verified.put(digest, Boolean.TRUE);
    return true;
  }

  int size() {
    return verified.size();
  }

  private static ByteBuffer digest(String token) {
    try {
      return ByteBuffer.wrap(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
