package dev.nats.accounts.app;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Process-wide settings. Read from the environment because that is how a Deployment configures a
 * controller; the defaults suit a cluster, {@link #forDemo()} and tests shorten the waits.
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param resyncInterval how often every resource is reconciled even without events (drift repair)
 * @param pushTimeout how long to collect resolver replies after a push
 * @param metricsPort port of the /metrics and /healthz endpoint; 0 disables it
 * @param leaderElectionNamespace where the Lease lives when several replicas run; null: no election
 *     (one replica). Two unelected replicas would both sign, and iat order between them is not kept.
 * @param exitOnLostLease end the process when the Lease is lost, so the pod restarts and rejoins the
 *     election (JOSDK's behaviour); off only where the JVM is shared, as in tests
 */
public record OperatorSettings(
    Set<String> watchNamespaces, Duration resyncInterval, Duration pushTimeout, int metricsPort,
    String leaderElectionNamespace, boolean exitOnLostLease) {
  public static final String LEASE_NAME = "nats-account-operator";

  public static OperatorSettings fromEnv(Map<String, String> env) {
    Set<String> ns =
        Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    Duration resync = Duration.parse(env.getOrDefault("RESYNC_INTERVAL", "PT10M"));
    Duration push = Duration.parse(env.getOrDefault("PUSH_TIMEOUT", "PT2S"));
    int port = Integer.parseInt(env.getOrDefault("METRICS_PORT", "8080"));
    String lease = env.getOrDefault("LEADER_ELECTION_NAMESPACE", "").trim();
    return new OperatorSettings(ns, resync, push, port, lease.isEmpty() ? null : lease, true);
  }

  public static OperatorSettings forDemo() {
    return new OperatorSettings(Set.of(), Duration.ofMinutes(10), Duration.ofSeconds(2), 0, null, false);
  }

  /**
   * Tests resync every 30 s: the CRUD mock can drop a watch event under load, and resync is how a
   * controller repairs that (in a cluster too); 30 s stays well inside the tests' 60 s waits, so
   * the event-driven path is still what normally makes them pass.
   */
  public static OperatorSettings forTests() {
    return new OperatorSettings(Set.of(), Duration.ofSeconds(30), Duration.ofMillis(1500), 0, null, false);
  }
}
