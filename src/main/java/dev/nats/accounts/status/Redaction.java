package dev.nats.accounts.status;

import java.util.regex.Pattern;

/**
 * Removes NKey seeds from text bound for status, Events and logs. Messages of our own code never
 * name a seed, but the message of an unexpected exception is not ours: a library may echo the input
 * it choked on, and that input can be a key Secret. Status and Events are readable by far more
 * people than key Secrets.
 */
public final class Redaction {
  /** An encoded seed: 'S', the key-type prefix, 56 more base32 characters. */
  private static final Pattern SEED =
      Pattern.compile("(?<![A-Z2-7])S[OAUNCPX][A-Z2-7]{56}(?![A-Z2-7])");

  private Redaction() {}

  public static String withoutSeeds(String text) {
    return text == null ? null : SEED.matcher(text).replaceAll("S<seed redacted>");
  }
}
