package dev.nats.accounts.app;

import java.util.List;

/**
 * One setting of {@code run}: its environment variable, its flag, the default and what it means.
 * The table {@link #ALL} drives parsing, {@code --help} and the table in docs/operations.md (a test
 * keeps the doc in step).
 *
 * @param defaultValue what applies when neither flag nor variable is given (text, as a user would
 *     write it)
 * @param example a valid value, quoted in the message when a given value does not parse
 */
public record Setting(
    String env, String flag, String defaultValue, String example, String meaning) {
  public static final Setting KUBECONFIG =
      new Setting(
          "KUBECONFIG",
          "--kubeconfig",
          "in a pod its ServiceAccount, else ~/.kube/config",
          "/home/me/.kube/config",
          "kubeconfig file(s) to reach the API server (current context)");
  public static final Setting WATCH_NAMESPACES =
      new Setting(
          "WATCH_NAMESPACES",
          "--watch-namespaces",
          "all namespaces",
          "tenant-a,tenant-b",
          "comma-separated namespaces whose resources are reconciled");
  public static final Setting OPERATOR_NAMESPACES =
      new Setting(
          "OPERATOR_NAMESPACES",
          "--operator-namespaces",
          "the watched namespaces",
          "nats",
          "comma-separated namespaces whose Operators are reconciled (and their server-config"
              + " ConfigMaps written): set it to grant ConfigMaps there only");
  public static final Setting RESYNC_INTERVAL =
      new Setting(
          "RESYNC_INTERVAL",
          "--resync-interval",
          "10m",
          "10m",
          "every resource is reconciled (and resolver drift repaired) at least this often");
  public static final Setting PUSH_TIMEOUT =
      new Setting(
          "PUSH_TIMEOUT",
          "--push-timeout",
          "2s",
          "2s",
          "how long to collect the resolvers' replies after a push");
  public static final Setting METRICS_PORT =
      new Setting(
          "METRICS_PORT",
          "--metrics-port",
          "8080",
          "8080",
          "port of /metrics, /healthz and /readyz; 0 turns them off");
  public static final Setting ACTIVATION_PORT =
      new Setting(
          "ACTIVATION_PORT",
          "--activation-port",
          "0 (off)",
          "8081",
          "port serving the activation tokens the operator mints at GET"
              + " /jwt/v1/activations/<hash id> (as nats-account-server did); 0 turns it off");
  public static final Setting ACTIVATION_URL_BASE =
      new Setting(
          "ACTIVATION_URL_BASE",
          "--activation-url-base",
          "none (no URL in the status)",
          "http://nats-account-operator-activations.nats.svc:8081",
          "that port as importers reach it (http or https, no path), shown in"
              + " status.activations[].url; needs ACTIVATION_PORT");
  public static final Setting LEADER_ELECTION_NAMESPACE =
      new Setting(
          "LEADER_ELECTION_NAMESPACE",
          "--leader-election-namespace",
          "off (run one replica)",
          "nats-account-operator",
          "namespace of the Lease replicas elect a leader on");
  public static final Setting SHUTDOWN_TIMEOUT =
      new Setting(
          "SHUTDOWN_TIMEOUT",
          "--shutdown-timeout",
          "20s",
          "20s",
          "on SIGTERM, how long in-flight reconciles may take to finish");
  public static final Setting LOG_FORMAT =
      new Setting(
          "LOG_FORMAT",
          "--log-format",
          "text",
          "json",
          "text (one readable line per event) or json (one JSON object per line)");
  public static final Setting LOG_LEVEL =
      new Setting("LOG_LEVEL", "--log-level", "info", "debug", "error, warn, info, debug or trace");

  public static final List<Setting> ALL =
      List.of(
          KUBECONFIG,
          WATCH_NAMESPACES,
          OPERATOR_NAMESPACES,
          RESYNC_INTERVAL,
          PUSH_TIMEOUT,
          METRICS_PORT,
          ACTIVATION_PORT,
          ACTIVATION_URL_BASE,
          LEADER_ELECTION_NAMESPACE,
          SHUTDOWN_TIMEOUT,
          LOG_FORMAT,
          LOG_LEVEL);
}
