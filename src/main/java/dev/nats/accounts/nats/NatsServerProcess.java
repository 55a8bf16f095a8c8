package dev.nats.accounts.nats;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A nats-server child process on a free loopback port.
 *
 * <p>Readiness is taken only from the "Server is ready" line in <em>this</em> process's own output,
 * never from "the port accepts connections": a fixed or raced port can be served by another
 * process, and a client would then silently talk to the wrong server (pitfall N1). For the same
 * reason the process liveness is checked while waiting, and a bind failure (someone grabbed the
 * port between our probe and the server's bind) is retried on a fresh port.
 *
 * <p>The log goes both to {@code nats-server.log} in the work dir (for humans after a failed run)
 * and to a bounded in-memory ring (for exception messages and for tests that look for DBG lines).
 */
public final class NatsServerProcess implements AutoCloseable {

  /** Where Debian puts the binary (it is under sbin, pitfall N2), after the PATH. */
  static final List<Path> WELL_KNOWN_LOCATIONS =
      List.of(Paths.get("/usr/sbin/nats-server"), Paths.get("/usr/bin/nats-server"));

  static final String READY_LINE = "Server is ready";
  static final String CONFIG_FILE = "nats-server.conf";
  static final String LOG_FILE = "nats-server.log";
  private static final int BIND_ATTEMPTS = 5;

  private final Process process;
  private final int port;
  private final Path workDir;
  private final Path logFile;
  private final LogRing ring;
  private final Thread pump;
  private final AtomicBoolean stopped = new AtomicBoolean();

  /**
   * Kills the child if the JVM exits without stop(): an orphaned server would hold its port and
   * dir.
   */
  private final Thread shutdownHook;

  private NatsServerProcess(
      Process process, int port, Path workDir, Path logFile, LogRing ring, Thread pump) {
    this.process = process;
    this.port = port;
    this.workDir = workDir;
    this.logFile = logFile;
    this.ring = ring;
    this.pump = pump;
    this.shutdownHook = new Thread(process::destroyForcibly, "nats-server-shutdown-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a server with defaults (no debug, 30 s ready timeout) and the given extra config. */
  public static NatsServerProcess start(Path workDir, String extraConfig) {
    return builder(workDir).config(extraConfig).start();
  }

  public static Builder builder(Path workDir) {
    return new Builder(workDir);
  }

  /** Options for {@link #start()}; every setter returns this builder. */
  public static final class Builder {
    private final Path workDir;
    private String config = "";
    private boolean debug;
    private Duration readyTimeout = Duration.ofSeconds(30);
    private int ringLines = 2000;
    private Path binary;
    private String serverName;
    private java.util.function.IntSupplier portSupplier = NatsServerProcess::freeLoopbackPort;
    private boolean fixedPort;

    private Builder(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /**
     * Config text appended after the generated {@code listen} line, e.g. {@code include
     * resolver.conf}. Relative includes resolve against the work dir, where the config file is
     * written.
     */
    public Builder config(String config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Adds {@code -D}: import-authorization failures are only visible at debug level (pitfall N10).
     */
    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    public Builder readyTimeout(Duration readyTimeout) {
      this.readyTimeout = Objects.requireNonNull(readyTimeout, "readyTimeout");
      return this;
    }

    /** How many log lines to keep in memory; debug runs are chatty. */
    public Builder ringLines(int ringLines) {
      if (ringLines < 1) {
        throw new IllegalArgumentException("ringLines must be positive");
      }
      this.ringLines = ringLines;
      return this;
    }

    /** An explicit binary instead of the PATH / well-known lookup. */
    public Builder binary(Path binary) {
      this.binary = binary;
      return this;
    }

    /** {@code server_name}, shown in resolver replies; defaults to the server's generated id. */
    public Builder serverName(String serverName) {
      this.serverName = serverName;
      return this;
    }

    /**
     * A port chosen in advance, for setups that must name the server URL before the server's config
     * exists (the Operator resource lists its servers, and the server is started from the config
     * the operator renders). A bind failure is then final rather than retried on another port.
     */
    public Builder port(int port) {
      this.portSupplier = () -> port;
      this.fixedPort = true;
      return this;
    }

    /** Tests substitute the port source to exercise the bind-failure retry. */
    Builder portSupplier(java.util.function.IntSupplier portSupplier) {
      this.portSupplier = portSupplier;
      return this;
    }

    public NatsServerProcess start() {
      Path bin = binary != null ? binary : findBinary();
      try {
        Files.createDirectories(workDir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create work dir " + workDir, e);
      }
      NatsServerException last = null;
      int attempts = fixedPort ? 1 : BIND_ATTEMPTS;
      for (int attempt = 1; attempt <= attempts; attempt++) {
        int port = portSupplier.getAsInt();
        try {
          return launch(bin, port);
        } catch (BindFailure e) {
          last = e;
        }
      }
      throw new NatsServerException(
          "nats-server could not bind a free port after " + attempts + " attempts", last);
    }

    private NatsServerProcess launch(Path bin, int port) {
      Path configFile = workDir.resolve(CONFIG_FILE);
      Path logFile = workDir.resolve(LOG_FILE);
      try {
        Files.writeString(configFile, renderConfig(port), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + configFile, e);
      }
      List<String> command = new ArrayList<>(List.of(bin.toString(), "-c", configFile.toString()));
      if (debug) {
        command.add("-D");
      }
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
      } catch (IOException e) {
        throw new NatsServerException("cannot start " + bin + ": " + e.getMessage(), e);
      }
      LogRing ring = new LogRing(ringLines);
      CountDownLatch ready = new CountDownLatch(1);
      Thread pump =
          new Thread(() -> pumpLog(process, logFile, ring, ready), "nats-server-log-" + port);
      pump.setDaemon(true);
      pump.start();
      NatsServerProcess server = new NatsServerProcess(process, port, workDir, logFile, ring, pump);
      server.awaitReady(ready, readyTimeout);
      return server;
    }

    String renderConfig(int port) {
      StringBuilder sb = new StringBuilder();
      sb.append("# Written by NatsServerProcess; listens on loopback only.\n");
      sb.append("listen: 127.0.0.1:").append(port).append('\n');
      if (serverName != null) {
        sb.append("server_name: ").append(ResolverConfig.quote(serverName)).append('\n');
      }
      sb.append(config);
      if (!config.endsWith("\n")) {
        sb.append('\n');
      }
      return sb.toString();
    }
  }

  private void awaitReady(CountDownLatch ready, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        if (ready.await(50, TimeUnit.MILLISECONDS)) {
          return;
        }
        if (!process.isAlive()) {
          // Let the pump drain the last lines before we quote them.
          pump.join(2000);
          String tail = ring.tail(40);
          String msg =
              "nats-server exited with code "
                  + process.exitValue()
                  + " before it was ready. Log tail:\n"
                  + tail;
          if (tail.contains("address already in use")) {
            throw new BindFailure(msg);
          }
          throw new NatsServerException(msg);
        }
        if (System.nanoTime() - deadline > 0) {
          stop();
          throw new NatsServerException(
              "nats-server was not ready within " + timeout + ". Log tail:\n" + ring.tail(40));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new NatsServerException("interrupted while waiting for nats-server", e);
    }
  }

  private static void pumpLog(Process process, Path logFile, LogRing ring, CountDownLatch ready) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        ring.add(line);
        out.write(line);
        out.newLine();
        out.flush();
        if (ready.getCount() > 0 && line.contains(READY_LINE)) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      ring.add("[NatsServerProcess] log capture stopped: " + e.getMessage());
    }
  }

  /**
   * Locates nats-server: {@code NATS_SERVER_BIN} when set, then the current server built from its
   * Go module by scripts/lib/ensure-tools.sh (what users run), then the PATH and the Debian
   * locations (2.9.10, the oldest supported). The built one comes first because the PATH usually
   * has Debian's.
   */
  public static Path findBinary() {
    String explicit = System.getenv("NATS_SERVER_BIN");
    if (explicit != null && !explicit.isBlank()) {
      return requireBinary(List.of(Paths.get(explicit)));
    }
    List<Path> candidates = new ArrayList<>(toolsBinaries("nats-server"));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Paths.get(dir, "nats-server"));
        }
      }
    }
    candidates.addAll(WELL_KNOWN_LOCATIONS);
    return requireBinary(candidates);
  }

  /** Debian's nats-server (2.9.10), for the compatibility tests and the demo's fallback. */
  public static Optional<Path> debianBinary() {
    return findBinary(WELL_KNOWN_LOCATIONS);
  }

  /**
   * Where scripts/lib/ensure-tools.sh links the tools it built: {@code $NAO_TOOLS_BIN}, else the
   * default cache {@code ~/.cache/nats-account-operator/tools/bin}.
   */
  public static List<Path> toolsBinaries(String name) {
    List<Path> dirs = new ArrayList<>();
    String bin = System.getenv("NAO_TOOLS_BIN");
    if (bin != null && !bin.isBlank()) {
      dirs.add(Paths.get(bin, name));
    }
    String cache = System.getenv("NAO_TOOLS_DIR");
    if (cache != null && !cache.isBlank()) {
      dirs.add(Paths.get(cache, "bin", name));
    }
    dirs.add(
        Paths.get(
            System.getProperty("user.home"),
            ".cache",
            "nats-account-operator",
            "tools",
            "bin",
            name));
    return dirs;
  }

  /**
   * The version a nats-server binary reports ({@code nats-server --version}: "nats-server:
   * v2.15.2").
   */
  public static String version(Path binary) {
    try {
      Process p =
          new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new NatsServerException(binary + " --version failed: " + out);
      }
      int v = out.lastIndexOf(' ');
      return out.substring(v + 1).replaceFirst("^v", "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NatsServerException("interrupted while running " + binary + " --version");
    }
  }

  static Path requireBinary(List<Path> candidates) {
    return findBinary(candidates)
        .orElseThrow(
            () ->
                new NatsServerException(
                    "nats-server binary not found (looked in "
                        + candidates
                        + ")"
                        + "; build the current one with scripts/lib/ensure-tools.sh (./scripts/test does),"
                        + " or install Debian's with: sudo apt-get install -y nats-server"));
  }

  static Optional<Path> findBinary(List<Path> candidates) {
    return candidates.stream()
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst();
  }

  /**
   * A port that was free a moment ago on the loopback interface. There is an unavoidable race until
   * the server binds it; {@link Builder#start()} retries on a bind failure.
   */
  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    }
  }

  /** The process id (tests pause the server with SIGSTOP to hold a push in flight). */
  public long pid() {
    return process.pid();
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path workDir() {
    return workDir;
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines of the log (at most the ring size), newline-separated. */
  public String logTail() {
    return ring.tail(Integer.MAX_VALUE);
  }

  public String logTail(int lines) {
    return ring.tail(lines);
  }

  /** A snapshot of the in-memory log lines, oldest first. */
  public List<String> logLines() {
    return ring.snapshot();
  }

  /** SIGTERM first so the server can close its store cleanly, then a forced kill. Idempotent. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or will run; stopping here as well is harmless
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      pump.join(2000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "NatsServerProcess[" + url() + ", alive=" + process.isAlive() + "]";
  }

  /** The server died because its port was taken; the builder retries on another port. */
  private static final class BindFailure extends NatsServerException {
    BindFailure(String message) {
      super(message);
    }
  }

  /** A bounded, thread-safe line buffer. */
  static final class LogRing {
    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();

    LogRing(int capacity) {
      this.capacity = capacity;
    }

    synchronized void add(String line) {
      if (lines.size() == capacity) {
        lines.removeFirst();
      }
      lines.addLast(line);
    }

    synchronized List<String> snapshot() {
      return List.copyOf(lines);
    }

    synchronized String tail(int n) {
      int skip = Math.max(0, lines.size() - n);
      StringBuilder sb = new StringBuilder();
      int i = 0;
      for (String line : lines) {
        if (i++ >= skip) {
          sb.append(line).append('\n');
        }
      }
      return sb.toString();
    }
  }
}
