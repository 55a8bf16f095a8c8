package dev.nats.accounts.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_PUSH_TIMEOUT = Duration.ofSeconds(2);

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

  /** Every setting but the Lease namespace must be given: a null here would fail much later. */
  public OperatorSettings {
    Objects.requireNonNull(watchNamespaces, "watchNamespaces");
    Objects.requireNonNull(operatorNamespaces, "operatorNamespaces");
    Objects.requireNonNull(resyncInterval, "resyncInterval");
    Objects.requireNonNull(pushTimeout, "pushTimeout");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    Objects.requireNonNull(activationTokens, "activationTokens");
    Objects.requireNonNull(firstStatusHold, "firstStatusHold");
  }

  /**
   * The defaults of {@code run} without flags, but a lost Lease does not end the process (only
   * {@link RunSettings} turns that on: tests share their JVM).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change a few of them. */
  public Builder toBuilder() {
    return new Builder()
        .watchNamespaces(watchNamespaces)
        .resyncInterval(resyncInterval)
        .pushTimeout(pushTimeout)
        .metricsPort(metricsPort)
        .leaderElectionNamespace(leaderElectionNamespace)
        .exitOnLostLease(exitOnLostLease)
        .shutdownTimeout(shutdownTimeout)
        .operatorNamespaces(operatorNamespaces)
        .activationTokens(activationTokens)
        .firstStatusHold(firstStatusHold);
  }

  /** The same, with replicas electing a leader through a Lease in {@code namespace}. */
  public OperatorSettings withLeaderElection(String namespace) {
    return toBuilder().leaderElectionNamespace(namespace).build();
  }

  /** The same, with in-flight reconciles given {@code timeout} on stop. */
  public OperatorSettings withShutdownTimeout(Duration timeout) {
    return toBuilder().shutdownTimeout(timeout).build();
  }

  /** The same, with Operators reconciled only in {@code namespaces} (empty: as the watched). */
  public OperatorSettings withOperatorNamespaces(Set<String> namespaces) {
    return toBuilder().operatorNamespaces(namespaces).build();
  }

  /** The same, serving activation tokens as {@code tokens} says. */
  public OperatorSettings withActivationTokens(ActivationTokens tokens) {
    return toBuilder().activationTokens(tokens).build();
  }

  /** The same, holding a new resource's first status (a wait) back at most {@code hold}. */
  public OperatorSettings withFirstStatusHold(Duration hold) {
    return toBuilder().firstStatusHold(hold).build();
  }

  /**
   * Settings by name: ten positional arguments, several of one type, are easy to swap unseen.
   * Starts from the defaults of {@code run}.
   */
  public static final class Builder {
    private Set<String> watchNamespaces = Set.of();
    private Duration resyncInterval = DEFAULT_RESYNC_INTERVAL;
    private Duration pushTimeout = DEFAULT_PUSH_TIMEOUT;
    private int metricsPort;
    private String leaderElectionNamespace;
    private boolean exitOnLostLease;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private Set<String> operatorNamespaces = Set.of();
    private ActivationTokens activationTokens = ActivationTokens.OFF;
    private Duration firstStatusHold = DEFAULT_FIRST_STATUS_HOLD;

    private Builder() {}

    public Builder watchNamespaces(Set<String> namespaces) {
      this.watchNamespaces = namespaces;
      return this;
    }

    public Builder resyncInterval(Duration interval) {
      this.resyncInterval = interval;
      return this;
    }

    public Builder pushTimeout(Duration timeout) {
      this.pushTimeout = timeout;
      return this;
    }

    public Builder metricsPort(int port) {
      this.metricsPort = port;
      return this;
    }

    public Builder leaderElectionNamespace(String namespace) {
      this.leaderElectionNamespace = namespace;
      return this;
    }

    public Builder exitOnLostLease(boolean exit) {
      this.exitOnLostLease = exit;
      return this;
    }

    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = timeout;
      return this;
    }

    public Builder operatorNamespaces(Set<String> namespaces) {
      this.operatorNamespaces = Set.copyOf(namespaces);
      return this;
    }

    public Builder activationTokens(ActivationTokens tokens) {
      this.activationTokens = tokens;
      return this;
    }

    public Builder firstStatusHold(Duration hold) {
      this.firstStatusHold = hold;
      return this;
    }

    public OperatorSettings build() {
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
          firstStatusHold);
    }
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
    return builder().firstStatusHold(Duration.ofSeconds(2)).build();
  }

  /**
   * Tests resync every 30 s: the CRUD mock can drop a watch event under load, and resync is how a
   * controller repairs that (in a cluster too); 30 s stays well inside the tests' 60 s waits, so
   * the event-driven path is still what normally makes them pass.
   */
  public static OperatorSettings forTests() {
    return builder()
        .resyncInterval(Duration.ofSeconds(30))
        .pushTimeout(Duration.ofMillis(1500))
        .build();
  }
}
