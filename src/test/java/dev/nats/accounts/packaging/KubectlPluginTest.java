package dev.nats.accounts.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.testing.Crds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/kubectl-nats as kubectl runs it, installed by a symlink as the README says: it finds the
 * jar next to itself, or where NATS_ACCOUNT_OPERATOR_JAR says, and hands every argument over
 * unchanged; without a jar it says where it looked and exits 2. A stub {@code java} records the
 * call, so no jar has to be built.
 */
class KubectlPluginTest {
  @TempDir Path dir;

  record Run(int code, String out) {}

  Run plugin(Path script, Map<String, String> env, String... args) throws Exception {
    Path java = dir.resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> cmd = new ArrayList<>(List.of(script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("NATS_ACCOUNT_OPERATOR_JAR");
    pb.environment().put("JAVA", java.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out);
  }

  @Test
  void findsTheJarAndPassesEveryArgument() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path link = bin.resolve("kubectl-nats");
    Files.createSymbolicLink(link, Crds.projectRoot().resolve("scripts/kubectl-nats"));

    Path jar = Files.writeString(dir.resolve("elsewhere.jar"), "");
    Run env =
        plugin(
            link,
            Map.of("NATS_ACCOUNT_OPERATOR_JAR", jar.toString()),
            "describe",
            "account",
            "a b",
            "-o",
            "json");
    assertEquals(0, env.code(), env.out());
    assertEquals(
        List.of("-jar", jar.toString(), "describe", "account", "a b", "-o", "json"),
        env.out().lines().toList());

    // installed by copying: the jar next to the script
    Path copy = bin.resolve("copied");
    Files.copy(Crds.projectRoot().resolve("scripts/kubectl-nats"), copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path nextTo = Files.writeString(bin.resolve("nats-account-operator.jar"), "");
    Run beside = plugin(copy, Map.of(), "verify", "-A");
    assertEquals(List.of("-jar", nextTo.toString(), "verify", "-A"), beside.out().lines().toList());

    Files.delete(nextTo);
    Run none = plugin(copy, Map.of(), "verify");
    assertEquals(2, none.code(), none.out());
    assertTrue(none.out().contains("NATS_ACCOUNT_OPERATOR_JAR"), none.out());
  }
}
