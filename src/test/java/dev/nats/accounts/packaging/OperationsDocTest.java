package dev.nats.accounts.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nats.accounts.app.ExitCode;
import dev.nats.accounts.app.RunSettings;
import dev.nats.accounts.app.Setting;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md, deploy/ and the chart describe the settings and exit codes the code has: a
 * setting added to {@link Setting#ALL} without a row in the doc, or an environment variable in a
 * manifest that run does not read (a typo there is silently ignored in a cluster), fails here.
 */
class OperationsDocTest {
  static String doc() throws IOException {
    return Files.readString(Crds.projectRoot().resolve("docs/operations.md"));
  }

  @Test
  void everySettingHasItsRowWithVariableFlagDefaultAndMeaning() throws IOException {
    String doc = doc();
    for (Setting s : Setting.ALL) {
      String row =
          "| `"
              + s.env()
              + "` | `"
              + s.flag()
              + "` | "
              + s.defaultValue()
              + " | "
              + s.meaning()
              + " |";
      assertTrue(doc.contains(row), "docs/operations.md lacks the row\n" + row);
    }
  }

  @Test
  void everyExitCodeIsDocumented() throws IOException {
    String doc = doc();
    for (ExitCode c : ExitCode.values()) {
      assertTrue(doc.contains("| " + c.code() + " | " + c.meaning() + " |"), c.name());
    }
  }

  @Test
  void theReadmeListsTheOperationsDoc() throws IOException {
    assertTrue(
        Files.readString(Crds.projectRoot().resolve("README.md")).contains("(docs/operations.md)"));
  }

  @Test
  void theManifestsSetOnlySettingsRunReadsAndTheyParse() throws IOException {
    JsonNode deploy =
        Manifests.documents(Crds.projectRoot().resolve("deploy/deployment.yaml")).get(0);
    JsonNode chart = HelmChartTest.renderDefaults().one("Deployment");
    Set<String> known = Setting.ALL.stream().map(Setting::env).collect(Collectors.toSet());
    for (JsonNode d : List.of(deploy, chart)) {
      JsonNode pod = d.path("spec").path("template").path("spec");
      Map<String, String> env = new HashMap<>();
      for (JsonNode e : pod.path("containers").path(0).path("env")) {
        String name = e.path("name").asText();
        assertTrue(known.contains(name), name + " is set but run reads no such variable");
        env.put(name, e.has("valueFrom") ? "pod-namespace" : e.path("value").asText());
      }
      RunSettings settings = RunSettings.parse(List.of(), env);
      Duration grace = Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong());
      assertTrue(
          grace.compareTo(settings.operator().shutdownTimeout().plusSeconds(10)) >= 0,
          "terminationGracePeriodSeconds "
              + grace
              + " leaves a stop of "
              + settings.operator().shutdownTimeout()
              + " too little time to release the Lease");
      assertEquals(
          "/readyz",
          pod.path("containers")
              .path(0)
              .path("readinessProbe")
              .path("httpGet")
              .path("path")
              .asText());
      assertEquals(
          "/healthz",
          pod.path("containers")
              .path(0)
              .path("livenessProbe")
              .path("httpGet")
              .path("path")
              .asText());
    }
  }
}
