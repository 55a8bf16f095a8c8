package dev.nats.accounts.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the command-line tools of the test bed (nsc, the nats CLI, jwtcheck) as a user would, always
 * bounded by a timeout. Output goes to files, so a chatty process never blocks on a full pipe, and
 * every text this class puts into an assertion message has nkeys seeds masked: tools such as {@code
 * nsc} print or store seeds, and seeds never belong in test reports.
 *
 * <pre>{@code
 * Cli.Result r = Cli.command(TestBed.tool("nsc"), "describe", "jwt", "-f", file).home(dir).run().assertOk();
 * try (Cli.Background reply = Cli.command(nats, "reply", "help", "I will help").start()) {
 *   reply.awaitOutput("Listening on", Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class Cli {
  /** An encoded nkeys seed: {@code S}, the key type's prefix letter, 56 more base32 characters. */
  private static final Pattern SEED = Pattern.compile("S[OAUNCPX][A-Z2-7]{56}");

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private Cli() {}

  /** Masks every nkeys seed in {@code text}. */
  public static String redact(String text) {
    return text == null ? null : SEED.matcher(text).replaceAll("S<seed redacted>");
  }

  public static Command command(Path tool, Object... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(tool.toString());
    for (Object a : args) {
      cmd.add(String.valueOf(a));
    }
    return new Command(cmd);
  }

  /** A command line with its environment, not yet started. */
  public static final class Command {
    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path dir;
    private String stdin = "";
    private Duration timeout = DEFAULT_TIMEOUT;

    private Command(List<String> command) {
      this.command = command;
    }

    public Command env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /**
     * Runs with {@code home} as HOME and XDG config/data/cache/state directories under it, so a
     * tool that looks for its settings in the user's home finds an empty one and never touches the
     * real ~/.nsc, ~/.config or ~/.local.
     */
    public Command home(Path home) {
      try {
        for (String d : List.of("config", "data", "cache", "state")) {
          Files.createDirectories(home.resolve(d));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      env.put("HOME", home.toString());
      env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
      env.put("XDG_DATA_HOME", home.resolve("data").toString());
      env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
      env.put("XDG_STATE_HOME", home.resolve("state").toString());
      if (dir == null) {
        dir = home;
      }
      return this;
    }

    public Command dir(Path workingDir) {
      this.dir = workingDir;
      return this;
    }

    /**
     * Text written to the process' stdin, which is then closed (default: nothing, so no prompt
     * waits).
     */
    public Command stdin(String text) {
      this.stdin = text;
      return this;
    }

    public Command timeout(Duration t) {
      this.timeout = t;
      return this;
    }

    /**
     * Runs to completion; a process still running after the timeout is killed and fails the test.
     */
    public Result run() {
      try (Background b = start()) {
        boolean done = b.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
          Result partial = b.stop();
          throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + partial);
        }
        return b.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while running " + command, e);
      }
    }

    /** Starts the process in the background; {@link Background#close()} stops it. */
    public Background start() {
      try {
        Path out = Files.createTempFile("cli-", ".out");
        Path err = Files.createTempFile("cli-", ".err");
        ProcessBuilder pb =
            new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (dir != null) {
          pb.directory(dir.toFile());
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        try (OutputStream os = p.getOutputStream()) {
          os.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
          // the process ended before reading its stdin: its exit code and output tell why
        }
        return new Background(command, p, out, err);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + command, e);
      }
    }
  }

  /** A started process whose output is read from its files at any time. */
  public static final class Background implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final Path out;
    private final Path err;
    private Result result;

    private Background(List<String> command, Process process, Path out, Path err) {
      this.command = command;
      this.process = process;
      this.out = out;
      this.err = err;
    }

    /** stdout and stderr written so far. */
    public String output() {
      return read(out) + read(err);
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /**
     * Waits until the output holds {@code text}; fails when the process ends first or the time runs
     * out.
     */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!output().contains(text)) {
        if (!process.isAlive() && !output().contains(text)) {
          throw new AssertionError("expected '" + text + "' but the process ended: " + stop());
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "expected '"
                  + text
                  + "' within "
                  + timeout.toSeconds()
                  + " s: "
                  + redact(String.join(" ", command))
                  + "\n--- output so far:\n"
                  + redact(output()));
        }
        Thread.sleep(50);
      }
    }

    /**
     * Waits for the process to end by itself; fails (and stops it) when it still runs after {@code
     * timeout}.
     */
    public Result awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("still running after " + timeout.toSeconds() + " s: " + stop());
      }
      return stop();
    }

    /** Stops the process (TERM, then KILL after 5 s) unless it ended, and returns what it did. */
    public Result stop() {
      if (result != null) {
        return result;
      }
      try {
        if (process.isAlive()) {
          process.descendants().forEach(ProcessHandle::destroy);
          process.destroy();
          if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      result =
          new Result(command, process.isAlive() ? -1 : process.exitValue(), read(out), read(err));
      try {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      } catch (IOException ignored) {
        // temp files; the OS cleans up
      }
      return result;
    }

    @Override
    public void close() {
      stop();
    }

    private static String read(Path p) {
      try {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * What a finished process did. {@link #toString()} masks seeds; the raw output stays available to
   * parse.
   */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public String output() {
      return stdout + stderr;
    }

    /** Fails with the (redacted) command and output unless the exit code is 0. */
    public Result assertOk() {
      if (exitCode != 0) {
        throw new AssertionError("exit code " + exitCode + ": " + this);
      }
      return this;
    }

    @Override
    public String toString() {
      return redact(String.join(" ", command))
          + " (exit "
          + exitCode
          + ")\n--- stdout:\n"
          + redact(stdout)
          + "\n--- stderr:\n"
          + redact(stderr);
    }
  }

  /**
   * Writes {@code text} to {@code file} readable by the owner only (creds and seeds), creating
   * parent dirs.
   */
  public static Path writePrivate(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      File f = file.toFile();
      f.setReadable(false, false);
      f.setWritable(false, false);
      f.setReadable(true, true);
      f.setWritable(true, true);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
