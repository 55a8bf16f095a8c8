package dev.nats.accounts.jwt;

/**
 * NATS subject rules, token-wise: {@code *} matches exactly one token, a trailing {@code >} matches
 * one or more. Stricter than jwt v2.3.0 (which only rejects empty subjects and spaces) because the
 * server separately refuses to wire exports/imports on subjects it does not consider valid.
 */
public final class Subjects {
  private Subjects() {}

  /**
   * Non-empty, no whitespace, no empty tokens (leading/trailing/double dots), {@code >} only as
   * last token.
   */
  public static boolean isValid(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    int tokenStart = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '.') {
        if (i == tokenStart) {
          return false;
        }
        if (i - tokenStart == 1 && s.charAt(tokenStart) == '>' && i != s.length()) {
          return false;
        }
        tokenStart = i + 1;
      } else {
        char c = s.charAt(i);
        // printable ASCII is never whitespace; only the rest needs the Unicode table
        if ((c <= ' ' || c >= 0x7F) && Character.isWhitespace(c)) {
          return false;
        }
      }
    }
    return true;
  }

  /** True if some token is exactly {@code *} or {@code >}. */
  public static boolean hasWildcard(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c == '*' || c == '>') && isWholeToken(s, i)) {
        return true;
      }
    }
    return false;
  }

  /** Number of {@code *} tokens. */
  public static int countStars(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '*' && isWholeToken(s, i)) {
        n++;
      }
    }
    return n;
  }

  /** The one character at {@code i} is a token by itself (dots or the ends on both sides). */
  private static boolean isWholeToken(String s, int i) {
    return (i == 0 || s.charAt(i - 1) == '.') && (i == s.length() - 1 || s.charAt(i + 1) == '.');
  }

  /** True if {@code s} ends in a {@code >} token. */
  public static boolean endsWithFullWildcard(String s) {
    return s.equals(">") || s.endsWith(".>");
  }

  /** True if every subject matched by {@code inner} is also matched by {@code outer}. */
  public static boolean contains(String outer, String inner) {
    String[] o = tokens(outer);
    String[] in = tokens(inner);
    for (int i = 0; i < o.length; i++) {
      if (o[i].equals(">") && i == o.length - 1) {
        return in.length > i;
      }
      if (i >= in.length || in[i].equals(">")) {
        return false;
      }
      if (!o[i].equals("*") && (in[i].equals("*") || !o[i].equals(in[i]))) {
        return false;
      }
    }
    return in.length == o.length;
  }

  /** True if at least one concrete subject is matched by both. */
  public static boolean overlaps(String a, String b) {
    String[] x = tokens(a);
    String[] y = tokens(b);
    for (int i = 0; i < x.length && i < y.length; i++) {
      if (x[i].equals(">") || y[i].equals(">")) {
        return true;
      }
      if (!x[i].equals("*") && !y[i].equals("*") && !x[i].equals(y[i])) {
        return false;
      }
    }
    return x.length == y.length;
  }

  /**
   * jwt v2.3.0's {@code Subject.IsContainedIn}, kept verbatim in behaviour (it lets a {@code >} in
   * {@code inner} match a {@code *} in {@code outer}) because the server's blocking overlap checks
   * use it.
   */
  public static boolean goContainedIn(String inner, String outer) {
    return goContainedIn(tokens(inner), tokens(outer));
  }

  /** Token-array form of {@link #goContainedIn(String, String)} for the O(n²) overlap checks. */
  static boolean goContainedIn(String[] in, String[] o) {
    if (in.length > o.length && !o[o.length - 1].equals(">")) {
      return false;
    }
    if (in.length < o.length) {
      return false;
    }
    for (int i = 0; i < o.length; i++) {
      if (i == o.length - 1 && o[i].equals(">")) {
        return true;
      }
      if (!o[i].equals(in[i]) && !o[i].equals("*")) {
        return false;
      }
    }
    return true;
  }

  static String[] tokens(String s) {
    int n = 1;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '.') {
        n++;
      }
    }
    String[] out = new String[n];
    int start = 0;
    int k = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '.') {
        out[k++] = s.substring(start, i);
        start = i + 1;
      }
    }
    out[k] = s.substring(start);
    return out;
  }
}
