package dev.nats.accounts.jwt;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NATS user credentials file (JWT + seed) as Go's {@code FormatUserConfig} and jnats write it.
 */
public final class Creds {
  private static final String STARS = "*************************";

  /** Like the Go parser: 3+ dashes around a label, the value on its own line, \n or \r\n. */
  private static final Pattern SECTION =
      Pattern.compile(
          "\\s*-{3,}[^\\r\\n]*-{3,}\\r?\\n([\\w\\-.=]+)\\r?\\n\\s*-{3,}[^\\r\\n]*-{3,}(\\r?\\n|\\z)");

  private Creds() {}

  /** The credentials file text, byte-exact to the reference format (trailing newline included). */
  public static String format(String userJwt, String userSeed) {
    if (userJwt == null || userJwt.isBlank()) {
      throw new JwtException("user JWT is required for a creds file");
    }
    KeyPair.fromSeed(userSeed, KeyType.USER); // validates without echoing the seed
    return "-----BEGIN NATS USER JWT-----\n"
        + userJwt
        + "\n"
        + "------END NATS USER JWT------\n"
        + "\n"
        + STARS
        + " IMPORTANT "
        + STARS
        + "\n"
        + "NKEY Seed printed below can be used to sign and prove identity.\n"
        + "NKEYs are sensitive and should be treated as secrets.\n"
        + "\n"
        + "-----BEGIN USER NKEY SEED-----\n"
        + userSeed
        + "\n"
        + "------END USER NKEY SEED------\n"
        + "\n"
        + "*".repeat(61)
        + "\n";
  }

  /**
   * Extracts JWT and seed. The seed must be a valid user seed.
   *
   * @throws JwtException naming the missing/broken part; never contains the seed
   */
  public static Parsed parse(String text) {
    if (text == null) {
      throw new JwtException("creds text is null");
    }
    Matcher m = SECTION.matcher(text);
    if (!m.find()) {
      throw new JwtException("creds file has no JWT section");
    }
    String jwt = m.group(1);
    if (!m.find()) {
      throw new JwtException("creds file has no seed section");
    }
    String seed = m.group(1);
    KeyPair.fromSeed(seed, KeyType.USER);
    return new Parsed(jwt, seed);
  }

  /** Parsed creds; {@link #toString()} leaves the seed out. */
  public record Parsed(String jwt, String seed) {
    public KeyPair keyPair() {
      return KeyPair.fromSeed(seed);
    }

    @Override
    public String toString() {
      return "Creds.Parsed[jwt=" + jwt + ", seed=<hidden>]";
    }
  }
}
