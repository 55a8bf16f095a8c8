package dev.nats.accounts.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Deterministic keys (seed bytes filled with one value) so expected JSON can be written down. */
final class TestKeys {
  static final KeyPair OPERATOR = fixed(KeyType.OPERATOR, 1);
  static final KeyPair OPERATOR_SK = fixed(KeyType.OPERATOR, 2);
  static final KeyPair ACCOUNT = fixed(KeyType.ACCOUNT, 3);
  static final KeyPair ACCOUNT_SK = fixed(KeyType.ACCOUNT, 4);
  static final KeyPair ACCOUNT_B = fixed(KeyType.ACCOUNT, 5);
  static final KeyPair ACCOUNT_C = fixed(KeyType.ACCOUNT, 6);
  static final KeyPair USER = fixed(KeyType.USER, 7);
  static final KeyPair SYS = fixed(KeyType.ACCOUNT, 8);
  static final ObjectMapper MAPPER = new ObjectMapper();

  private TestKeys() {}

  static KeyPair fixed(KeyType type, int fill) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) fill);
    return KeyPair.fromSeed(NKeys.encodeSeed(type, seed));
  }

  static String payloadJson(String jwt) {
    return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
  }

  static JsonNode payload(String jwt) {
    try {
      return MAPPER.readTree(payloadJson(jwt));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
