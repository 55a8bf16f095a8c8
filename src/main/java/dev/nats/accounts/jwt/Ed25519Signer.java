package dev.nats.accounts.jwt;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Pure Ed25519 (RFC 8032) signing with BouncyCastle's point arithmetic but the JDK's SHA-512.
 *
 * <p>Why: an account JWT's signing input is about 4 KB and Ed25519 hashes it twice; BouncyCastle's
 * public {@code Ed25519.sign} always uses its own Java SHA-512, which takes about as long as the
 * curve arithmetic. Its private {@code implSign(Digest, h, s, pk, ...)} takes the digest as a
 * parameter, so this class calls it through a method handle with {@link JdkSha512Digest}. The same
 * method also lets the key expansion (SHA-512 of the seed, scalar pruning) happen once per key
 * instead of per signature.
 *
 * <p>What {@code implSign} expects (read from BouncyCastle 1.82's bytecode, the version on the
 * operator's classpath): {@code h} = SHA-512(seed), of which it reads only the second half (the
 * nonce prefix) and then overwrites all 64 bytes as scratch space, so every call gets a copy;
 * {@code s} = the pruned scalar (first half of {@code h}, low 3 bits cleared, top bit cleared, bit
 * 254 set), only read; {@code ctx == null} and {@code phflag == 0} select pure Ed25519 (no dom2
 * prefix), exactly what the public {@code sign} passes.
 *
 * <p>A private method can change or vanish in another BouncyCastle version, so the fast path is
 * only enabled if the method is found, is accessible, and reproduces the public {@code
 * Ed25519.sign} bytes on a fixed key and message at class initialisation (Ed25519 is
 * deterministic). Otherwise every signature goes through the public API, which is slower but never
 * wrong; that is logged once, without key material. Thread-safe: the digest is per thread and
 * BouncyCastle's signing keeps no shared state.
 */
final class Ed25519Signer {
  private static final System.Logger LOG = System.getLogger(Ed25519Signer.class.getName());
  private static final ThreadLocal<JdkSha512Digest> DIGEST =
      ThreadLocal.withInitial(JdkSha512Digest::new);
  static final MethodType IMPL_SIGN_TYPE =
      MethodType.methodType(
          void.class,
          Digest.class,
          byte[].class,
          byte[].class,
          byte[].class,
          int.class,
          byte[].class,
          byte.class,
          byte[].class,
          int.class,
          int.class,
          byte[].class,
          int.class);

  /** null when only the public API is usable. Static final so the JIT treats it as a constant. */
  private static final MethodHandle IMPL_SIGN;

  static {
    Ed25519.precompute();
    IMPL_SIGN = findImplSign("implSign");
  }

  private Ed25519Signer() {}

  /** True when {@link #sign} can be used; false means callers must use {@link #signPortable}. */
  static boolean fastPathAvailable() {
    return IMPL_SIGN != null;
  }

  /** SHA-512(seed): the per-key input {@link #sign} needs; its second half is the nonce prefix. */
  static byte[] expand(byte[] seed32) {
    JdkSha512Digest d = DIGEST.get();
    d.reset();
    d.update(seed32, 0, Ed25519.SECRET_KEY_SIZE);
    byte[] h = new byte[JdkSha512Digest.SIZE];
    d.doFinal(h, 0);
    return h;
  }

  /** RFC 8032 5.1.5 step 2: the secret scalar from the first half of the expanded key. */
  static byte[] prunedScalar(byte[] expanded) {
    byte[] s = Arrays.copyOf(expanded, 32);
    s[0] &= (byte) 0xF8;
    s[31] &= (byte) 0x7F;
    s[31] |= (byte) 0x40;
    return s;
  }

  /**
   * Signs {@code m[off, off+len)} with the expanded key ({@link #expand}), its scalar ({@link
   * #prunedScalar}) and the 32-byte public key. Requires {@link #fastPathAvailable()}.
   */
  static byte[] sign(byte[] expanded, byte[] scalar, byte[] pub32, byte[] m, int off, int len) {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    JdkSha512Digest d = DIGEST.get();
    d.reset();
    try {
      IMPL_SIGN.invokeExact(
          (Digest) d,
          expanded.clone(),
          scalar,
          pub32,
          0,
          (byte[]) null,
          (byte) 0,
          m,
          off,
          len,
          sig,
          0);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      // implSign declares no checked exceptions; this cannot happen short of a broken runtime
      throw new IllegalStateException("Ed25519 signing failed", t);
    }
    return sig;
  }

  /** BouncyCastle's public API: BouncyCastle's own SHA-512, key expanded on every call. */
  static byte[] signPortable(byte[] seed32, byte[] pub32, byte[] m, int off, int len) {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed32, 0, pub32, 0, m, off, len, sig, 0);
    return sig;
  }

  /**
   * The handle for BouncyCastle's private {@code Ed25519.<name>(Digest, h, s, pk, ...)}, or null
   * (logged once) if it is missing, inaccessible or signs differently from the public API. Never
   * throws.
   */
  static MethodHandle findImplSign(String name) {
    MethodHandle mh;
    try {
      Method m = Ed25519.class.getDeclaredMethod(name, IMPL_SIGN_TYPE.parameterArray());
      m.setAccessible(true);
      mh = MethodHandles.lookup().unreflect(m);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "BouncyCastle Ed25519."
              + name
              + "(Digest, ...) is not usable ("
              + e
              + "); signing with the public Ed25519.sign (slower, same signatures)");
      return null;
    }
    String mismatch = selfTest(mh);
    if (mismatch != null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "BouncyCastle Ed25519."
              + name
              + "(Digest, ...) "
              + mismatch
              + "; signing with the public Ed25519.sign (slower, same signatures)");
      return null;
    }
    return mh;
  }

  /**
   * null if {@code mh} signs exactly like the public API; else what went wrong (no key material).
   */
  static String selfTest(MethodHandle mh) {
    byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = (byte) (31 * i + 7);
    }
    byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, pub, 0);
    byte[] msg = new byte[300];
    for (int i = 0; i < msg.length; i++) {
      msg[i] = (byte) (i * i);
    }
    byte[] expanded = expand(seed);
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    try {
      mh.invokeExact(
          (Digest) new JdkSha512Digest(),
          expanded.clone(),
          prunedScalar(expanded),
          pub,
          0,
          (byte[]) null,
          (byte) 0,
          msg,
          3,
          290,
          sig,
          0);
    } catch (Throwable t) {
      return "failed its self-test (" + t + ")";
    }
    if (!Arrays.equals(sig, signPortable(seed, pub, msg, 3, 290))) {
      return "produced a signature different from Ed25519.sign in its self-test";
    }
    return null;
  }
}
