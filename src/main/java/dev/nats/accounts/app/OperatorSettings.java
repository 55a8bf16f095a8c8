package dev.nats.accounts.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Process-wide settings of the reconcilers. {@link RunSettings} reads them from flags and the
 * environment (the defaults suit a cluster); {@link #forDemo()} and tests shorten the waits.
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param resyncInterval how often every resource is reconciled even without events (drift repair)
 * @param pushTimeout how long to collect resolver replies after a push
 * @param metricsPort port of the /metrics and /healthz endpoint; 0 disables it
 * @param leaderElectionNamespace where the Lease lives when several replicas run; null: no election
 *     (one replica). Two unelected replicas would both sign, and iat order between them is not
 *     kept.
 * @param exitOnLostLease end the process when the Lease is lost, so the pod restarts and rejoins
 *     the election; off only where the JVM is shared, as in tests
 * @param shutdownTimeout on stop, how long in-flight reconciles may take before they are
 *     interrupted; keep it below the pod's terminationGracePeriodSeconds so the Lease is still
 *     released before the kubelet kills the JVM
 * @param operatorNamespaces where Operators are reconciled and their server-config ConfigMaps
 *     written and watched; empty: the watched namespaces. Set, it lets ConfigMaps be granted there
 *     only; an Operator elsewhere is still read by the other controllers, which report it
 *     (OperatorNotManaged) instead of waiting on it.
 * @param activationTokens whether and where this process serves the activation tokens it mints
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    Duration resyncInterval,
    Duration pushTimeout,
    int metricsPort,
    String leaderElectionNamespace,
    boolean exitOnLostLease,
    Duration shutdownTimeout,
    Set<String> operatorNamespaces,
    ActivationTokens activationTokens,
    Duration firstStatusHold) {
  public static final String LEASE_NAME = "nats-account-operator";
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

  /**
   * How long a new resource's first status may be held back while it only waits for something on
   * its way (see {@code reconciler.PendingHold}): long enough for a GitOps sync applying objects in
   * any order, short enough that a reference that never comes is reported soon.
   */
  public static final Duration DEFAULT_FIRST_STATUS_HOLD = Duration.ofSeconds(10);

  /**
   * The activation token server: its own port, so it can be exposed (to importers in other
   * clusters, to nsc users) without exposing /metrics.
   *
   * @param port where GET /jwt/v1/activations/&lt;hash id&gt; is served; 0: not served
   * @param urlBase that port as importers reach it (e.g. http://svc.ns.svc:8081), for {@code
   *     status.activations[].url}; null: no URL in the status
   */
  public record ActivationTokens(int port, String urlBase) {
    public static final ActivationTokens OFF = new ActivationTokens(0, null);
  }

  public OperatorSettings(
      Set<String> watchNamespaces,
      Duration resyncInterval,
      Duration pushTimeout,
      int metricsPort,
      String leaderElectionNamespace,
      boolean exitOnLostLease,
      Duration shutdownTimeout,
      Set<String> operatorNamespaces) {
    this(
        watchNamespaces,
        resyncInterval,
        pushTimeout,
        metricsPort,
        leaderElectionNamespace,
        exitOnLostLease,
        shutdownTimeout,
        operatorNamespaces,
        ActivationTokens.OFF,
        DEFAULT_FIRST_STATUS_HOLD);
  }

  public OperatorSettings(
      Set<String> watchNamespaces,
      Duration resyncInterval,
      Duration pushTimeout,
      int metricsPort,
      String leaderElectionNamespace,
      boolean exitOnLostLease,
      Duration shutdownTimeout) {
    this(
        watchNamespaces,
        resyncInterval,
        pushTimeout,
        metricsPort,
        leaderElectionNamespace,
        exitOnLostLease,
        shutdownTimeout,
        Set.of());
  }

  public OperatorSettings(
      Set<String> watchNamespaces,
      Duration resyncInterval,
      Duration pushTimeout,
      int metricsPort,
      String leaderElectionNamespace,
      boolean exitOnLostLease) {
    this(
        watchNamespaces,
        resyncInterval,
        pushTimeout,
        metricsPort,
        leaderElectionNamespace,
        exitOnLostLease,
        DEFAULT_SHUTDOWN_TIMEOUT);
  }

  /** The same, with replicas electing a leader through a Lease in {@code namespace}. */
  public OperatorSettings withLeaderElection(String namespace) {
    return new OperatorSettings(
        watchNamespaces,
        resyncInterval,
        pushTimeout,
        metricsPort,
        namespace,
        exitOnLostLease,
        shutdownTimeout,
        operatorNamespaces,
        activationTokens,
        firstStatusHold);
  }

  /** The same, with in-flight reconciles given {@code timeout} on stop. */
  public OperatorSettings withShutdownTimeout(Duration timeout) {
    return new OperatorSettings(
        watchNamespaces,
        resyncInterval,
        pushTimeout,
        metricsPort,
        leaderElectionNamespace,
        exitOnLostLease,
        timeout,
        operatorNamespaces,
        activationTokens,
        firstStatusHold);
  }

  /** The same, with Operators reconciled only in {@code namespaces} (empty: as the watched). */
  public OperatorSettings withOperatorNamespaces(Set<String> namespaces) {
    return new OperatorSettings(
        watchNamespaces,
        resyncInterval,
        pushTimeout,
        metricsPort,
        leaderElectionNamespace,
        exitOnLostLease,
        shutdownTimeout,
        Set.copyOf(namespaces),
        activationTokens,
        firstStatusHold);
  }

  /** The same, serving activation tokens as {@code tokens} says. */
  public OperatorSettings withActivationTokens(ActivationTokens tokens) {
    return new OperatorSettings(
        watchNamespaces,
        resyncInterval,
        pushTimeout,
        metricsPort,
        leaderElectionNamespace,
        exitOnLostLease,
        shutdownTimeout,
        operatorNamespaces,
        tokens,
        firstStatusHold);
  }

  /** The same, holding a new resource's first status (a wait) back at most {@code hold}. */
  public OperatorSettings withFirstStatusHold(Duration hold) {
    return new OperatorSettings(
        watchNamespaces,
        resyncInterval,
        pushTimeout,
        metricsPort,
        leaderElectionNamespace,
        exitOnLostLease,
        shutdownTimeout,
        operatorNamespaces,
        activationTokens,
        hold);
  }

  /**
   * Where the Operator controller runs: the Operator namespaces when set, else the watched
   * namespaces (empty: all).
   */
  public Set<String> operatorControllerNamespaces() {
    return operatorNamespaces.isEmpty() ? watchNamespaces : operatorNamespaces;
  }

  /**
   * As {@code run} reads them from the environment alone (no flags); a value that does not parse
   * throws.
   */
  public static OperatorSettings fromEnv(Map<String, String> env) {
    return RunSettings.parse(List.of(), env).operator();
  }

  /**
   * The demo applies all its manifests at once, so nothing is on its way for long: a missing
   * reference is reported after 2 s, well inside even a short {@code --timeout}.
   */
  public static OperatorSettings forDemo() {
    return new OperatorSettings(
            Set.of(), Duration.ofMinutes(10), Duration.ofSeconds(2), 0, null, false)
        .withFirstStatusHold(Duration.ofSeconds(2));
  }

  /**
   * Tests resync every 30 s: the CRUD mock can drop a watch event under load, and resync is how a
   * controller repairs that (in a cluster too); 30 s stays well inside the tests' 60 s waits, so
   * the event-driven path is still what normally makes them pass.
   */
  public static OperatorSettings forTests() {
    return new OperatorSettings(
        Set.of(), Duration.ofSeconds(30), Duration.ofMillis(1500), 0, null, false);
  }
}
