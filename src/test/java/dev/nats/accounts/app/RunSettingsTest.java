package dev.nats.accounts.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.nats.accounts.logging.LogFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunSettingsTest {
  @Test
  void defaultsSuitACluster() {
    RunSettings s = RunSettings.parse(List.of(), Map.of());
    assertEquals(Set.of(), s.operator().watchNamespaces());
    assertEquals(Set.of(), s.operator().operatorNamespaces());
    assertEquals(Set.of(), s.operator().operatorControllerNamespaces());
    assertEquals(Duration.ofMinutes(10), s.operator().resyncInterval());
    assertEquals(Duration.ofSeconds(2), s.operator().pushTimeout());
    assertEquals(8080, s.operator().metricsPort());
    assertEquals(null, s.operator().leaderElectionNamespace());
    assertEquals(Duration.ofSeconds(20), s.operator().shutdownTimeout());
    assertEquals(LogFormat.TEXT, s.logFormat());
    assertEquals(Level.INFO, s.logLevel());
    assertEquals(Optional.empty(), s.kubeconfig());
    assertTrue(s.operator().exitOnLostLease(), "a pod that lost its Lease restarts and rejoins");
    assertEquals(OperatorSettings.ActivationTokens.OFF, s.operator().activationTokens());
  }

  @Test
  void activationTokensAreServedOnTheirOwnPortAtTheUrlBaseGiven() {
    OperatorSettings s =
        RunSettings.parse(
                List.of("--activation-port=8081"),
                Map.of("ACTIVATION_URL_BASE", "https://tokens.example.com:8443/"))
            .operator();
    assertEquals(
        new OperatorSettings.ActivationTokens(8081, "https://tokens.example.com:8443"),
        s.activationTokens(),
        "the trailing slash goes: the path is appended");
    assertEquals(
        new OperatorSettings.ActivationTokens(8081, null),
        RunSettings.parse(List.of(), Map.of("ACTIVATION_PORT", "8081"))
            .operator()
            .activationTokens(),
        "served, without a URL in the status");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp://x|ACTIVATION_URL_BASE=\"ftp://x\" is not an http or https URL without a path;"
            + " use e.g. http://nats-account-operator-activations.nats.svc:8081",
        "http://x/jwt|ACTIVATION_URL_BASE=\"http://x/jwt\" is not an http or https URL without a"
            + " path; use e.g. http://nats-account-operator-activations.nats.svc:8081",
        "http://x:8081|ACTIVATION_URL_BASE is set but ACTIVATION_PORT is 0: no token would be"
            + " served at that URL; set ACTIVATION_PORT too"
      })
  void anActivationUrlBaseNeedsHttpNoPathAndThePort(String value, String message) {
    StartupFailure f =
        assertThrows(
            StartupFailure.class,
            () -> RunSettings.parse(List.of(), Map.of("ACTIVATION_URL_BASE", value)));
    assertEquals(ExitCode.INVALID_SETTING, f.exitCode());
    assertEquals(message, f.getMessage());
  }

  @Test
  void everySettingIsReadFromItsVariableAndAnEmptyVariableIsUnset() {
    RunSettings s =
        RunSettings.parse(
            List.of(),
            Map.of(
                "WATCH_NAMESPACES",
                "a, b",
                "OPERATOR_NAMESPACES",
                "b",
                "RESYNC_INTERVAL",
                "5m",
                "PUSH_TIMEOUT",
                "1500ms",
                "METRICS_PORT",
                "9090",
                "LEADER_ELECTION_NAMESPACE",
                "ops",
                "SHUTDOWN_TIMEOUT",
                "45s",
                "LOG_FORMAT",
                "json",
                "LOG_LEVEL",
                "DEBUG",
                "KUBECONFIG",
                "/k"));
    assertEquals(Set.of("a", "b"), s.operator().watchNamespaces());
    assertEquals(Set.of("b"), s.operator().operatorNamespaces());
    assertEquals(Duration.ofMinutes(5), s.operator().resyncInterval());
    assertEquals(Duration.ofMillis(1500), s.operator().pushTimeout());
    assertEquals(9090, s.operator().metricsPort());
    assertEquals("ops", s.operator().leaderElectionNamespace());
    assertEquals(Duration.ofSeconds(45), s.operator().shutdownTimeout());
    assertEquals(LogFormat.JSON, s.logFormat());
    assertEquals(Level.DEBUG, s.logLevel());
    assertEquals(Optional.of(new RunSettings.Given("/k", "KUBECONFIG")), s.kubeconfig());
    // deploy/ sets WATCH_NAMESPACES: "" for all namespaces
    assertEquals(
        Set.of(),
        RunSettings.parse(List.of(), Map.of("WATCH_NAMESPACES", "", "LOG_LEVEL", " "))
            .operator()
            .watchNamespaces());
  }

  @Test
  void everySettingIsAlsoAFlagAndTheFlagWins() {
    Map<String, String> env = Map.of("RESYNC_INTERVAL", "5m", "LOG_FORMAT", "json");
    RunSettings s =
        RunSettings.parse(
            List.of(
                "--resync-interval",
                "1h30m",
                "--log-format=text",
                "--watch-namespaces",
                "x",
                "--operator-namespaces=x",
                "--push-timeout=3s",
                "--metrics-port",
                "0",
                "--leader-election-namespace",
                "le",
                "--shutdown-timeout",
                "PT1M",
                "--log-level",
                "warn",
                "--kubeconfig",
                "/k"),
            env);
    assertEquals(Duration.ofMinutes(90), s.operator().resyncInterval());
    assertEquals(LogFormat.TEXT, s.logFormat());
    assertEquals(Set.of("x"), s.operator().watchNamespaces());
    assertEquals(Set.of("x"), s.operator().operatorNamespaces());
    assertEquals(Duration.ofSeconds(3), s.operator().pushTimeout());
    assertEquals(0, s.operator().metricsPort());
    assertEquals("le", s.operator().leaderElectionNamespace());
    assertEquals(Duration.ofMinutes(1), s.operator().shutdownTimeout());
    assertEquals(Level.WARN, s.logLevel());
    assertEquals(Optional.of(new RunSettings.Given("/k", "--kubeconfig")), s.kubeconfig());
    for (Setting setting : Setting.ALL) {
      assertTrue(setting.flag().startsWith("--") && !setting.env().isEmpty(), setting.toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "90s|PT1M30S",
        "10m|PT10M",
        "1h30m|PT1H30M",
        "500ms|PT0.5S",
        "1.5h|PT1H30M",
        "PT10M|PT10M",
        "pt2s|PT2S"
      })
  void durationsAcceptTheCrdFormsAndIso8601(String text, String iso) {
    assertEquals(Duration.parse(iso), RunSettings.duration(text));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "RESYNC_INTERVAL|10x|RESYNC_INTERVAL=\"10x\" is not a positive duration; use e.g. 10m, 90s, 1h30m or PT10M",
        "RESYNC_INTERVAL|0s|RESYNC_INTERVAL=\"0s\" is not a positive duration; use e.g. 10m, 90s, 1h30m or PT10M",
        "PUSH_TIMEOUT|PT2|PUSH_TIMEOUT=\"PT2\" is not a positive duration; use e.g. 2s, 90s, 1h30m or PT2S",
        "SHUTDOWN_TIMEOUT|soon|SHUTDOWN_TIMEOUT=\"soon\" is not a duration; use e.g. 20s, 90s, 1h30m or PT20S",
        "METRICS_PORT|80a|METRICS_PORT=\"80a\" is not a port number (0 to 65535); use e.g. 8080",
        "METRICS_PORT|70000|METRICS_PORT=\"70000\" is not a port number (0 to 65535); use e.g. 8080",
        "WATCH_NAMESPACES|tenant_a|WATCH_NAMESPACES=\"tenant_a\" is not a comma-separated list of namespace names;"
            + " use e.g. tenant-a,tenant-b",
        "OPERATOR_NAMESPACES|nats,NATS|OPERATOR_NAMESPACES=\"nats,NATS\" is not a comma-separated list of"
            + " namespace names; use e.g. nats",
        "LEADER_ELECTION_NAMESPACE|Ops|LEADER_ELECTION_NAMESPACE=\"Ops\" is not a namespace name;"
            + " use e.g. nats-account-operator",
        "LOG_FORMAT|xml|LOG_FORMAT=\"xml\" is not a log format (text or json); use e.g. json",
        "LOG_LEVEL|verbose|LOG_LEVEL=\"verbose\" is not a log level (error, warn, info, debug or trace); use e.g. debug"
      })
  void aSettingThatDoesNotParseNamesTheVariableTheValueAndAnExample(
      String env, String value, String message) {
    StartupFailure f =
        assertThrows(StartupFailure.class, () -> RunSettings.parse(List.of(), Map.of(env, value)));
    assertEquals(ExitCode.INVALID_SETTING, f.exitCode());
    assertEquals(message, f.getMessage());
  }

  /**
   * Set, OPERATOR_NAMESPACES is where the Operator controller runs (and ConfigMaps are granted),
   * and only there; the other controllers keep the watched namespaces.
   */
  @Test
  void operatorNamespacesNarrowOnlyTheOperatorController() {
    OperatorSettings all =
        RunSettings.parse(List.of(), Map.of("OPERATOR_NAMESPACES", " nats , nats-2,,nats "))
            .operator();
    assertEquals(Set.of("nats", "nats-2"), all.operatorNamespaces());
    assertEquals(Set.of("nats", "nats-2"), all.operatorControllerNamespaces());
    assertEquals(Set.of(), all.watchNamespaces(), "the other kinds: still every namespace");
    OperatorSettings both =
        RunSettings.parse(
                List.of(), Map.of("WATCH_NAMESPACES", "nats,t1", "OPERATOR_NAMESPACES", "nats"))
            .operator();
    assertEquals(Set.of("nats"), both.operatorControllerNamespaces());
    assertEquals(Set.of("nats", "t1"), both.watchNamespaces());
    OperatorSettings unset =
        RunSettings.parse(
                List.of(), Map.of("WATCH_NAMESPACES", "nats,t1", "OPERATOR_NAMESPACES", ""))
            .operator();
    assertEquals(
        Set.of("nats", "t1"),
        unset.operatorControllerNamespaces(),
        "an empty variable is unset: Operators wherever the rest is watched");
  }

  /**
   * Operator Secrets are granted and watched in the watched namespaces only, so an Operator
   * namespace outside them is refused at start, naming both settings.
   */
  @Test
  void anOperatorNamespaceOutsideTheWatchedOnesIsRefused() {
    StartupFailure f =
        assertThrows(
            StartupFailure.class,
            () ->
                RunSettings.parse(
                    List.of("--operator-namespaces", "nats,ops,t1"),
                    Map.of("WATCH_NAMESPACES", "t1,t2")));
    assertEquals(ExitCode.INVALID_SETTING, f.exitCode());
    assertEquals(
        "--operator-namespaces names nats,ops, which are not in WATCH_NAMESPACES=t1,t2; Operators are"
            + " reconciled only in watched namespaces: add them to WATCH_NAMESPACES",
        f.getMessage());
  }

  @Test
  void aFlagThatDoesNotParseNamesTheFlag() {
    StartupFailure f =
        assertThrows(
            StartupFailure.class,
            () ->
                RunSettings.parse(
                    List.of("--resync-interval=10x"), Map.of("RESYNC_INTERVAL", "10m")));
    assertEquals(ExitCode.INVALID_SETTING, f.exitCode());
    assertEquals(
        "--resync-interval \"10x\" is not a positive duration; use e.g. 10m, 90s, 1h30m or PT10M",
        f.getMessage());
  }

  @Test
  void unknownFlagsAndMissingValuesAreUsageErrors() {
    StartupFailure unknown =
        assertThrows(StartupFailure.class, () -> RunSettings.parse(List.of("--resync"), Map.of()));
    assertEquals(ExitCode.USAGE, unknown.exitCode());
    assertEquals(
        "unknown option '--resync' for run; the options are listed by: run --help",
        unknown.getMessage());
    StartupFailure missing =
        assertThrows(
            StartupFailure.class, () -> RunSettings.parse(List.of("--push-timeout"), Map.of()));
    assertEquals(ExitCode.USAGE, missing.exitCode());
    assertEquals("--push-timeout needs a value, e.g. --push-timeout 2s", missing.getMessage());
  }

  @Test
  void exitCodesAreDistinct() {
    assertEquals(
        ExitCode.values().length,
        java.util.Arrays.stream(ExitCode.values()).map(ExitCode::code).distinct().count());
  }
}
