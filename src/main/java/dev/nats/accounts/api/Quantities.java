package dev.nats.accounts.api;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the byte sizes of the API (limits such as {@code data}, {@code payload}, JetStream
 * storage), which users may write as plain integers or as Kubernetes quantities ("10Mi", "1G");
 * {@code -1} means unlimited, as in the NATS JWT. The CRD schema already refuses malformed strings;
 * this is the second line, for values that reach the operator some other way and for turning
 * accepted strings into the integers the JWT needs.
 *
 * <p>Fractional results are rounded up to whole bytes, as Kubernetes does for {@code
 * Quantity.Value()}. The fields are fabric8 {@link Quantity} rather than {@code IntOrString}:
 * {@code IntOrString} cannot hold an integer above 2^31, so {@code diskStorage: 10737418240} would
 * make the whole resource unreadable.
 */
public final class Quantities {
  /** The JWT's "no limit". */
  public static final long UNLIMITED = -1;

  private static final Pattern QUANTITY =
      Pattern.compile(
          "\\+?([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE]\\+?([0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E))?");
  private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private Quantities() {}

  /**
   * The number of bytes a quantity string denotes, or {@link #UNLIMITED} for "-1".
   *
   * @throws IllegalArgumentException if the string is not -1 or a non-negative quantity, or exceeds
   *     a long
   */
  public static long bytes(String quantity) {
    if (quantity == null) {
      throw new IllegalArgumentException("size is missing");
    }
    String s = quantity.trim();
    if (s.equals("-1")) {
      return UNLIMITED;
    }
    Matcher m = QUANTITY.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size \""
              + quantity
              + "\": expected -1 or a quantity such as 1048576, 10Mi or 1G");
    }
    BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
    BigDecimal value;
    if (m.group(2) != null) {
      int exponent;
      try {
        exponent = Integer.parseInt(m.group(2));
      } catch (NumberFormatException e) {
        throw tooLarge(quantity);
      }
      if (exponent > 40) {
        throw tooLarge(quantity);
      }
      value = number.scaleByPowerOfTen(exponent);
    } else if (m.group(3) != null) {
      value = number.multiply(new BigDecimal(multiplier(m.group(3))));
    } else {
      value = number;
    }
    value = value.setScale(0, RoundingMode.CEILING);
    if (value.compareTo(MAX) > 0) {
      throw tooLarge(quantity);
    }
    return value.longValueExact();
  }

  /**
   * The number of bytes of a size field, {@code ifAbsent} when it is not set.
   *
   * @throws IllegalArgumentException if the value is not -1 or a non-negative quantity
   */
  public static long bytes(Quantity value, long ifAbsent) {
    if (value == null || value.getAmount() == null) {
      return ifAbsent;
    }
    String format = value.getFormat() == null ? "" : value.getFormat();
    return bytes(value.getAmount() + format);
  }

  private static BigInteger multiplier(String suffix) {
    return switch (suffix) {
      case "Ki" -> BigInteger.ONE.shiftLeft(10);
      case "Mi" -> BigInteger.ONE.shiftLeft(20);
      case "Gi" -> BigInteger.ONE.shiftLeft(30);
      case "Ti" -> BigInteger.ONE.shiftLeft(40);
      case "Pi" -> BigInteger.ONE.shiftLeft(50);
      case "Ei" -> BigInteger.ONE.shiftLeft(60);
      case "k" -> BigInteger.TEN.pow(3);
      case "M" -> BigInteger.TEN.pow(6);
      case "G" -> BigInteger.TEN.pow(9);
      case "T" -> BigInteger.TEN.pow(12);
      case "P" -> BigInteger.TEN.pow(15);
      case "E" -> BigInteger.TEN.pow(18);
      default -> throw new IllegalArgumentException("unknown suffix " + suffix);
    };
  }

  private static IllegalArgumentException tooLarge(String quantity) {
    return new IllegalArgumentException(
        "size \"" + quantity + "\" is too large (more than " + Long.MAX_VALUE + " bytes)");
  }
}
