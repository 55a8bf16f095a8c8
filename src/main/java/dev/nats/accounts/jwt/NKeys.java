package dev.nats.accounts.jwt;

import java.util.Arrays;

/**
 * The nkeys text encoding: RFC 4648 base32 without padding over prefix byte(s) + key +
 * CRC-16/XMODEM (little-endian). Written here rather than borrowed from jnats so that the signer
 * can work on raw 32-byte keys without jnats' 64-byte seed form and char[] conversions.
 */
final class NKeys {
  static final int SEED_PREFIX = 18 << 3; // 'S'
  static final int PUBLIC_KEY_CHARS = 56;
  static final int SEED_CHARS = 58;

  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final int[] DECODE = new int[128];

  static {
    Arrays.fill(DECODE, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DECODE[ALPHABET[i]] = i;
    }
  }

  private NKeys() {}

  record Decoded(KeyType type, byte[] key) {}

  static String encodePublic(KeyType type, byte[] pub32) {
    byte[] raw = new byte[35];
    raw[0] = (byte) type.prefixByte();
    System.arraycopy(pub32, 0, raw, 1, 32);
    appendCrc(raw, 33);
    return base32(raw);
  }

  static String encodeSeed(KeyType type, byte[] seed32) {
    byte[] raw = new byte[36];
    raw[0] = (byte) (SEED_PREFIX | (type.prefixByte() >> 5));
    raw[1] = (byte) ((type.prefixByte() & 0x1F) << 3);
    System.arraycopy(seed32, 0, raw, 2, 32);
    appendCrc(raw, 34);
    String s = base32(raw);
    Arrays.fill(raw, (byte) 0);
    return s;
  }

  static Decoded decodePublic(String pub) {
    if (pub == null || pub.isEmpty()) {
      throw new InvalidKeyException("public nkey is empty");
    }
    if (pub.length() != PUBLIC_KEY_CHARS) {
      throw new InvalidKeyException(
          "public nkey must be " + PUBLIC_KEY_CHARS + " characters, got " + pub.length());
    }
    if (pub.charAt(0) == 'S') {
      throw new InvalidKeyException("expected a public nkey but got a seed");
    }
    byte[] raw = base32Decode(pub, "public nkey");
    if (raw == null || raw.length != 35) {
      throw new InvalidKeyException("public nkey is not valid base32");
    }
    checkCrc(raw, "public nkey");
    KeyType type = KeyType.ofPrefixByte(raw[0] & 0xFF);
    if (type == null) {
      throw new InvalidKeyException(
          "public nkey has unknown prefix '" + pub.charAt(0) + "' (expected one of O, A, U, N, C)");
    }
    return new Decoded(type, Arrays.copyOfRange(raw, 1, 33));
  }

  static boolean isValidPublic(String pub, KeyType expected) {
    try {
      return decodePublic(pub).type() == expected;
    } catch (InvalidKeyException e) {
      return false;
    }
  }

  /** Decodes a seed; messages never contain the seed text. */
  static Decoded decodeSeed(String seed) {
    if (seed == null || seed.isEmpty()) {
      throw new InvalidKeyException("seed is empty");
    }
    String s = seed.strip();
    if (s.length() != SEED_CHARS) {
      throw new InvalidKeyException(
          "seed must be " + SEED_CHARS + " characters, got " + s.length());
    }
    byte[] raw = base32Decode(s, "seed");
    if (raw == null || raw.length != 36) {
      throw new InvalidKeyException("seed is not valid base32");
    }
    try {
      if ((raw[0] & 0xF8) != SEED_PREFIX) {
        throw new InvalidKeyException("not a seed (it does not start with 'S')");
      }
      checkCrc(raw, "seed");
      int prefix = ((raw[0] & 0x07) << 5) | ((raw[1] & 0xF8) >> 3);
      KeyType type = KeyType.ofPrefixByte(prefix);
      if (type == null) {
        throw new InvalidKeyException("seed has an unknown key type");
      }
      return new Decoded(type, Arrays.copyOfRange(raw, 2, 34));
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  private static void appendCrc(byte[] raw, int len) {
    int crc = crc16(raw, len);
    raw[len] = (byte) crc;
    raw[len + 1] = (byte) (crc >>> 8);
  }

  private static void checkCrc(byte[] raw, String what) {
    int len = raw.length - 2;
    int expected = (raw[len] & 0xFF) | ((raw[len + 1] & 0xFF) << 8);
    if (crc16(raw, len) != expected) {
      throw new InvalidKeyException(what + " has a bad checksum (mistyped or truncated?)");
    }
  }

  /**
   * CRC-16/XMODEM lookup table; key validation runs for every key in every claim, so it is worth
   * it.
   */
  private static final int[] CRC_TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 8;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      CRC_TABLE[i] = crc & 0xFFFF;
    }
  }

  /** CRC-16/XMODEM: polynomial 0x1021, init 0, no reflection, no final xor. */
  static int crc16(byte[] data, int len) {
    int crc = 0;
    for (int i = 0; i < len; i++) {
      crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 8) ^ data[i]) & 0xFF]) & 0xFFFF;
    }
    return crc;
  }

  /** RFC 4648 base32, no padding. */
  static String base32(byte[] data) {
    StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }

  /** Returns null on a character outside the alphabet. */
  static byte[] base32Decode(String s, String what) {
    byte[] out = new byte[s.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int pos = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int v = c < 128 ? DECODE[c] : -1;
      if (v < 0) {
        return null;
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        if (pos < out.length) {
          out[pos++] = (byte) (buffer >>> (bits - 8));
        }
        bits -= 8;
      }
    }
    return out;
  }
}
