package dev.nats.accounts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The kubectl built from k8s.io/kubernetes, pointed at one API server through a kubeconfig file.
 */
public final class Kubectl {
  private final Path kubeconfig;

  public Kubectl(Path dir, String kubeconfigYaml) {
    try {
      this.kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfigYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs kubectl with these arguments; the output of a successful run (stdout then stderr). */
  public String ok(String... args) {
    return run(args).assertOk().output();
  }

  /**
   * Runs kubectl with these arguments, whatever its exit code (e.g. a {@code kubectl wait} that
   * times out).
   */
  public Cli.Result run(String... args) {
    // Its own discovery cache: nothing of the machine's ~/.kube leaks in.
    return Cli.command(TestBed.tool("kubectl"), (Object[]) args)
        .env("KUBECONFIG", kubeconfig.toString())
        .env("KUBECACHEDIR", kubeconfig.getParent().resolve("kube-cache").toString())
        .timeout(Duration.ofMinutes(2))
        .run();
  }
}
