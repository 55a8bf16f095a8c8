package dev.nats.accounts.testing;

import dev.nats.accounts.nats.NatsServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tools scripts/lib/ensure-tools.sh builds from Go modules (tools/versions.env): nats-server,
 * the nats CLI, nsc, the official-JWT cross-check program, kube-apiserver, etcd and kubectl.
 *
 * <p>A missing tool fails the test that needs it, never skips it: a test run without the real parts
 * proves nothing about them, and CI installs them through {@code ./scripts/test}.
 */
public final class TestBed {
  private TestBed() {}

  /** The built binary {@code name}, or an AssertionError that says how to build it. */
  public static Path tool(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new AssertionError(
                    name
                        + " is not built (looked in "
                        + NatsServerProcess.toolsBinaries(name)
                        + "): run ./scripts/test, or build the tools alone with"
                        + " bash -c '. scripts/lib/ensure-tools.sh && ensure_tools'"));
  }

  public static Optional<Path> find(String name) {
    return NatsServerProcess.toolsBinaries(name).stream().filter(Files::isExecutable).findFirst();
  }

  /** The pinned versions from tools/versions.env, e.g. {@code NATS_SERVER_VERSION -> v2.15.2}. */
  public static Map<String, String> versions() {
    Map<String, String> versions = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(Crds.projectRoot().resolve("tools/versions.env"))) {
        String l = line.trim();
        if (!l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
          versions.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions;
  }

  public static String version(String key) {
    String v = versions().get(key);
    if (v == null) {
      throw new IllegalStateException(key + " is not in tools/versions.env");
    }
    return v;
  }

  /** The current nats-server the tests run on by default (2.15). */
  public static Path natsServer() {
    return tool("nats-server");
  }

  /** Debian's nats-server 2.9.10, the oldest supported; ./scripts/test installs it. */
  public static Path debianNatsServer() {
    return NatsServerProcess.debianBinary()
        .orElseThrow(
            () ->
                new AssertionError(
                    "Debian's nats-server is not installed: ./scripts/test installs it (apt-get install nats-server)"));
  }
}
