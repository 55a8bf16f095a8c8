package dev.nats.accounts.jwt;

import org.bouncycastle.crypto.digests.SHA512tDigest;

/** SHA-512/256 (FIPS 180-4, not truncated SHA-512) rendered as base32 without padding: 52 characters. */
final class Hashing {
    private Hashing() {
    }

    static String sha512_256Base32(byte[] data, int off, int len) {
        SHA512tDigest d = new SHA512tDigest(256);
        d.update(data, off, len);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return NKeys.base32(out);
    }
}
