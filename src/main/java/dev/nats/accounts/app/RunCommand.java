package dev.nats.accounts.app;

import dev.nats.accounts.logging.Logging;
import dev.nats.accounts.metrics.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code run}: settings, start-up checks, the operator, and a stop that a Deployment can rely on.
 * Nothing is logged before the checks pass, so a failed start is exactly one line.
 */
public final class RunCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  /**
   * Beyond the reconcile bound: informers, Lease, NATS and the HTTP server get this long before the
   * JVM halts.
   */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(10);

  private RunCommand() {}

  public static int run(List<String> args, Map<String, String> env) throws InterruptedException {
    RunSettings settings = RunSettings.parse(args, env);
    KubeTarget target = KubeTarget.resolve(settings.kubeconfig(), env);
    String identity = target.check();
    Logging.configure(settings.logFormat(), settings.logLevel(), System.out);
    KubernetesClient client = OperatorClients.build(target.config());
    OperatorSettings operator = settings.operator();
    try {
      StartupChecks.run(client, operator, identity);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    LOG.info(
        "{} starting: API server {} (from {}) as {}; watching {}; {}",
        Version.current().line(),
        target.url(),
        target.source(),
        identity,
        operator.watchNamespaces().isEmpty()
            ? "all namespaces"
            : String.join(",", operator.watchNamespaces()),
        operator.leaderElectionNamespace() == null
            ? "no leader election"
            : "leader election in " + operator.leaderElectionNamespace());

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Up before the operator: without leader election JOSDK's start waits for every informer to
    // sync, which in a large cluster can outlast the liveness probe's patience; /readyz says
    // "starting" meanwhile.
    AtomicReference<OperatorApp> started = new AtomicReference<>();
    HealthServer health =
        operator.metricsPort() > 0
            ? HealthServer.start(
                operator.metricsPort(),
                registry,
                () -> {
                  OperatorApp a = started.get();
                  return a == null ? new OperatorApp.Readiness(false, "starting") : a.readiness();
                })
            : null;
    OperatorApp app;
    try {
      app = OperatorApp.start(client, operator, new OperatorMetrics(registry));
    } catch (RuntimeException e) {
      if (health != null) {
        health.stop();
      }
      client.close();
      throw e;
    }
    started.set(app);

    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (stopped.compareAndSet(false, true)) {
            app.close();
            if (health != null) {
              health.stop();
            }
            client.close();
          }
        };
    CountDownLatch signalled = new CountDownLatch(1);
    // A signal ends the process through the path below, so the exit code is 0; the JVM's own
    // handling would run the
    // hooks and exit 143. The hook stays for every other System.exit (e.g. a lost Lease).
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(
            new Signal(name),
            s -> {
              LOG.info("SIG{} received: stopping", name);
              signalled.countDown();
            });
      } catch (IllegalArgumentException e) {
        LOG.debug(
            "cannot handle SIG{} (e.g. -Xrs); the shutdown hook stops the operator instead", name);
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "stop-operator"));
    signalled.await();

    Duration bound = operator.shutdownTimeout().plus(STOP_MARGIN);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                TimeUnit.MILLISECONDS.sleep(bound.toMillis());
                LOG.error("stop did not finish within {}; halting", bound);
                Runtime.getRuntime().halt(ExitCode.FAILED.code());
              } catch (InterruptedException e) {
                // stopped in time
              }
            },
            "stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    stop.run();
    watchdog.interrupt();
    LOG.info("stopped cleanly");
    return ExitCode.OK.code();
  }
}
