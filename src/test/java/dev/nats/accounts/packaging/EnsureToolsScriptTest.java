package dev.nats.accounts.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.testing.Cli;
import dev.nats.accounts.testing.Crds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/lib/ensure-tools.sh fails the way its header promises: one last line naming the tool and
 * the command that failed (or the missing Go), never a half-built tool left behind as if it were
 * built.
 */
class EnsureToolsScriptTest {
  @TempDir Path tmp;

  private Cli.Result ensure(String path, String goproxy) {
    return Cli.command(
            Path.of("/bin/bash"), "-c", ". scripts/lib/ensure-tools.sh && ensure_tools nats")
        .dir(Crds.projectRoot())
        .env("PATH", path)
        .env("NAO_TOOLS_DIR", tmp.resolve("tools").toString())
        .env("GOMODCACHE", tmp.resolve("gomod").toString())
        .env("GOCACHE", tmp.resolve("gocache").toString())
        .env("GOPROXY", goproxy)
        .timeout(Duration.ofMinutes(2))
        .run();
  }

  private static String lastLine(Cli.Result r) {
    List<String> lines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  @Test
  void withoutGoItSaysSoInOneLine() {
    Cli.Result r = ensure("/usr/bin:/bin", "off");
    assertEquals(1, r.exitCode(), r.toString());
    assertEquals(
        "ensure-tools: 'go' is not on PATH: install Go 1.26 or newer (the tools in tools/versions.env are "
            + "built from Go modules)",
        lastLine(r));
  }

  @Test
  void aFailedBuildNamesTheToolAndTheCommandAndLeavesNothingBehind() {
    String path =
        Path.of(System.getProperty("java.home"), "bin") + ":" + goDir() + ":/usr/bin:/bin";
    Cli.Result r =
        ensure(path, "off"); // no module source at all: the build of nats-server must fail
    assertEquals(1, r.exitCode(), r.toString());
    String last = lastLine(r);
    assertTrue(last.startsWith("ensure-tools: building nats-server failed: '"), last);
    assertTrue(
        last.contains("go install") && last.contains("github.com/nats-io/nats-server/v2@"), last);
    assertTrue(last.contains("(full log: "), last);
    assertTrue(
        !tmp.resolve("tools/bin/nats-server").toFile().exists(),
        "no link to a tool that was not built");
  }

  /** The directory of the go command that ./scripts/test uses. */
  private static String goDir() {
    for (String dir : System.getenv("PATH").split(":")) {
      if (Path.of(dir, "go").toFile().canExecute()) {
        return dir;
      }
    }
    throw new AssertionError(
        "go is not on PATH: ./scripts/test needs Go 1.26 to build the test tools");
  }
}
