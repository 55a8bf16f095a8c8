package dev.nats.accounts.jwt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.NKey;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDK-SHA-512 signing path ({@link Ed25519Signer}) must produce exactly the bytes of
 * BouncyCastle's public {@code Ed25519.sign} and of RFC 8032: Ed25519 is deterministic, so any
 * difference is a bug.
 */
class Ed25519SignerTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Without this, every equality below could pass by silently comparing the fallback with itself.
   */
  @Test
  void fastPathIsActiveWithTheBouncyCastleOnOurClasspath() {
    assertTrue(
        Ed25519Signer.fastPathAvailable(),
        "BouncyCastle "
            + Ed25519.class.getProtectionDomain().getCodeSource().getLocation()
            + " has no usable implSign(Digest, ...)");
    assertTrue(KeyPair.create(KeyType.OPERATOR).fastSigning());
    assertTrue(KeyPair.fromSeed(KeyPair.create(KeyType.ACCOUNT).seed()).fastSigning());
    assertFalse(new KeyPair(KeyType.OPERATOR, new byte[32], false).fastSigning());
  }

  /** RFC 8032 section 7.1, TEST 1, 2, 3 and 1024 (secret key, public key, message, signature). */
  static Stream<Arguments> rfc8032() {
    return Stream.of(
        Arguments.of(
            "TEST 1",
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
                + "d25bf5f0595bbe24655141438e7a100b"),
        Arguments.of(
            "TEST 2",
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c"
                + "387b2eaeb4302aeeb00d291612bb0c00"),
        Arguments.of(
            "TEST 3",
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc659"
                + "4a7c15e9716ed28dc027beceea1ec40a"),
        Arguments.of(
            "TEST 1024",
            "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
            "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
            TEST_1024_MESSAGE,
            "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b"
                + "5e8fcd4f681e30a6ac00a9704a188a03"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc8032")
  void rfc8032Vectors(String name, String secret, String pub, String message, String signature)
      throws Exception {
    byte[] m = HEX.parseHex(message);
    byte[] expected = HEX.parseHex(signature);
    for (boolean fast : new boolean[] {true, false}) {
      KeyPair kp = new KeyPair(KeyType.ACCOUNT, HEX.parseHex(secret), fast);
      assertEquals(fast, kp.fastSigning());
      assertEquals(NKeys.encodePublic(KeyType.ACCOUNT, HEX.parseHex(pub)), kp.publicKey());
      assertEquals(signature, HEX.formatHex(kp.sign(m)), (fast ? "fast" : "fallback") + " path");
      assertTrue(KeyPair.verify(kp.publicKey(), m, expected));
      assertTrue(NKey.fromPublicKey(kp.publicKey().toCharArray()).verify(m, expected));
    }
    if (m.length > 0) {
      byte[] other = m.clone();
      other[other.length - 1] ^= 1;
      assertFalse(
          KeyPair.verify(NKeys.encodePublic(KeyType.ACCOUNT, HEX.parseHex(pub)), other, expected));
    }
  }

  /**
   * Random keys and messages of 0..8 KB (every length around the SHA-512 block edges, then random),
   * signed at random offsets inside larger buffers: byte-identical to BouncyCastle's public sign,
   * and verified by our verify and by jnats.
   */
  @Test
  void randomMessagesMatchBouncyCastlePublicSign() throws Exception {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    List<Integer> lengths = new ArrayList<>();
    for (int n = 0; n <= 260; n++) {
      lengths.add(n);
    }
    for (int edge : new int[] {511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097, 8191, 8192}) {
      lengths.add(edge);
    }
    for (int i = 0; i < 200; i++) {
      lengths.add(r.nextInt(8193));
    }
    KeyType[] types = KeyType.values();
    KeyPair kp = null;
    byte[] seed32 = new byte[32];
    for (int i = 0; i < lengths.size(); i++) {
      if (i % 8 == 0) {
        r.nextBytes(seed32);
        kp = new KeyPair(types[r.nextInt(types.length)], seed32.clone(), true);
      }
      int len = lengths.get(i);
      int off = r.nextInt(17);
      byte[] buf = new byte[off + len + r.nextInt(17)];
      r.nextBytes(buf);
      byte[] bc = new byte[Ed25519.SIGNATURE_SIZE];
      byte[] pub32 = NKeys.decodePublic(kp.publicKey()).key();
      Ed25519.sign(seed32, 0, pub32, 0, buf, off, len, bc, 0);
      String what = "random seed " + seed + ", length " + len + ", offset " + off;
      byte[] fast = kp.sign(buf, off, len);
      assertArrayEquals(bc, fast, what);
      byte[] m = Arrays.copyOfRange(buf, off, off + len);
      assertArrayEquals(bc, kp.sign(m), what);
      assertTrue(KeyPair.verify(kp.publicKey(), m, fast), what);
      assertTrue(NKey.fromPublicKey(kp.publicKey().toCharArray()).verify(m, fast), what);
    }
  }

  /**
   * The fallback (BouncyCastle's public API) is a real signing path and gives the same bytes and
   * JWTs.
   */
  @Test
  void fallbackSignsTheSameBytesAndTokens() {
    Random r = new Random(11);
    for (int i = 0; i < 40; i++) {
      byte[] seed32 = new byte[32];
      r.nextBytes(seed32);
      KeyPair fast = new KeyPair(KeyType.OPERATOR, seed32.clone(), true);
      KeyPair portable = new KeyPair(KeyType.OPERATOR, seed32.clone(), false);
      assertTrue(fast.fastSigning());
      assertFalse(portable.fastSigning());
      assertEquals(fast, portable);
      byte[] m = new byte[r.nextInt(5000)];
      r.nextBytes(m);
      assertArrayEquals(fast.sign(m), portable.sign(m));
    }
    KeyPair op = TestKeys.OPERATOR;
    KeyPair portableOp = KeyPair.fromSeed(op.seed());
    KeyPair forcedPortable =
        new KeyPair(KeyType.OPERATOR, NKeys.decodeSeed(op.seed()).key(), false);
    AccountClaims c = AccountClaims.builder("a", TestKeys.ACCOUNT.publicKey()).build();
    String jwt = JwtEncoder.encode(c, portableOp, 1700000000L);
    assertEquals(jwt, JwtEncoder.encode(c, forcedPortable, 1700000000L));
    assertEquals(jwt, JwtEncoder.encode(c, op, 1700000000L));
  }

  /**
   * One digest per thread: concurrent signers with one key still produce the deterministic bytes.
   */
  @Test
  void concurrentSigningWithOneKey() throws Exception {
    KeyPair kp = KeyPair.create(KeyType.ACCOUNT);
    byte[][] msgs = new byte[64][];
    byte[][] expected = new byte[64][];
    Random r = new Random(3);
    for (int i = 0; i < msgs.length; i++) {
      msgs[i] = new byte[r.nextInt(6000)];
      r.nextBytes(msgs[i]);
      expected[i] =
          Ed25519Signer.signPortable(
              NKeys.decodeSeed(kp.seed()).key(),
              NKeys.decodePublic(kp.publicKey()).key(),
              msgs[i],
              0,
              msgs[i].length);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int start = t;
        results.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int k = 0; k < 300; k++) {
                    int i = (start * 17 + k) % msgs.length;
                    ok += Arrays.equals(expected[i], kp.sign(msgs[i])) ? 1 : 0;
                  }
                  return ok;
                }));
      }
      for (Future<Integer> f : results) {
        assertEquals(300, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The guard that decides on the fast path: a missing method or a wrong one is refused, not used.
   */
  @Test
  void guardRefusesMissingOrWrongMethods() throws Exception {
    assertNull(Ed25519Signer.findImplSign("noSuchMethod"));
    assertNotNull(Ed25519Signer.findImplSign("implSign"));
    MethodHandle wrong =
        MethodHandles.lookup()
            .findStatic(Ed25519SignerTest.class, "signsZeros", Ed25519Signer.IMPL_SIGN_TYPE);
    String why = Ed25519Signer.selfTest(wrong);
    assertNotNull(why);
    assertTrue(why.contains("different"), why);
    MethodHandle throwing =
        MethodHandles.lookup()
            .findStatic(Ed25519SignerTest.class, "throwsAlways", Ed25519Signer.IMPL_SIGN_TYPE);
    assertTrue(Ed25519Signer.selfTest(throwing).contains("failed"));
  }

  @Test
  void jdkDigestIsSha512AndResetsAfterDoFinal() {
    JdkSha512Digest d = new JdkSha512Digest();
    byte[] out = new byte[70];
    d.update((byte) 'a');
    d.update("bc".getBytes(), 0, 2);
    assertEquals(64, d.doFinal(out, 3));
    String abc =
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
    assertEquals(abc, HEX.formatHex(out, 3, 67));
    d.update("abc".getBytes(), 0, 3);
    byte[] again = new byte[64];
    d.doFinal(again, 0);
    assertEquals(abc, HEX.formatHex(again));
    assertEquals("SHA-512", d.getAlgorithmName());
    assertEquals(64, d.getDigestSize());
    d.update((byte) 1);
    d.reset();
    d.doFinal(again, 0);
    assertNotEquals(abc, HEX.formatHex(again));
    assertTrue(HEX.formatHex(again).startsWith("cf83e1357eefb8bd"), "SHA-512 of nothing");
  }

  @SuppressWarnings("unused")
  private static void signsZeros(
      Digest d,
      byte[] h,
      byte[] s,
      byte[] pk,
      int pkOff,
      byte[] ctx,
      byte phflag,
      byte[] m,
      int mOff,
      int mLen,
      byte[] sig,
      int sigOff) {
    Arrays.fill(sig, sigOff, sigOff + 64, (byte) 0);
  }

  @SuppressWarnings("unused")
  private static void throwsAlways(
      Digest d,
      byte[] h,
      byte[] s,
      byte[] pk,
      int pkOff,
      byte[] ctx,
      byte phflag,
      byte[] m,
      int mOff,
      int mLen,
      byte[] sig,
      int sigOff) {
    throw new IllegalStateException("not the method we expect");
  }

  /** RFC 8032 section 7.1 TEST 1024: the 1023-byte message. */
  private static final String TEST_1024_MESSAGE =
      "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1"
          + "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
          + "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a"
          + "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
          + "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10"
          + "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
          + "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d"
          + "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
          + "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b"
          + "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
          + "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b"
          + "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
          + "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
          + "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
          + "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7"
          + "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
          + "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09"
          + "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
          + "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161"
          + "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
          + "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca"
          + "c60c905c15fc910840b94c00a0b9d0";
}
