package dev.nats.accounts.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA512tDigest;
import org.junit.jupiter.api.Test;

class HashingTest {

  /** FIPS 180-4 example "abc" for SHA-512/256 (NIST CSRC example values). */
  @Test
  void knownAnswer() {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    byte[] expected =
        HexFormat.of().parseHex("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23");
    assertEquals(NKeys.base32(expected), Hashing.sha512_256Base32(abc, 0, abc.length));
  }

  /** The JDK digest replaced BouncyCastle's SHA512tDigest: every jti must stay byte-identical. */
  @Test
  void sameAsBouncyCastleForAllSizesAndOffsets() {
    Random r = new Random(42);
    for (int len = 0; len <= 4200; len += len < 300 ? 1 : 37) {
      byte[] buf = new byte[len + 10];
      r.nextBytes(buf);
      int off = r.nextInt(10);
      SHA512tDigest bc = new SHA512tDigest(256);
      bc.update(buf, off, len);
      byte[] out = new byte[32];
      bc.doFinal(out, 0);
      assertEquals(NKeys.base32(out), Hashing.sha512_256Base32(buf, off, len), "length " + len);
    }
  }
}
