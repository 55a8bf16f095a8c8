package dev.nats.accounts.logging;

import java.util.regex.Pattern;

/**
 * The shape of an NKey seed (S, the type's prefix letter, 56 base32 characters). The code never
 * logs one on purpose; this is the second line of defence for the one a library or an exception
 * message might carry.
 */
public final class Seeds {
  public static final Pattern PATTERN = Pattern.compile("S[OAUNCPX][A-Z2-7]{56}");
  public static final String MASK = "<seed redacted>";

  private Seeds() {}

  public static String mask(String text) {
    return text == null ? null : PATTERN.matcher(text).replaceAll(MASK);
  }
}
