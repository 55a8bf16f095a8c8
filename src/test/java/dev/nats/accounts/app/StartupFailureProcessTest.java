package dev.nats.accounts.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nats.accounts.testing.ChildJvm;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as a new user starts it, in a JVM of its own: without a cluster it must end in one
 * line on stderr, nothing on stdout, and the exit code of the failure, well before fabric8's
 * retries would have given up.
 */
class StartupFailureProcessTest {
  static final Duration QUICK = Duration.ofSeconds(40);
  @TempDir Path home;

  private static String kubeconfig(String server) {
    return """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: not-a-token}}]
        contexts: [{name: dev, context: {cluster: c, user: u}}]
        current-context: dev
        """
        .formatted(server);
  }

  private void assertOneLine(ChildJvm jvm, ExitCode code, String line) throws InterruptedException {
    assertEquals(code.code(), jvm.waitFor(QUICK), "stderr: " + jvm.stderr());
    assertEquals(List.of(line), jvm.stderr());
    assertEquals(List.of(), jvm.stdout());
  }

  @Test
  void withoutAnyKubeconfigItSaysSo() throws Exception {
    try (ChildJvm jvm = ChildJvm.start(Map.of("HOME", home.toString()), home, "run")) {
      assertOneLine(
          jvm,
          ExitCode.API_SERVER_UNREACHABLE,
          "nats-account-operator: no kubeconfig found: KUBECONFIG is"
              + " unset, "
              + home.resolve(".kube/config")
              + " does not exist, and this is not a pod; set KUBECONFIG or"
              + " --kubeconfig to a kubeconfig file");
    }
  }

  @Test
  void anUnresolvableServerIsNamedWithWhereItCameFrom() throws Exception {
    Path file =
        Files.writeString(
            home.resolve("kubeconfig"), kubeconfig("https://no-such-host.invalid:6443"));
    try (ChildJvm jvm =
        ChildJvm.start(Map.of("HOME", home.toString(), "KUBECONFIG", file.toString()), home)) {
      assertOneLine(
          jvm,
          ExitCode.API_SERVER_UNREACHABLE,
          "nats-account-operator: cannot reach the Kubernetes API"
              + " server at https://no-such-host.invalid:6443 (from KUBECONFIG="
              + file
              + ", context dev): cannot resolve"
              + " host no-such-host.invalid");
    }
  }

  @Test
  void aServerThatRefusesConnectionsGivenByFlag() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Path file =
        Files.writeString(home.resolve("kubeconfig"), kubeconfig("https://127.0.0.1:" + port));
    try (ChildJvm jvm =
        ChildJvm.start(
            Map.of("HOME", home.toString()), home, "run", "--kubeconfig", file.toString())) {
      assertOneLine(
          jvm,
          ExitCode.API_SERVER_UNREACHABLE,
          "nats-account-operator: cannot reach the Kubernetes API"
              + " server at https://127.0.0.1:"
              + port
              + " (from --kubeconfig "
              + file
              + ", context dev): connection"
              + " refused");
    }
  }

  @Test
  void aKubeconfigVariableNamingNoFile() throws Exception {
    Path missing = home.resolve("nope");
    try (ChildJvm jvm =
        ChildJvm.start(Map.of("HOME", home.toString(), "KUBECONFIG", missing.toString()), home)) {
      assertOneLine(
          jvm,
          ExitCode.API_SERVER_UNREACHABLE,
          "nats-account-operator: no kubeconfig at KUBECONFIG="
              + missing
              + ": no such file; point KUBECONFIG or --kubeconfig at one");
    }
  }

  @Test
  void aSettingThatDoesNotParseComesFirst() throws Exception {
    try (ChildJvm jvm =
        ChildJvm.start(Map.of("HOME", home.toString(), "RESYNC_INTERVAL", "10 minutes"), home)) {
      assertOneLine(
          jvm,
          ExitCode.INVALID_SETTING,
          "nats-account-operator: RESYNC_INTERVAL=\"10 minutes\" is not a"
              + " positive duration; use e.g. 10m, 90s, 1h30m or PT10M");
    }
  }
}
