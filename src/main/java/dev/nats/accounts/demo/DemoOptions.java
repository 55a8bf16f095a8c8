package dev.nats.accounts.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Command-line options of {@code demo}; parsing is pure so it is unit tested without a JVM fork.
 *
 * @param realApiServer run on a real kube-apiserver + etcd (kube-api-test, binaries from
 *     scripts/lib/ensure-tools.sh) instead of the in-process mock
 */
public record DemoOptions(
    Path manifests,
    Path out,
    boolean keepRunning,
    Duration timeout,
    boolean defaultManifests,
    boolean realApiServer) {
  public static final Path DEFAULT_MANIFESTS = Path.of("examples", "seed-tutorial");

  /** An option as {@code demo --help} lists it. */
  public record Option(String flag, String meaning) {}

  public static final List<Option> OPTIONS =
      List.of(
          new Option(
              "--manifests DIR", "apply the manifests in DIR (default examples/seed-tutorial)"),
          new Option("--out DIR", "write every resource, Secret, creds file and JWT to DIR"),
          new Option(
              "--keep-running",
              "keep the API server, operator and nats-server running until Ctrl-C"),
          new Option(
              "--timeout DURATION",
              "how long to wait for every resource to be Ready (default 90s; e.g. 2m)"),
          new Option(
              "--real-api-server",
              "a real kube-apiserver and etcd instead of the in-process mock (built by"
                  + " scripts/lib/ensure-tools.sh); with --out, DIR/kubeconfig works with kubectl"));

  public static DemoOptions parse(List<String> args) {
    Path manifests = null;
    Path out = null;
    boolean keep = false;
    boolean real = false;
    Duration timeout = Duration.ofSeconds(90);
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--manifests" -> manifests = Path.of(value(args, ++i, a));
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--keep-running" -> keep = true;
        case "--real-api-server" -> real = true;
        case "--timeout" -> timeout = parseDuration(value(args, ++i, a));
        case "-h", "--help" -> throw new UsageException(usage());
        default -> throw new UsageException("unknown option '" + a + "'\n" + usage());
      }
    }
    Path dir = manifests == null ? DEFAULT_MANIFESTS : manifests;
    // The tutorial's requests only make sense on the tutorial's manifests, however the path was
    // spelled.
    boolean isDefault =
        dir.toAbsolutePath().normalize().equals(DEFAULT_MANIFESTS.toAbsolutePath().normalize());
    return new DemoOptions(dir, out, keep, timeout, isDefault, real);
  }

  public static String usage() {
    return "usage: demo [--manifests DIR] [--out DIR] [--keep-running] [--timeout DURATION (e.g. 90s, 2m)]"
        + " [--real-api-server]";
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new UsageException(option + " needs a value\n" + usage());
    }
    return args.get(i);
  }

  /** Accepts Go-style durations (90s, 2m, 1m30s) and ISO-8601 (PT90S). */
  static Duration parseDuration(String s) {
    if (s.startsWith("P") || s.startsWith("p")) {
      return Duration.parse(s);
    }
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(s);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> d.plusMillis(n);
            case "s" -> d.plusSeconds(n);
            case "m" -> d.plusMinutes(n);
            default -> d.plusHours(n);
          };
      end = m.end();
    }
    if (end != s.length() || end == 0) {
      throw new UsageException("--timeout: cannot parse duration '" + s + "' (use e.g. 90s, 2m)");
    }
    return d;
  }

  /** A usage error: printed without a stack trace, exit code 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }
}
