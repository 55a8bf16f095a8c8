package dev.nats.accounts.jwt;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An nkey: Ed25519 via BouncyCastle's RFC 8032 primitives. The public key is derived once at
 * construction because deriving it is about as expensive as a signature, and jnats' NKey re-derives
 * it on every sign. For the same reason the signing key expansion (SHA-512 of the seed, scalar
 * pruning) is done once here, and signatures hash with the JDK's SHA-512 ({@link Ed25519Signer})
 * when that path is available. Immutable and thread-safe: the key arrays are never exposed or
 * mutated after construction, and BouncyCastle's static signing functions keep no shared mutable
 * state.
 */
public final class KeyPair {
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Keys already derived from their seeds. Reconciles read the same seeds from their Secrets on
   * every pass, and a derivation costs about a signature: bench/scale found {@link #fromSeed} at
   * 4.5% of the operator's CPU. Sized for the seeds of 3,000 tenants (an account key, a signing key
   * and two users each); the seeds are in the process already, in the Secrets' informer cache.
   */
  private static final Lru<String, KeyPair> FROM_SEED = new Lru<>(16_384);

  static {
    Ed25519.precompute();
  }

  private final KeyType type;
  private final byte[] seed32;
  private final byte[] pub32;
  private final String publicKey;

  /**
   * SHA-512(seed) and the pruned scalar for {@link Ed25519Signer#sign}; null when signing portably.
   */
  private final byte[] expanded;

  private final byte[] scalar;

  private KeyPair(KeyType type, byte[] seed32) {
    this(type, seed32, true);
  }

  /**
   * {@code fastSigning == false} forces BouncyCastle's public signing API (tests of the fallback).
   */
  KeyPair(KeyType type, byte[] seed32, boolean fastSigning) {
    this.type = type;
    this.seed32 = seed32;
    this.pub32 = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed32, 0, pub32, 0);
    this.publicKey = NKeys.encodePublic(type, pub32);
    if (fastSigning && Ed25519Signer.fastPathAvailable()) {
      this.expanded = Ed25519Signer.expand(seed32);
      this.scalar = Ed25519Signer.prunedScalar(expanded);
    } else {
      this.expanded = null;
      this.scalar = null;
    }
  }

  /**
   * A fresh random key of the given type. It is kept as if read from its seed: the operator stores
   * a new key's seed in a Secret and reads it back from there on the next reconcile, which would
   * otherwise derive the key a second time (bench/scale: half the derivations of a first
   * convergence).
   */
  public static KeyPair create(KeyType type) {
    if (type == null) {
      throw new IllegalArgumentException("key type is required");
    }
    byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    RANDOM.nextBytes(seed);
    KeyPair created = new KeyPair(type, seed);
    FROM_SEED.put(created.seed(), created);
    return created;
  }

  /**
   * Parses a standard 58-character nkeys seed ({@code SO…}, {@code SA…}, {@code SU…}).
   *
   * @throws InvalidKeyException on bad length, alphabet, checksum or type; the message never
   *     contains the seed
   */
  public static KeyPair fromSeed(String seed) {
    return FROM_SEED.computeIfAbsent(
        seed,
        s -> {
          NKeys.Decoded d = NKeys.decodeSeed(s);
          return new KeyPair(d.type(), d.key());
        });
  }

  /** Like {@link #fromSeed(String)} but also requires the given type. */
  public static KeyPair fromSeed(String seed, KeyType expected) {
    KeyPair kp = fromSeed(seed);
    if (kp.type != expected) {
      throw new InvalidKeyException(
          "expected " + expected.describe() + " seed but got " + kp.type.describe() + " seed");
    }
    return kp;
  }

  public KeyType type() {
    return type;
  }

  public String publicKey() {
    return publicKey;
  }

  /** The standard 58-character seed; this is what to persist (e.g. in a Secret). */
  public String seed() {
    return NKeys.encodeSeed(type, seed32);
  }

  /** A 64-byte Ed25519 signature over {@code data}. */
  public byte[] sign(byte[] data) {
    return sign(data, 0, data.length);
  }

  byte[] sign(byte[] data, int off, int len) {
    if (expanded != null) {
      return Ed25519Signer.sign(expanded, scalar, pub32, data, off, len);
    }
    return Ed25519Signer.signPortable(seed32, pub32, data, off, len);
  }

  /** Whether signatures take the JDK-SHA-512 path (false: BouncyCastle's public API). For tests. */
  boolean fastSigning() {
    return expanded != null;
  }

  /**
   * True if {@code signature} is a valid signature over {@code data} by the given public nkey (any
   * type).
   */
  public static boolean verify(String publicKey, byte[] data, byte[] signature) {
    if (signature == null || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    byte[] pub;
    try {
      pub = NKeys.decodePublic(publicKey).key();
    } catch (InvalidKeyException e) {
      return false;
    }
    return Ed25519.verify(signature, 0, pub, 0, data, 0, data.length);
  }

  /** Equal when type and public key are equal (the seed determines the public key). */
  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPair k && k.type == type && Arrays.equals(k.pub32, pub32);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  /** Type and public key only: a seed must never reach a log line. */
  @Override
  public String toString() {
    return "KeyPair[" + type + " " + publicKey + "]";
  }
}
