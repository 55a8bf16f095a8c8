package dev.nats.accounts.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool (kubectl, nsc, nats) to completion with a time bound, output and errors merged. */
public final class Processes {
  private Processes() {}

  /** What a finished command printed and how it exited. */
  public record Result(List<String> command, int exitCode, String output) {
    /** The output, failing with the whole transcript unless the command exited 0. */
    public String ok() {
      if (exitCode != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
      }
      return output;
    }
  }

  public static Result run(Duration timeout, Map<String, String> env, Path workDir, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      // Read on another thread so a chatty command cannot block on a full pipe past the timeout.
      var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return "<output lost: " + e.getMessage() + ">";
        }
      });
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
            + out.getNow("<no output yet>"));
      }
      return new Result(command, p.exitValue(), out.get(10, TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("cannot read the output of " + command, e);
    }
  }

  public static Result run(Duration timeout, List<String> command) {
    return run(timeout, Map.of(), null, command);
  }
}
