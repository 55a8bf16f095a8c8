package dev.nats.accounts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.api.v1alpha1.ApiPatterns;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @ParameterizedTest
  @CsvSource({
    "-1, -1",
    "0, 0",
    "1048576, 1048576",
    "10Mi, 10485760",
    "1Gi, 1073741824",
    "10Gi, 10737418240",
    "1Ki, 1024",
    "1k, 1000",
    "1M, 1000000",
    "1G, 1000000000",
    "2T, 2000000000000",
    "1.5Gi, 1610612736",
    "0.5Ki, 512",
    "1e3, 1000",
    "1E6, 1000000",
    "+5, 5",
    "0.1, 1", // rounded up to a whole byte, like Kubernetes Quantity.Value()
    "1.2k, 1200",
    "7Ei, 8070450532247928832"
  })
  void parsesQuantityStrings(String text, long expected) {
    assertEquals(expected, Quantities.bytes(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "-2", "-1Mi", "10MB", "10mi", "1m", "abc", "1 Mi", "Mi", "1.2.3", "8Ei", "1e40", "1e400"
      })
  void refusesInvalidOrOversizedStrings(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Quantities.bytes(text));
    assertEquals(true, e.getMessage().contains(text), e.getMessage());
  }

  /** The parser and the schema pattern must agree on what a valid string is. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "-1", "0", "10Mi", "1.5Gi", "1e3", "+5", ".5Ki", "1k", "-2", "10MB", "1m", "", "1 Mi"
      })
  void parserAgreesWithSchemaPattern(String text) {
    boolean schemaAccepts = text.matches(ApiPatterns.QUANTITY);
    boolean parserAccepts;
    try {
      Quantities.bytes(text);
      parserAccepts = true;
    } catch (IllegalArgumentException e) {
      parserAccepts = false;
    }
    assertEquals(schemaAccepts, parserAccepts, text);
  }

  @Test
  void readsQuantityFieldsAsUsersWriteThem() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertEquals(-1, Quantities.bytes(json.readValue("-1", Quantity.class), 0));
    assertEquals(4096, Quantities.bytes(json.readValue("4096", Quantity.class), 0));
    assertEquals(10737418240L, Quantities.bytes(json.readValue("10737418240", Quantity.class), 0));
    assertEquals(10485760, Quantities.bytes(json.readValue("\"10Mi\"", Quantity.class), 0));
    assertEquals(1000, Quantities.bytes(json.readValue("\"1e3\"", Quantity.class), 0));
    assertEquals(1610612736, Quantities.bytes(new Quantity("1.5Gi"), 0));
  }

  @Test
  void absentValueGivesTheCallersDefault() {
    assertEquals(-1, Quantities.bytes(null, Quantities.UNLIMITED));
    assertEquals(7, Quantities.bytes(new Quantity(), 7));
  }

  @Test
  void refusesMalformedQuantityObjects() {
    assertThrows(IllegalArgumentException.class, () -> Quantities.bytes(new Quantity("-5"), 0));
    assertThrows(IllegalArgumentException.class, () -> Quantities.bytes(new Quantity("abc"), 0));
  }
}
