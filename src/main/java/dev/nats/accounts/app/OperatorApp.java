package dev.nats.accounts.app;

import dev.nats.accounts.informers.BufferedCloner;
import dev.nats.accounts.informers.CachedCopies;
import dev.nats.accounts.informers.SharedInformers;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.metrics.ResourceStatusMetrics;
import dev.nats.accounts.nats.ResolverConnections;
import dev.nats.accounts.owned.OwnedObjects;
import dev.nats.accounts.reconciler.PushTracker;
import dev.nats.accounts.reconciler.ReconcilerSettings;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.StatusReporter;
import dev.nats.accounts.reconciler.StatusWriter;
import dev.nats.accounts.reconciler.account.AccountReconciler;
import dev.nats.accounts.reconciler.operator.OperatorReconciler;
import dev.nats.accounts.reconciler.serviceexport.ServiceExportReconciler;
import dev.nats.accounts.reconciler.serviceimport.ServiceImportReconciler;
import dev.nats.accounts.reconciler.streamexport.StreamExportReconciler;
import dev.nats.accounts.reconciler.streamimport.StreamImportReconciler;
import dev.nats.accounts.reconciler.user.UserReconciler;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.EventRecorder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and runs the JOSDK operator with every reconciler. Patches of the primary resources use
 * JSON merge patches, not server-side apply, so the same code runs against any API server,
 * including the fabric8 CRUD mock used by the tests and the local demo.
 *
 * <p>Leader election is JOSDK's, with two changes that make a stop clean: JOSDK neither releases
 * the Lease on stop nor tells a stop from a lost Lease (with exit-on-stop-leading it calls
 * System.exit(1) from inside {@code stop()}, which in a shutdown hook blocks the JVM until the
 * kubelet kills it). So the election here never exits by itself: {@link #onLostLease} decides, and
 * {@link #close()} releases the Lease so a standby takes over at once instead of after the lease
 * duration.
 */
public final class OperatorApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorApp.class);

  /** Between two readiness probes a standby reads the Lease at most once. */
  private static final Duration LEASE_READ_INTERVAL = Duration.ofSeconds(2);

  /** What /readyz answers: ready or not, and why, in a few words. */
  public record Readiness(boolean ready, String detail) {}

  private final Operator operator;

  /**
   * Reconciles running at once, all controllers together. A reconcile mostly waits (API requests,
   * resolver replies), so a few threads per core keep the cores busy: at 300 tenants on 2 cores, 4
   * threads used 0.7 of a core and took 47 s to converge, 16 took 33 s and 32 took 32 s with a
   * fifth more CPU (bench/README.md).
   */
  static final int RECONCILE_THREADS = 16;

  private final ResolverConnections connections;
  private final Services services;
  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final String identity;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicReference<Runnable> onLostLease = new AtomicReference<>();
  private volatile Readiness standby =
      new Readiness(false, "standby: the Lease has not been read yet");
  private volatile long standbyReadAt;
  private ResourceStatusMetrics statusMetrics;
  private dev.nats.accounts.activation.TokenServer tokenServer;

  private OperatorApp(
      Operator operator,
      ResolverConnections connections,
      Services services,
      KubernetesClient client,
      OperatorSettings settings,
      String identity) {
    this.operator = operator;
    this.connections = connections;
    this.services = services;
    this.client = client;
    this.settings = settings;
    this.identity = identity;
  }

  public static OperatorApp start(
      KubernetesClient client, OperatorSettings settings, OperatorMetrics metrics) {
    AtomicReference<AccountReconciler> accountsRef = new AtomicReference<>();
    AtomicReference<OperatorReconciler> operatorsRef = new AtomicReference<>();
    ResolverConnections connections =
        new ResolverConnections(
            key -> {
              if (operatorsRef.get() != null) {
                operatorsRef.get().onConnected(key);
              }
              if (accountsRef.get() != null) {
                accountsRef.get().onOperatorConnected(key);
              }
            });
    Clock clock = Clock.systemUTC();
    OwnedObjects objects = new OwnedObjects(client);
    KeySecrets keys =
        new KeySecrets(
            objects,
            (type, purpose) -> {
              metrics.keyGenerated(type.name().toLowerCase());
              return KeyPair.create(type);
            });
    SharedInformers sharedInformers = new SharedInformers(client);
    Services services =
        new Services(
            client,
            new ReconcilerSettings(
                settings.resyncInterval(),
                settings.pushTimeout(),
                settings.watchNamespaces(),
                settings.operatorNamespaces(),
                settings.activationTokens().port() > 0
                    ? settings.activationTokens().urlBase()
                    : null),
            metrics,
            keys,
            objects,
            connections,
            new StatusReporter(
                new Conditions(clock),
                new EventRecorder(client, "nats-account-operator", clock),
                new StatusWriter(client, metrics),
                metrics,
                settings.resyncInterval(),
                new dev.nats.accounts.reconciler.PendingHold(clock, settings.firstStatusHold())),
            new PushTracker(clock, settings.firstStatusHold()),
            new dev.nats.accounts.reconciler.SignedJwts(),
            new dev.nats.accounts.reconciler.IdentityRegistry(),
            new dev.nats.accounts.tokenurl.TokenFetcher(Duration.ofSeconds(30), clock),
            new dev.nats.accounts.reconciler.Informers(sharedInformers, metrics));
    String identity = newIdentity();
    AtomicReference<OperatorApp> self = new AtomicReference<>();
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              LOG.info(
                  "leading: holding Lease {}/{} as {}",
                  settings.leaderElectionNamespace(),
                  OperatorSettings.LEASE_NAME,
                  identity);
              self.get().leading.set(true);
              metrics.leading(true);
            },
            () -> {
              metrics.leading(false);
              self.get().stoppedLeading();
            },
            leader ->
                LOG.info(
                    "Lease {}/{} is held by {}",
                    settings.leaderElectionNamespace(),
                    OperatorSettings.LEASE_NAME,
                    leader == null || leader.isEmpty() ? "nobody" : leader));
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withResourceCloner(new BufferedCloner(client.getKubernetesSerialization()))
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withConcurrentReconciliationThreads(RECONCILE_THREADS)
                  .withReconciliationTerminationTimeout(settings.shutdownTimeout())
                  .withMetrics(metrics.reconcileMetrics());
              if (settings.leaderElectionNamespace() != null) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        OperatorSettings.LEASE_NAME,
                        settings.leaderElectionNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        identity,
                        callbacks,
                        false));
              }
            });
    OperatorApp app = new OperatorApp(operator, connections, services, client, settings, identity);
    self.set(app);
    app.onLostLease.set(
        () -> {
          if (settings.exitOnLostLease()) {
            // From a thread of its own: System.exit runs the shutdown hooks, which wait for this
            // election thread.
            Thread exit =
                new Thread(() -> System.exit(ExitCode.FAILED.code()), "exit-on-lost-lease");
            exit.start();
          }
        });
    OperatorReconciler operators = new OperatorReconciler(services);
    AccountReconciler accounts = new AccountReconciler(services);
    UserReconciler users = new UserReconciler(services);
    operatorsRef.set(operators);
    accountsRef.set(accounts);
    operator.register(operators, namespaces(settings.operatorControllerNamespaces()));
    operator.register(accounts, namespaces(settings.watchNamespaces()));
    operator.register(users, namespaces(settings.watchNamespaces()));
    operator.register(
        new ServiceExportReconciler(services), namespaces(settings.watchNamespaces()));
    operator.register(new StreamExportReconciler(services), namespaces(settings.watchNamespaces()));
    operator.register(
        new ServiceImportReconciler(services), namespaces(settings.watchNamespaces()));
    operator.register(new StreamImportReconciler(services), namespaces(settings.watchNamespaces()));
    // Bound before the controllers start: a port in use fails the start before anything runs.
    if (settings.activationTokens().port() > 0) {
      app.tokenServer =
          dev.nats.accounts.activation.TokenServer.start(
              client, settings.activationTokens().port(), settings.watchNamespaces());
    }
    operator.start();
    metrics.leading(settings.leaderElectionNamespace() == null);
    app.statusMetrics =
        ResourceStatusMetrics.start(
            sharedInformers, metrics.registry(), settings.watchNamespaces());
    return app;
  }

  /**
   * The pod's name in a cluster (HOSTNAME), plus a random suffix so two processes on one host never
   * share it.
   */
  private static String newIdentity() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "nats-account-operator";
      }
    }
    byte[] suffix = new byte[3];
    ThreadLocalRandom.current().nextBytes(suffix);
    return host + "-" + HexFormat.of().formatHex(suffix);
  }

  private void stoppedLeading() {
    boolean was = leading.getAndSet(false);
    if (stopping.get()) {
      return; // our own stop cancelled the election; close() releases the Lease
    }
    if (was) {
      LOG.error(
          "lost Lease {}/{}: another replica may be reconciling now; {}",
          settings.leaderElectionNamespace(),
          OperatorSettings.LEASE_NAME,
          settings.exitOnLostLease()
              ? "exiting so the pod restarts and rejoins the election"
              : "configured not to exit");
      onLostLease.get().run();
    }
  }

  /** The activation token server, when settings ask for one. */
  public Optional<dev.nats.accounts.activation.TokenServer> tokenServer() {
    return Optional.ofNullable(tokenServer);
  }

  /** The identity this process elects with (the Lease's holderIdentity while it leads). */
  public String identity() {
    return identity;
  }

  public boolean isLeading() {
    return leading.get();
  }

  /**
   * Replaces what happens when the Lease is lost while running (tests observe it instead of
   * exiting).
   */
  public void onLostLease(Runnable action) {
    onLostLease.set(action);
  }

  private static <P extends io.fabric8.kubernetes.api.model.HasMetadata>
      Consumer<ControllerConfigurationOverrider<P>> namespaces(Set<String> namespaces) {
    return o -> {
      if (!namespaces.isEmpty()) {
        o.settingNamespaces(namespaces);
      }
      o.withItemStore(CachedCopies.store());
    };
  }

  public boolean isReady() {
    return readiness().ready();
  }

  /**
   * Ready means this replica is doing its part: without election, or while leading, every informer
   * has synced and is watching; as a standby, the API server answers and another replica holds a
   * live Lease (a standby that cannot read the Lease could not take over either). Not ready while
   * starting and from the first moment of a stop.
   */
  public Readiness readiness() {
    if (stopping.get()) {
      return new Readiness(false, "stopping");
    }
    if (!operator.getRuntimeInfo().isStarted()) {
      return new Readiness(false, "starting");
    }
    if (settings.leaderElectionNamespace() != null && !leading.get()) {
      return standbyReadiness();
    }
    // one entry per controller, with the event sources that are not healthy (often none)
    String unhealthy =
        operator.getRuntimeInfo().unhealthyEventSources().entrySet().stream()
            .flatMap(c -> c.getValue().keySet().stream().map(source -> c.getKey() + "/" + source))
            .sorted()
            .collect(Collectors.joining(", "));
    if (!unhealthy.isEmpty()) {
      return new Readiness(false, "informers not synced or not watching: " + unhealthy);
    }
    return new Readiness(
        true,
        settings.leaderElectionNamespace() != null
            ? "leading; informers synced"
            : "informers synced");
  }

  private Readiness standbyReadiness() {
    long now = System.nanoTime();
    if (now - standbyReadAt < LEASE_READ_INTERVAL.toNanos()) {
      return standby;
    }
    Readiness r;
    try {
      Lease lease =
          client
              .leases()
              .inNamespace(settings.leaderElectionNamespace())
              .withName(OperatorSettings.LEASE_NAME)
              .get();
      String holder =
          lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
      if (holder == null || holder.isEmpty()) {
        r = new Readiness(false, "standby: nobody holds the Lease yet");
      } else if (expired(lease)) {
        r =
            new Readiness(
                false,
                "standby: the Lease of " + holder + " has expired and is not taken over yet");
      } else {
        r = new Readiness(true, "standby; " + holder + " leads");
      }
    } catch (KubernetesClientException e) {
      r = new Readiness(false, "standby: cannot read the Lease: " + e.getMessage());
    }
    standby = r;
    standbyReadAt = now;
    return r;
  }

  private static boolean expired(Lease lease) {
    var spec = lease.getSpec();
    if (spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
      return false;
    }
    return spec.getRenewTime()
        .plusSeconds(spec.getLeaseDurationSeconds())
        .isBefore(ZonedDateTime.now(ZoneOffset.UTC));
  }

  /**
   * A controller's own cache of its primaries, by controller name ("account", "user", ...): what
   * JOSDK hands its reconciles.
   */
  public io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache<?> primaryCache(
      String controller) {
    var registered =
        operator
            .getRegisteredController(controller)
            .orElseThrow(() -> new IllegalArgumentException("no controller " + controller));
    return ((io.javaoperatorsdk.operator.processing.Controller<?>) registered)
        .getEventSourceManager()
        .getControllerEventSource();
  }

  public Services services() {
    return services;
  }

  /**
   * Stops in the order a clean hand-over needs: not ready at once; informers stop and in-flight
   * reconciles get up to {@link OperatorSettings#shutdownTimeout()} to finish (JOSDK interrupts
   * them after that); then the Lease is released and the NATS connections are closed. Safe to call
   * twice (a signal and a shutdown hook).
   */
  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    boolean wasLeading = leading.get();
    if (statusMetrics != null) {
      statusMetrics.close();
    }
    if (tokenServer != null) {
      tokenServer.close();
    }
    LOG.info("stopping: in-flight reconciles have up to {} to finish", settings.shutdownTimeout());
    try {
      operator.stop();
    } finally {
      services.informers().close();
      if (settings.leaderElectionNamespace() != null && wasLeading) {
        releaseLease();
      }
      connections.close();
      LOG.info("stopped: NATS connections closed");
    }
  }

  /**
   * As client-go and fabric8 do on release: no holder, a one-second duration, so a standby acquires
   * at once.
   */
  private void releaseLease() {
    String ns = settings.leaderElectionNamespace();
    try {
      Lease lease = client.leases().inNamespace(ns).withName(OperatorSettings.LEASE_NAME).get();
      if (lease == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      client.leases().inNamespace(ns).resource(lease).update();
      LOG.info("released Lease {}/{}", ns, OperatorSettings.LEASE_NAME);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not release Lease {}/{} ({}); a standby takes over when it expires",
          ns,
          OperatorSettings.LEASE_NAME,
          e.getMessage());
    }
  }
}
