package dev.nats.accounts.app;

import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.metrics.ResourceStatusMetrics;
import dev.nats.accounts.nats.ResolverConnections;
import dev.nats.accounts.reconciler.PushTracker;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.account.AccountReconciler;
import dev.nats.accounts.reconciler.operator.OperatorReconciler;
import dev.nats.accounts.reconciler.user.UserReconciler;
import dev.nats.accounts.reconciler.serviceexport.ServiceExportReconciler;
import dev.nats.accounts.reconciler.serviceimport.ServiceImportReconciler;
import dev.nats.accounts.reconciler.streamexport.StreamExportReconciler;
import dev.nats.accounts.reconciler.streamimport.StreamImportReconciler;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Builds and runs the JOSDK operator with every reconciler. Patches of the primary resources use
 * JSON merge patches, not server-side apply, so the same code runs against any API server,
 * including the fabric8 CRUD mock used by the tests and the local demo.
 */
public final class OperatorApp implements AutoCloseable {
  private final Operator operator;
  private final ResolverConnections connections;
  private final Services services;
  private final ResourceStatusMetrics statusMetrics;

  private OperatorApp(Operator operator, ResolverConnections connections, Services services,
      ResourceStatusMetrics statusMetrics) {
    this.operator = operator;
    this.connections = connections;
    this.services = services;
    this.statusMetrics = statusMetrics;
  }

  public static OperatorApp start(KubernetesClient client, OperatorSettings settings, OperatorMetrics metrics) {
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
    KeySecrets keys =
        new KeySecrets(
            client,
            (type, purpose) -> {
              metrics.keyGenerated(type.name().toLowerCase());
              return KeyPair.create(type);
            });
    Services services =
        new Services(
            client,
            settings,
            metrics,
            keys,
            connections,
            new EventRecorder(client, "nats-account-operator", clock),
            new Conditions(clock),
            new PushTracker(clock),
            new dev.nats.accounts.reconciler.SignedJwts(),
            new dev.nats.accounts.reconciler.StatusWriter(client));
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withConcurrentReconciliationThreads(4)
                  .withMetrics(metrics.reconcileMetrics());
              if (settings.leaderElectionNamespace() != null) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME, settings.leaderElectionNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        null, metrics.leaderCallbacks(), settings.exitOnLostLease()));
              }
            });
    metrics.leading(settings.leaderElectionNamespace() == null);
    OperatorReconciler operators = new OperatorReconciler(services);
    AccountReconciler accounts = new AccountReconciler(services);
    UserReconciler users = new UserReconciler(services);
    operatorsRef.set(operators);
    accountsRef.set(accounts);
    operator.register(operators, namespaces(settings));
    operator.register(accounts, namespaces(settings));
    operator.register(users, namespaces(settings));
    operator.register(new ServiceExportReconciler(services), namespaces(settings));
    operator.register(new StreamExportReconciler(services), namespaces(settings));
    operator.register(new ServiceImportReconciler(services), namespaces(settings));
    operator.register(new StreamImportReconciler(services), namespaces(settings));
    operator.start();
    ResourceStatusMetrics statusMetrics =
        ResourceStatusMetrics.start(client, metrics.registry(), settings.watchNamespaces());
    return new OperatorApp(operator, connections, services, statusMetrics);
  }

  private static <P extends io.fabric8.kubernetes.api.model.HasMetadata> Consumer<ControllerConfigurationOverrider<P>> namespaces(
      OperatorSettings settings) {
    return o -> {
      if (!settings.watchNamespaces().isEmpty()) {
        o.settingNamespaces(settings.watchNamespaces());
      }
    };
  }

  public boolean isReady() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public Services services() {
    return services;
  }

  @Override
  public void close() {
    statusMetrics.close();
    operator.stop();
    connections.close();
  }
}
