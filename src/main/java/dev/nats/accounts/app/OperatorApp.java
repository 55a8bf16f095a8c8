package dev.nats.accounts.app;

import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.nats.ResolverConnections;
import dev.nats.accounts.owned.OwnedObjects;
import dev.nats.accounts.reconciler.PushTracker;
import dev.nats.accounts.reconciler.ReconcilerSettings;
import dev.nats.accounts.reconciler.Services;
import dev.nats.accounts.reconciler.StatusReporter;
import dev.nats.accounts.reconciler.StatusWriter;
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

  private OperatorApp(Operator operator, ResolverConnections connections, Services services) {
    this.operator = operator;
    this.connections = connections;
    this.services = services;
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
    OwnedObjects objects = new OwnedObjects(client);
    KeySecrets keys =
        new KeySecrets(
            objects,
            (type, purpose) -> {
              metrics.keyGenerated(type.name().toLowerCase());
              return KeyPair.create(type);
            });
    Services services =
        new Services(
            client,
            new ReconcilerSettings(settings.resyncInterval(), settings.pushTimeout()),
            metrics,
            keys,
            objects,
            connections,
            new StatusReporter(new Conditions(clock), new EventRecorder(client, "nats-account-operator", clock),
                new StatusWriter(client), metrics, settings.resyncInterval()),
            new PushTracker(clock),
            new dev.nats.accounts.reconciler.SignedJwts());
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withConcurrentReconciliationThreads(4);
              if (settings.leaderElectionNamespace() != null) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME, settings.leaderElectionNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        null, null, settings.exitOnLostLease()));
              }
            });
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
    return new OperatorApp(operator, connections, services);
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
    operator.stop();
    connections.close();
  }
}
