package dev.nats.accounts.apiserver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users run, as they run it: the built kubectl applies deploy/ (kustomize) and the rendered
 * Helm chart with server-side apply in server dry-run mode, so the real API server validates every
 * object we ship.
 */
@Tag("apiserver")
class KubectlApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  @TempDir Path dir;

  @Test
  void deployKustomizationPassesServerSideDryRun() {
    API.namespaces("nats-account-operator");
    String out =
        new Kubectl(dir, API.server().kubeconfig())
            .ok(
                "apply",
                "--server-side",
                "--force-conflicts",
                "--dry-run=server",
                "-k",
                Crds.projectRoot().resolve("deploy").toString());
    for (String expected :
        new String[] {
          "customresourcedefinition.apiextensions.k8s.io/accounts.accounts.nats.dev",
          "clusterrole.rbac.authorization.k8s.io/nats-account-operator",
          "deployment.apps/nats-account-operator",
          "serviceaccount/nats-account-operator"
        }) {
      assertTrue(
          out.contains(expected + " serverside-applied (server dry run)"),
          expected + " in:\n" + out);
    }
  }

  @Test
  void renderedChartPassesServerSideDryRun() throws Exception {
    API.namespaces("nats-system");
    String rendered =
        new Helm(Crds.projectRoot().resolve("charts/nats-account-operator"))
            .template()
            .withName("nao")
            .withNamespace("nats-system")
            .set("serviceMonitor.enabled", "false")
            // What helm install renders on this 1.37 server with the default auto.
            .set("finalizersAtAdmission", "enabled")
            .call();
    Path file = Files.writeString(dir.resolve("chart.yaml"), rendered);
    String out =
        new Kubectl(dir, API.server().kubeconfig())
            .ok(
                "apply",
                "--server-side",
                "--dry-run=server",
                "-n",
                "nats-system",
                "-f",
                file.toString());
    assertTrue(
        out.contains(
                "deployment.apps/nao-nats-account-operator serverside-applied (server dry run)")
            || out.matches(
                "(?s).*deployment\\.apps/\\S+ serverside-applied \\(server dry run\\).*"),
        out);
    assertTrue(
        out.matches(
            "(?s).*clusterrole\\.rbac\\.authorization\\.k8s\\.io/\\S+ serverside-applied.*"),
        out);
    for (String policy :
        new String[] {
          "mutatingadmissionpolicy.admissionregistration.k8s.io/nao-nats-account-operator-finalizers",
          "mutatingadmissionpolicybinding.admissionregistration.k8s.io/nao-nats-account-operator-finalizers",
          "mutatingadmissionpolicybinding.admissionregistration.k8s.io/"
              + "nao-nats-account-operator-operator-finalizers"
        }) {
      assertTrue(
          out.contains(policy + " serverside-applied (server dry run)"), policy + " in:\n" + out);
    }
  }
}
