package dev.nats.accounts.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations of the API ({@code responseThreshold}, {@code expiresAfter}, {@code ttl}, …),
 * written in Go's {@code time.ParseDuration} format ("2s", "1h30m", "500ms", "1.5h", "720h")
 * because that is what NATS users know from nsc and nats-server. Negative durations are refused:
 * none of the fields means anything negative. Fractions below a nanosecond are truncated, as Go
 * does.
 */
public final class Durations {
  private static final Pattern ELEMENT =
      Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)");

  /** Go's limit: a time.Duration is an int64 of nanoseconds. */
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private Durations() {}

  /**
   * The duration a Go duration string denotes.
   *
   * @throws IllegalArgumentException if it is malformed, negative, or longer than Go can represent
   *     (about 292 years)
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("duration is missing");
    }
    String s = text.startsWith("+") ? text.substring(1) : text;
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = ELEMENT.matcher(s);
    int pos = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw invalid(text);
      }
      BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
      nanos = nanos.add(number.multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
      pos = m.end();
    }
    BigInteger whole = nanos.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    if (whole.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("duration \"" + text + "\" is too long");
    }
    return Duration.ofNanos(whole.longValueExact());
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "invalid duration \""
            + text
            + "\": expected a Go duration such as 500ms, 5s, 1h30m or 720h");
  }
}
