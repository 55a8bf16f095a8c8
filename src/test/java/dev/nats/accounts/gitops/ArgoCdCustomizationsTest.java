package dev.nats.accounts.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nats.accounts.testing.Cli;
import dev.nats.accounts.testing.GeneratedFiles;
import dev.nats.accounts.testing.TestBed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Argo CD health customizations users copy: docs/argocd/argocd-cm.yaml (a patch of argocd-cm)
 * and docs/argocd/values-argo-cd.yaml (the argo-cd Helm chart's configs.cm) are generated from
 * docs/argocd/health.lua, one key per kind, so the three cannot drift. The script itself is judged
 * by gopher-lua on objects of a real run in {@code GitOpsHealthApiServerTest}; here it also runs on
 * condition shapes that run does not produce (Stalled, Reconciling, no Ready condition, no
 * observedGeneration, a failure without a message).
 */
class ArgoCdCustomizationsTest {
  static final List<String> KINDS =
      List.of(
          "Operator",
          "Account",
          "User",
          "ServiceExport",
          "StreamExport",
          "ServiceImport",
          "StreamImport");
  static final String SCRIPT = "docs/argocd/health.lua";

  @TempDir Path dir;

  static String key(String kind) {
    return "resource.customizations.health.accounts.nats.dev_" + kind;
  }

  static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      sb.append(line.isEmpty() ? "" : pad + line).append('\n');
    }
    return sb.toString().replaceAll("\n+$", "\n");
  }

  static String argocdCm(String script) {
    StringBuilder sb =
        new StringBuilder(
            """
        # Generated from docs/argocd/health.lua by scripts/update-docs (ArgoCdCustomizationsTest); do not edit.
        # Argo CD health checks for the seven kinds of accounts.nats.dev, as a patch of the argocd-cm ConfigMap:
        #   kubectl -n argocd patch configmap argocd-cm --patch-file docs/argocd/argocd-cm.yaml
        data:
        """);
    for (String kind : KINDS) {
      sb.append("  ").append(key(kind)).append(": |\n").append(indent(script, 4));
    }
    return sb.toString();
  }

  static String helmValues(String script) {
    StringBuilder sb =
        new StringBuilder(
            """
        # Generated from docs/argocd/health.lua by scripts/update-docs (ArgoCdCustomizationsTest); do not edit.
        # Argo CD health checks for the seven kinds of accounts.nats.dev, as values of the argo-cd Helm chart
        # (argo/argo-cd): merge into your values, e.g. helm upgrade argocd argo/argo-cd -f docs/argocd/values-argo-cd.yaml
        configs:
          cm:
        """);
    for (String kind : KINDS) {
      sb.append("    ").append(key(kind)).append(": |\n").append(indent(script, 6));
    }
    return sb.toString();
  }

  @Test
  void theConfigMapPatchAndTheHelmValuesCarryTheScriptForEveryKind() throws Exception {
    String script = GeneratedFiles.read(SCRIPT);
    GeneratedFiles.check("docs/argocd/argocd-cm.yaml", argocdCm(script));
    GeneratedFiles.check("docs/argocd/values-argo-cd.yaml", helmValues(script));
    // Read back as YAML, every key holds the script byte for byte.
    YAMLMapper yaml = new YAMLMapper();
    JsonNode cm = yaml.readTree(GeneratedFiles.read("docs/argocd/argocd-cm.yaml")).path("data");
    JsonNode values =
        yaml.readTree(GeneratedFiles.read("docs/argocd/values-argo-cd.yaml"))
            .path("configs")
            .path("cm");
    for (String kind : KINDS) {
      assertEquals(script, cm.path(key(kind)).asText(), "argocd-cm " + kind);
      assertEquals(script, values.path(key(kind)).asText(), "values " + kind);
    }
    assertEquals(KINDS.size(), cm.size());
  }

  @Test
  void conditionShapesBeyondTheRealRun() throws Exception {
    String[][] cases = {
      // generation, observedGeneration, conditions JSON, expected status, expected message
      {
        "3",
        "3",
        "[{\"type\":\"Stalled\",\"status\":\"True\",\"reason\":\"InvalidSpec\",\"message\":\"spec.x is wrong\"},"
            + "{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"InvalidSpec\",\"message\":\"spec.x is wrong\"}]",
        "Degraded",
        "InvalidSpec: spec.x is wrong"
      },
      {
        "3",
        "3",
        "[{\"type\":\"Reconciling\",\"status\":\"True\",\"reason\":\"Pending\",\"message\":\"waiting\"},"
            + "{\"type\":\"Ready\",\"status\":\"Unknown\",\"reason\":\"Pending\",\"message\":\"waiting\"}]",
        "Progressing",
        "Pending: waiting"
      },
      {
        "3",
        "3",
        "[{\"type\":\"KeysReady\",\"status\":\"True\",\"reason\":\"KeysFound\",\"message\":\"\"}]",
        "Progressing",
        "Waiting for the Ready condition"
      },
      {"3", null, "[]", "Progressing", "Waiting for the operator to observe generation 3"},
      {
        "3",
        "3",
        "[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"PushFailed\",\"message\":\"\"}]",
        "Degraded",
        "PushFailed"
      },
    };
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < cases.length; i++) {
      String status =
          "{"
              + (cases[i][1] == null ? "" : "\"observedGeneration\":" + cases[i][1] + ",")
              + "\"conditions\":"
              + cases[i][2]
              + "}";
      Path f = dir.resolve("case" + i + ".json");
      Files.writeString(
          f,
          "{\"apiVersion\":\"accounts.nats.dev/v1alpha1\",\"kind\":\"Account\",\"metadata\":"
              + "{\"name\":\"a"
              + i
              + "\",\"namespace\":\"t\",\"generation\":"
              + cases[i][0]
              + "},\"status\":"
              + status
              + "}");
      files.add(f);
    }
    List<Object> args = new ArrayList<>(List.of(GeneratedFiles.projectFile(SCRIPT)));
    args.addAll(files);
    Cli.Result r = Cli.command(TestBed.tool("argocd-health"), args.toArray()).run().assertOk();
    List<String> lines = r.stdout().lines().toList();
    assertEquals(cases.length, lines.size(), r.toString());
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < cases.length; i++) {
      JsonNode n = json.readTree(lines.get(i));
      assertEquals(
          cases[i][3] + " / " + cases[i][4],
          n.path("status").asText() + " / " + n.path("message").asText(),
          "case " + i + ": " + cases[i][2]);
    }
  }
}
