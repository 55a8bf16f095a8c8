package dev.nats.accounts.jwt;

/**
 * The nkey roles NATS knows. The prefix byte is what makes the first character of a public key
 * ({@code O}, {@code A}, {@code U}, {@code N}, {@code C}) and, folded into two bytes, the second
 * character of a seed ({@code SO}, {@code SA}, ...).
 */
public enum KeyType {
  OPERATOR(14 << 3, 'O'),
  ACCOUNT(0, 'A'),
  USER(20 << 3, 'U'),
  SERVER(13 << 3, 'N'),
  CLUSTER(2 << 3, 'C');

  private final int prefixByte;
  private final char prefixChar;

  KeyType(int prefixByte, char prefixChar) {
    this.prefixByte = prefixByte;
    this.prefixChar = prefixChar;
  }

  /** The raw nkeys prefix byte (e.g. 112 for operators). */
  public int prefixByte() {
    return prefixByte;
  }

  /** The first character of a public key of this type. */
  public char prefixChar() {
    return prefixChar;
  }

  /** "an operator", "a user": for messages. */
  String describe() {
    String n = name().toLowerCase();
    return (this == OPERATOR || this == ACCOUNT ? "an " : "a ") + n;
  }

  static KeyType ofPrefixByte(int b) {
    for (KeyType t : values()) {
      if (t.prefixByte == b) {
        return t;
      }
    }
    return null;
  }

  /**
   * The type of a public nkey, after checking length, base32 alphabet, CRC16 and prefix.
   *
   * @throws InvalidKeyException if {@code pub} is not a valid public nkey
   */
  public static KeyType ofPublicKey(String pub) {
    return NKeys.decodePublic(pub).type();
  }

  /** True when {@code pub} is a valid public nkey of exactly this type; never throws. */
  public boolean isPublicKey(String pub) {
    return NKeys.isValidPublic(pub, this);
  }
}
