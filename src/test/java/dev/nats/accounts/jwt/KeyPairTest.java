package dev.nats.accounts.jwt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.NKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyPairTest {

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void createdKeysHaveStandardShapeAndRoundTrip(KeyType type) {
    KeyPair kp = KeyPair.create(type);
    assertEquals(56, kp.publicKey().length());
    assertEquals(type.prefixChar(), kp.publicKey().charAt(0));
    assertEquals(58, kp.seed().length());
    assertEquals("S" + type.prefixChar(), kp.seed().substring(0, 2));
    assertEquals(type, KeyType.ofPublicKey(kp.publicKey()));
    KeyPair back = KeyPair.fromSeed(kp.seed());
    assertEquals(kp.publicKey(), back.publicKey());
    assertEquals(type, back.type());
  }

  /** jnats is an independent implementation of the same encoding and of Ed25519 signing. */
  @ParameterizedTest
  @EnumSource(KeyType.class)
  void agreesWithJnats(KeyType type) throws Exception {
    KeyPair kp = KeyPair.create(type);
    NKey nk = NKey.fromSeed(kp.seed().toCharArray());
    assertEquals(kp.publicKey(), new String(nk.getPublicKey()));
    byte[] data = "hello nats".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(nk.sign(data), kp.sign(data));
    assertTrue(nk.verify(data, kp.sign(data)));
    NKey fresh = NKey.createUser(null);
    KeyPair fromJnats = KeyPair.fromSeed(new String(fresh.getSeed()));
    assertEquals(new String(fresh.getPublicKey()), fromJnats.publicKey());
  }

  @Test
  void verifyRejectsOtherDataAndOtherKey() {
    KeyPair kp = KeyPair.create(KeyType.ACCOUNT);
    byte[] data = {1, 2, 3};
    byte[] sig = kp.sign(data);
    assertTrue(KeyPair.verify(kp.publicKey(), data, sig));
    assertFalse(KeyPair.verify(kp.publicKey(), new byte[] {1, 2, 4}, sig));
    assertFalse(KeyPair.verify(KeyPair.create(KeyType.ACCOUNT).publicKey(), data, sig));
    assertFalse(KeyPair.verify("garbage", data, sig));
  }

  @Test
  void toStringHidesSeed() {
    KeyPair kp = KeyPair.create(KeyType.USER);
    String s = kp.toString();
    assertTrue(s.contains(kp.publicKey()));
    assertFalse(s.contains(kp.seed()));
    assertFalse(s.contains(kp.seed().substring(2, 20)));
  }

  @Test
  void aSeedReadAgainGivesTheKeyDerivedTheFirstTime() {
    String seed = KeyPair.create(KeyType.ACCOUNT).seed();
    KeyPair first = KeyPair.fromSeed(seed);
    assertSame(first, KeyPair.fromSeed(seed), "derived once");
    assertSame(first, KeyPair.fromSeed(seed, KeyType.ACCOUNT));
    // The type is checked on a kept key too.
    assertThrows(InvalidKeyException.class, () -> KeyPair.fromSeed(seed, KeyType.USER));
  }

  /** A new key's seed, read back from its Secret, is not derived again. */
  @Test
  void aCreatedKeyIsKeptForItsSeed() {
    KeyPair created = KeyPair.create(KeyType.USER);
    assertSame(created, KeyPair.fromSeed(created.seed()));
    assertSame(created, KeyPair.fromSeed(created.seed(), KeyType.USER));
  }
}
