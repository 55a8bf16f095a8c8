package dev.nats.accounts.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void defaultsRunTheTutorialForNinetySecondsWithoutOut() {
    DemoOptions o = DemoOptions.parse(List.of());
    assertEquals(DemoOptions.DEFAULT_MANIFESTS, o.manifests());
    assertTrue(o.defaultManifests());
    assertNull(o.out());
    assertFalse(o.keepRunning());
    assertFalse(o.realApiServer(), "the embedded mock is the default");
    assertEquals(Duration.ofSeconds(90), o.timeout());
  }

  @Test
  void everyOption() {
    DemoOptions o =
        DemoOptions.parse(
            List.of(
                "--manifests",
                "/m",
                "--out",
                "/o",
                "--keep-running",
                "--timeout",
                "1m30s",
                "--real-api-server"));
    assertTrue(o.realApiServer());
    assertEquals(Path.of("/m"), o.manifests());
    assertFalse(o.defaultManifests());
    assertEquals(Path.of("/o"), o.out());
    assertTrue(o.keepRunning());
    assertEquals(Duration.ofSeconds(90), o.timeout());
  }

  @Test
  void theTutorialDirSpelledDifferentlyStillCountsAsTheTutorial() {
    assertTrue(
        DemoOptions.parse(List.of("--manifests", "./examples/seed-tutorial/")).defaultManifests());
    assertTrue(
        DemoOptions.parse(
                List.of(
                    "--manifests", Path.of("examples/seed-tutorial").toAbsolutePath().toString()))
            .defaultManifests());
  }

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(1500), DemoOptions.parseDuration("1s500ms"));
    assertEquals(Duration.ofHours(1), DemoOptions.parseDuration("1h"));
    assertEquals(Duration.ofSeconds(45), DemoOptions.parseDuration("PT45S"));
    for (String bad : List.of("", "10", "s", "10x", "1m 30s", "-5s")) {
      DemoOptions.UsageException e =
          assertThrows(DemoOptions.UsageException.class, () -> DemoOptions.parseDuration(bad), bad);
      assertTrue(e.getMessage().contains("--timeout"), e.getMessage());
    }
  }

  @Test
  void usageErrorsSayWhatIsWrong() {
    assertTrue(
        assertThrows(DemoOptions.UsageException.class, () -> DemoOptions.parse(List.of("--bogus")))
            .getMessage()
            .startsWith("unknown option '--bogus'"));
    assertTrue(
        assertThrows(DemoOptions.UsageException.class, () -> DemoOptions.parse(List.of("--out")))
            .getMessage()
            .startsWith("--out needs a value"));
  }
}
