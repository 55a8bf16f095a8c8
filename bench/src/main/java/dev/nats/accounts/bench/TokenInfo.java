package dev.nats.accounts.bench;

import dev.nats.accounts.jwt.JwtEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Prints one benchmark token and its sizes in the same key=value form as the Go harness, so the run
 * script can show both token lengths and let the Go library decode and validate the Java token.
 */
public final class TokenInfo {

  private TokenInfo() {}

  public static void main(String[] args) {
    String token =
        JwtEncoder.encode(
            BenchClaims.claims(), BenchClaims.signer(), System.currentTimeMillis() / 1000);
    String payload =
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    if (args.length > 0 && args[0].equals("--print")) {
      System.out.println(token);
      System.out.println(payload);
      return;
    }
    System.out.println(
        "java_token_len=" + token.length() + " java_payload_json_len=" + payload.length());
    System.out.println("java_signing=" + signingPath());
    System.out.println("java_token=" + token);
  }

  /**
   * Which Ed25519 path the library took: the JDK-SHA-512 one through BouncyCastle's private
   * implSign, or the public Ed25519.sign fallback (another BouncyCastle). The figures mean
   * different things.
   */
  private static String signingPath() {
    try {
      java.lang.reflect.Method m =
          Class.forName("dev.nats.accounts.jwt.Ed25519Signer")
              .getDeclaredMethod("fastPathAvailable");
      m.setAccessible(true);
      return (Boolean) m.invoke(null) ? "jdk-sha512+bc-implSign" : "bc-public-sign (fallback)";
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "unknown (" + e + ")";
    }
  }
}
