package dev.nats.accounts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nats.accounts.api.v1alpha1.ApiPatterns;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "0, PT0S",
    "5s, PT5S",
    "2s, PT2S",
    "500ms, PT0.5S",
    "1h30m, PT1H30M",
    "720h, PT720H",
    "8760h, PT8760H",
    "1.5h, PT1H30M",
    "1m0.5s, PT1M0.5S",
    "100us, PT0.0001S",
    "100µs, PT0.0001S",
    "1ns, PT0.000000001S",
    "1h1m1s1ms1us1ns, PT1H1M1.001001001S"
  })
  void parsesGoDurations(String text, String isoExpected) {
    assertEquals(Duration.parse(isoExpected), Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "-5s", "1d", "1 h", "h", "1h-30m", "1.s.", "5S", "3000000h"})
  void refusesWhatGoRefusesOrWeDoNotAllow(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
  }

  /**
   * Everything the schema pattern admits must parse (the reverse need not hold: µs is parser-only).
   */
  @ParameterizedTest
  @ValueSource(strings = {"0", "5s", "1h30m", "500ms", "720h", "1.5h", "100us", "1h1m1s1ms1us1ns"})
  void schemaPatternAdmitsOnlyParsableDurations(String text) {
    assertEquals(true, text.matches(ApiPatterns.DURATION), text);
    Durations.parse(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "-5s", "1d", "1 h", "5S"})
  void schemaPatternRefusesMalformedDurations(String text) {
    assertEquals(false, text.matches(ApiPatterns.DURATION), text);
  }
}
