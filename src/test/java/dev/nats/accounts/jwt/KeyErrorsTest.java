package dev.nats.accounts.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad keys give a clear message that never contains the seed text. */
class KeyErrorsTest {
  private static final String USER_SEED = KeyPair.create(KeyType.USER).seed();

  static String flipLast(String s) {
    char c = s.charAt(s.length() - 1);
    return s.substring(0, s.length() - 1) + (c == 'A' ? 'B' : 'A');
  }

  static String flipMiddle(String s) {
    int i = s.length() / 2;
    return s.substring(0, i) + (s.charAt(i) == 'A' ? 'B' : 'A') + s.substring(i + 1);
  }

  static Stream<Arguments> badSeeds() {
    return Stream.of(
        Arguments.of(flipMiddle(USER_SEED), "seed has a bad checksum (mistyped or truncated?)"),
        Arguments.of(USER_SEED.substring(0, 57), "seed must be 58 characters, got 57"),
        Arguments.of(USER_SEED.toLowerCase(), "seed is not valid base32"),
        Arguments.of("", "seed is empty"),
        Arguments.of(
            KeyPair.create(KeyType.USER).publicKey() + "AB",
            "not a seed (it does not start with 'S')"));
  }

  @ParameterizedTest
  @MethodSource("badSeeds")
  void badSeed(String seed, String message) {
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> KeyPair.fromSeed(seed));
    assertEquals(message, e.getMessage());
    if (seed.length() > 10) {
      assertFalse(e.getMessage().contains(seed.substring(2, 12)));
    }
  }

  @ParameterizedTest
  @MethodSource("badSeeds")
  void badSeedInCredsNeverEchoed(String seed, String message) {
    String creds =
        "-----BEGIN NATS USER JWT-----\na.b.c\n------END NATS USER JWT------\n\n"
            + "-----BEGIN USER NKEY SEED-----\n"
            + (seed.isEmpty() ? "X" : seed)
            + "\n------END USER NKEY SEED------\n";
    JwtException e = assertThrows(JwtException.class, () -> Creds.parse(creds));
    if (seed.length() > 10) {
      assertFalse(e.getMessage().contains(seed.substring(2, 12)), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("wrongType")
  void wrongTypeSeed(KeyType actual, KeyType expected, String message) {
    String seed = KeyPair.create(actual).seed();
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> KeyPair.fromSeed(seed, expected));
    assertEquals(message, e.getMessage());
  }

  static Stream<Arguments> wrongType() {
    return Stream.of(
        Arguments.of(KeyType.ACCOUNT, KeyType.USER, "expected a user seed but got an account seed"),
        Arguments.of(
            KeyType.USER, KeyType.OPERATOR, "expected an operator seed but got a user seed"));
  }

  static Stream<Arguments> badPublicKeys() {
    String pub = KeyPair.create(KeyType.ACCOUNT).publicKey();
    return Stream.of(
        Arguments.of(flipLast(pub), "public nkey has a bad checksum (mistyped or truncated?)"),
        Arguments.of(pub.substring(1), "public nkey must be 56 characters, got 55"),
        Arguments.of("hello", "public nkey must be 56 characters, got 5"),
        Arguments.of(null, "public nkey is empty"),
        Arguments.of("S" + pub.substring(1), "expected a public nkey but got a seed"),
        Arguments.of(pub.toLowerCase(), "public nkey is not valid base32"));
  }

  @ParameterizedTest
  @MethodSource("badPublicKeys")
  void badPublicKey(String pub, String message) {
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> KeyType.ofPublicKey(pub));
    assertEquals(message, e.getMessage());
    assertFalse(KeyType.ACCOUNT.isPublicKey(pub));
  }
}
