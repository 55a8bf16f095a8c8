package dev.nats.accounts.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code dev.nats.accounts.cli.Main} in a JVM of its own, with the test class path and an
 * environment the test chooses: what a user running the jar sees (stdout, stderr, exit code,
 * signals), without building the jar first.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  private ChildJvm(Process process) {
    this.process = process;
    this.outReader = reader(process.getInputStream(), out);
    this.errReader = reader(process.getErrorStream(), err);
  }

  /**
   * @param env the child's whole environment besides PATH (nothing of the test JVM's leaks in,
   *     KUBECONFIG included)
   * @param home the child's user.home (where fabric8 looks for ~/.kube/config)
   */
  public static ChildJvm start(Map<String, String> env, Path home, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + home,
                "-cp",
                classpath,
                "dev.nats.accounts.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().putAll(env);
    try {
      return new ChildJvm(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Thread reader(InputStream in, List<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "child-jvm-reader");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits for the exit; fails the test if it takes longer than {@code timeout}. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "the child JVM did not exit within "
              + timeout
              + "; stderr: "
              + err
              + "; stdout tail: "
              + out.subList(Math.max(0, out.size() - 20), out.size()));
    }
    outReader.join(5_000);
    errReader.join(5_000);
    return process.exitValue();
  }

  /**
   * SIGTERM, as the kubelet sends it. Not {@link Process#destroy()}: that also closes our ends of
   * the child's stdout and stderr, and everything the child writes while it stops would be lost.
   */
  public void terminate() throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -TERM " + process.pid() + " failed");
    }
  }

  public long pid() {
    return process.pid();
  }

  public List<String> stdout() {
    return out;
  }

  public List<String> stderr() {
    return err;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
