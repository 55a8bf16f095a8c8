package dev.nats.accounts.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.testing.Cli;
import dev.nats.accounts.testing.TestBed;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --real-api-server --keep-running --out DIR}: the seed tutorial on a real
 * kube-apiserver and etcd, with {@code DIR/kubeconfig} for users' kubectl while it runs.
 */
@Tag("apiserver")
class RealApiServerDemoTest {
  @TempDir Path out;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @Test
  void theTutorialRunsOnARealApiServerAndKubectlReadsItWhileItKeepsRunning() throws Exception {
    CompletableFuture<Demo.Running> up = new CompletableFuture<>();
    Demo demo =
        new Demo(
            DemoOptions.parse(
                List.of("--real-api-server", "--out", out.toString(), "--keep-running")),
            new PrintStream(console, true, StandardCharsets.UTF_8),
            up::complete);
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return demo.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      up.get(3, TimeUnit.MINUTES);
      Path kubeconfig = out.resolve("kubeconfig");
      assertTrue(Files.isRegularFile(kubeconfig), console.toString(StandardCharsets.UTF_8));
      // As a user would: the kubeconfig from --out and kubectl's default discovery cache under
      // HOME.
      String listed =
          Cli.command(TestBed.tool("kubectl"), "get", "nats", "-A")
              .env("KUBECONFIG", kubeconfig.toString())
              .timeout(Duration.ofMinutes(1))
              .run()
              .assertOk()
              .output();
      assertTrue(
          listed
              .lines()
              .anyMatch(l -> l.contains("account.accounts.nats.dev/a ") && l.contains("True")),
          listed);
      assertTrue(
          listed
              .lines()
              .anyMatch(
                  l ->
                      l.contains("serviceimport.accounts.nats.dev/private-help ")
                          && l.contains("True")),
          listed);
      assertFalse(run.isDone(), "the demo keeps running until it is stopped");
    } finally {
      demo.stop();
    }
    String printed = console.toString(StandardCharsets.UTF_8);
    assertEquals(0, run.get(2, TimeUnit.MINUTES), printed);
    assertTrue(printed.contains("real kube-apiserver and etcd"), printed);
    assertTrue(
        printed.contains("nats-server " + TestBed.version("NATS_SERVER_VERSION").substring(1)),
        printed);
    assertTrue(
        printed.contains(": 'help is here'"),
        "the tutorial's private request was answered: " + printed);
  }
}
