package dev.nats.accounts.app;

import ch.qos.logback.classic.Level;
import dev.nats.accounts.api.Durations;
import dev.nats.accounts.logging.LogFormat;
import dev.nats.accounts.logging.Logging;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything {@code run} is configured with, read from flags and environment variables ({@link
 * Setting#ALL}); a flag wins over its variable, and an empty variable counts as unset (manifests
 * often carry {@code value: ""}). Parsing is pure, so every refusal is unit tested without starting
 * a JVM.
 *
 * @param kubeconfig the kubeconfig path(s) given, and by which flag or variable; empty: fabric8's
 *     own search
 */
public record RunSettings(
    OperatorSettings operator, Optional<Given> kubeconfig, LogFormat logFormat, Level logLevel) {
  /**
   * A value and where it came from ("KUBECONFIG" or "--kubeconfig"), so messages can say which to
   * fix.
   */
  public record Given(String value, String origin) {}

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public static RunSettings parse(List<String> args, Map<String, String> env) {
    Map<Setting, Given> given = new HashMap<>();
    for (Setting s : Setting.ALL) {
      String v = env.get(s.env());
      if (v != null && !v.isBlank()) {
        given.put(s, new Given(v.trim(), s.env()));
      }
    }
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      Setting s =
          Setting.ALL.stream()
              .filter(x -> x.flag().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new StartupFailure(
                          ExitCode.USAGE,
                          "unknown option '"
                              + name
                              + "' for run; the options are listed by: run --help"));
      String value;
      if (eq > 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new StartupFailure(
            ExitCode.USAGE, s.flag() + " needs a value, e.g. " + s.flag() + " " + s.example());
      }
      given.put(s, new Given(value.trim(), s.flag()));
    }

    Set<String> watch =
        convert(
            given,
            Setting.WATCH_NAMESPACES,
            RunSettings::namespaces,
            Set.of(),
            "is not a comma-separated list of namespace names");
    Set<String> operatorNamespaces =
        convert(
            given,
            Setting.OPERATOR_NAMESPACES,
            RunSettings::namespaces,
            Set.of(),
            "is not a comma-separated list of namespace names");
    outsideWatched(given, watch, operatorNamespaces);
    Duration resync =
        convert(
            given,
            Setting.RESYNC_INTERVAL,
            v -> positive(duration(v)),
            OperatorSettings.DEFAULT_RESYNC_INTERVAL,
            "is not a positive duration");
    Duration push =
        convert(
            given,
            Setting.PUSH_TIMEOUT,
            v -> positive(duration(v)),
            OperatorSettings.DEFAULT_PUSH_TIMEOUT,
            "is not a positive duration");
    Duration shutdown =
        convert(
            given,
            Setting.SHUTDOWN_TIMEOUT,
            RunSettings::duration,
            OperatorSettings.DEFAULT_SHUTDOWN_TIMEOUT,
            "is not a duration");
    int port =
        convert(
            given,
            Setting.METRICS_PORT,
            RunSettings::port,
            8080,
            "is not a port number (0 to 65535)");
    int activationPort =
        convert(
            given,
            Setting.ACTIVATION_PORT,
            RunSettings::port,
            0,
            "is not a port number (0 to 65535)");
    String activationUrlBase =
        convert(
            given,
            Setting.ACTIVATION_URL_BASE,
            RunSettings::urlBase,
            null,
            "is not an http or https URL without a path");
    if (activationUrlBase != null && activationPort == 0) {
      Given g = given.get(Setting.ACTIVATION_URL_BASE);
      throw new StartupFailure(
          ExitCode.INVALID_SETTING,
          g.origin()
              + " is set but "
              + Setting.ACTIVATION_PORT.env()
              + " is 0: no token would be served at that URL; set "
              + Setting.ACTIVATION_PORT.env()
              + " too");
    }
    String lease =
        convert(
            given,
            Setting.LEADER_ELECTION_NAMESPACE,
            RunSettings::namespace,
            null,
            "is not a namespace name");
    LogFormat format =
        convert(
            given,
            Setting.LOG_FORMAT,
            v -> LogFormat.valueOf(v.toUpperCase(Locale.ROOT)),
            LogFormat.TEXT,
            "is not a log format (text or json)");
    Level level =
        convert(
            given,
            Setting.LOG_LEVEL,
            Logging::level,
            Level.INFO,
            "is not a log level (error, warn, info, debug or trace)");
    OperatorSettings operator =
        OperatorSettings.builder()
            .watchNamespaces(watch)
            .resyncInterval(resync)
            .pushTimeout(push)
            .metricsPort(port)
            .leaderElectionNamespace(lease)
            .exitOnLostLease(true)
            .shutdownTimeout(shutdown)
            .operatorNamespaces(operatorNamespaces)
            .activationTokens(
                new OperatorSettings.ActivationTokens(activationPort, activationUrlBase))
            .build();
    return new RunSettings(
        operator, Optional.ofNullable(given.get(Setting.KUBECONFIG)), format, level);
  }

  /**
   * The forms the CRDs accept (Go's: 90s, 10m, 1h30m, 500ms) and ISO-8601 (PT10M), so a value
   * copied from either works.
   */
  public static Duration duration(String text) {
    if (text.startsWith("P") || text.startsWith("p")) {
      try {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(text, e);
      }
    }
    return Durations.parse(text);
  }

  private static Duration positive(Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("not positive");
    }
    return d;
  }

  private static int port(String text) {
    int p = Integer.parseInt(text);
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("out of range");
    }
    return p;
  }

  /** An http(s) URL of scheme, host and optional port; a trailing slash is dropped. */
  private static String urlBase(String text) {
    String t = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    java.net.URI u;
    try {
      u = new java.net.URI(t);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(text, e);
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
        || u.getHost() == null
        || !(u.getRawPath() == null || u.getRawPath().isEmpty())
        || u.getRawQuery() != null
        || u.getRawFragment() != null
        || u.getRawUserInfo() != null) {
      throw new IllegalArgumentException(text);
    }
    return t;
  }

  private static String namespace(String text) {
    if (!NAMESPACE.matcher(text).matches()) {
      throw new IllegalArgumentException(text);
    }
    return text;
  }

  private static Set<String> namespaces(String text) {
    List<String> out = new ArrayList<>();
    for (String part : Arrays.asList(text.split(","))) {
      String ns = part.trim();
      if (!ns.isEmpty()) {
        out.add(namespace(ns));
      }
    }
    return Set.copyOf(new LinkedHashSet<>(out));
  }

  /**
   * An Operator's keys and creds Secrets are written where it lives, and Secrets are granted (and
   * watched) only in the watched namespaces: an Operator namespace outside them could never be
   * reconciled, so it is refused at start rather than left to fail on every reconcile.
   */
  private static void outsideWatched(
      Map<Setting, Given> given, Set<String> watch, Set<String> operatorNamespaces) {
    if (watch.isEmpty()) {
      return;
    }
    Set<String> outside = new java.util.TreeSet<>(operatorNamespaces);
    outside.removeAll(watch);
    if (!outside.isEmpty()) {
      Given g = given.get(Setting.OPERATOR_NAMESPACES);
      throw new StartupFailure(
          ExitCode.INVALID_SETTING,
          g.origin()
              + " names "
              + String.join(",", outside)
              + ", which "
              + (outside.size() == 1 ? "is" : "are")
              + " not in "
              + Setting.WATCH_NAMESPACES.env()
              + "="
              + String.join(",", new java.util.TreeSet<>(watch))
              + "; Operators are reconciled only in watched namespaces: add "
              + (outside.size() == 1 ? "it" : "them")
              + " to "
              + Setting.WATCH_NAMESPACES.env());
    }
  }

  private static <T> T convert(
      Map<Setting, Given> given,
      Setting setting,
      Function<String, T> parse,
      T dflt,
      String problem) {
    Given g = given.get(setting);
    if (g == null) {
      return dflt;
    }
    try {
      return parse.apply(g.value());
    } catch (IllegalArgumentException e) {
      String how = g.origin().startsWith("--") ? g.origin() + " " : g.origin() + "=";
      throw new StartupFailure(
          ExitCode.INVALID_SETTING,
          how + "\"" + g.value() + "\" " + problem + "; use e.g. " + example(setting));
    }
  }

  private static String example(Setting s) {
    if (s == Setting.RESYNC_INTERVAL
        || s == Setting.PUSH_TIMEOUT
        || s == Setting.SHUTDOWN_TIMEOUT) {
      return s.example() + ", 90s, 1h30m or PT" + s.example().toUpperCase(Locale.ROOT);
    }
    return s.example();
  }
}
