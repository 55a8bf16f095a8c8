package dev.nats.accounts.jwt;

import java.security.DigestException;
import java.security.MessageDigest;
import org.bouncycastle.crypto.Digest;

/**
 * BouncyCastle's {@link Digest} interface over the JDK's SHA-512. HotSpot compiles the JDK's
 * SHA-512 compression function to an intrinsic (about 3x BouncyCastle's Java {@code SHA512Digest}
 * on x86-64), and Ed25519 signing hashes the whole message twice, so this is where most of a JWT
 * signature's time goes. Not thread-safe, like every {@code Digest}.
 */
final class JdkSha512Digest implements Digest {
  static final int SIZE = 64;

  private final MessageDigest md = Hashing.newDigest("SHA-512");

  @Override
  public String getAlgorithmName() {
    return "SHA-512";
  }

  @Override
  public int getDigestSize() {
    return SIZE;
  }

  @Override
  public void update(byte in) {
    md.update(in);
  }

  @Override
  public void update(byte[] in, int inOff, int len) {
    md.update(in, inOff, len);
  }

  /** Writes the 64-byte hash at {@code outOff} and resets, as BouncyCastle digests do. */
  @Override
  public int doFinal(byte[] out, int outOff) {
    try {
      return md.digest(out, outOff, SIZE);
    } catch (DigestException e) {
      throw new IllegalArgumentException("output buffer too short for SHA-512", e);
    }
  }

  @Override
  public void reset() {
    md.reset();
  }
}
