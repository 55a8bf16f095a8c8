package dev.nats.accounts.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "a|true",
        "a.b.c|true",
        "a.*.c|true",
        "a.>|true",
        ">|true",
        "*|true",
        "a*b.c|true",
        "$SYS.REQ|true",
        "''|false",
        "NULL|false",
        "a b|false",
        "a\tb|false",
        "a\u2003b|false",
        "a\u001Fb|false",
        "a\u00A0b|true",
        "a\u007Fb|true",
        ".a|false",
        "a.|false",
        "a..b|false",
        "a.>.b|false",
        ">.a|false"
      })
  void validity(String s, boolean valid) {
    assertEquals(valid, Subjects.isValid(s));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a.>|a.b|true", "a.>|a.b.c|true", "a.>|a|false", "a.*|a.b|true", "a.*|a.b.c|false",
            "a.*|a.*|true",
        "a.b|a.*|false", "a.*|a.>|false", ">|x|true", "*|x.y|false", "a.b|a.b|true",
            "a.b|a.c|false",
        "priv.>|priv.help|true", "priv.help|priv.>|false"
      })
  void contains(String outer, String inner, boolean expected) {
    assertEquals(expected, Subjects.contains(outer, inner));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a.b|a.b|true",
        "a.*|*.b|true",
        "a.b|a.c|false",
        "a.>|a|false",
        "a.>|a.b.c|true",
        "*.a|b.*|true",
        "a.b.c|a.b|false",
        ">|x|true",
        "a.*|a.b.c|false"
      })
  void overlaps(String a, String b, boolean expected) {
    assertEquals(expected, Subjects.overlaps(a, b));
    assertEquals(expected, Subjects.overlaps(b, a));
  }

  /**
   * jwt v2.3.0 quirk kept for the blocking overlap checks: a > in the inner subject matches a * in
   * the outer.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"a.>|a.*|true", "a.b|a.*|true", "a|a.*|false", "a.b.c|a.>|true", "a.b|a.b|true"})
  void goContainedIn(String inner, String outer, boolean expected) {
    assertEquals(expected, Subjects.goContainedIn(inner, outer));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a|false|0",
        "a.*|true|1",
        "*.*.>|true|2",
        "a.>|true|0",
        "a*|false|0",
        "*|true|1",
        ">|true|0",
        "*a.b|false|0",
        "a.>b|false|0",
        "**.*|true|1",
        ".*.|true|1"
      })
  void wildcards(String s, boolean has, int stars) {
    assertEquals(has, Subjects.hasWildcard(s));
    assertEquals(stars, Subjects.countStars(s));
  }

  /**
   * The scanning versions of isValid/hasWildcard/countStars (no substrings) agree with their
   * definitions written token by token, on random strings over the characters that matter.
   */
  @Test
  void scanningAgreesWithTokenDefinitions() {
    char[] alphabet = {
      'a', 'b', '*', '>', '.', '.', '$', '1', ' ', '\t', '\u2003', '\u00A0', '\u001C'
    };
    Random r = new Random(7);
    for (int n = 0; n < 50_000; n++) {
      StringBuilder sb = new StringBuilder();
      for (int len = 1 + r.nextInt(9); sb.length() < len; ) {
        sb.append(alphabet[r.nextInt(alphabet.length)]);
      }
      String s = sb.toString();
      String[] tokens = s.split("\\.", -1);
      boolean valid = true;
      boolean wild = false;
      int stars = 0;
      for (int i = 0; i < tokens.length; i++) {
        String t = tokens[i];
        valid &=
            !t.isEmpty()
                && !(t.equals(">") && i < tokens.length - 1)
                && t.chars().noneMatch(Character::isWhitespace);
        wild |= t.equals("*") || t.equals(">");
        stars += t.equals("*") ? 1 : 0;
      }
      assertEquals(valid, Subjects.isValid(s), s);
      assertEquals(wild, Subjects.hasWildcard(s), s);
      assertEquals(stars, Subjects.countStars(s), s);
    }
  }
}
