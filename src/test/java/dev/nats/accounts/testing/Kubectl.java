package dev.nats.accounts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The kubectl built from k8s.io/kubernetes, pointed at one API server through a kubeconfig file. */
public final class Kubectl {
  private final Path kubeconfig;

  public Kubectl(Path dir, String kubeconfigYaml) {
    try {
      this.kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfigYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Processes.Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestBed.tool("kubectl").toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    // No ~/.kube cache or config of the machine leaks in.
    return Processes.run(Duration.ofMinutes(2), Map.of("KUBECACHEDIR", kubeconfig.getParent().resolve("cache").toString(),
        "KUBECONFIG", kubeconfig.toString()), null, command);
  }
}
