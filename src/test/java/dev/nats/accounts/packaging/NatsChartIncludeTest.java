package dev.nats.accounts.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.nats.NatsServerProcess;
import dev.nats.accounts.nats.PushResult;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.nats.ResolverConfig;
import dev.nats.accounts.testing.TestAccount;
import dev.nats.accounts.testing.TestOperator;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/install.md tells users to wire the operator's ConfigMap into the official NATS Helm chart by
 * mounting it next to the chart's config dir and including it with a path relative to that dir
 * ({@code ../nats-account-operator/resolver.conf}), while the chart's own {@code config.resolver}
 * block (kept for its PVC) repeats the same resolver settings. This checks, with a real
 * nats-server, the two things that recipe relies on: a relative include may climb out of the config
 * dir, and a second identical {@code resolver} block, before or after the include, leaves a working
 * full resolver that trusts our operator.
 */
class NatsChartIncludeTest {

  @TempDir Path root;

  @ParameterizedTest(name = "chart resolver block {0} the include")
  @ValueSource(strings = {"before", "after"})
  void serverIncludingResolverConfFromASiblingDirTrustsTheOperator(String order) throws Exception {
    TestOperator operator = TestOperator.create("chart-include");
    Path chartConfigDir = root.resolve("etc/nats-config");
    Path mounted = root.resolve("etc/nats-account-operator");
    Path resolverDir = root.resolve("data/resolver");
    Files.createDirectories(chartConfigDir);
    Files.createDirectories(mounted);
    Files.createDirectories(resolverDir);
    // What OperatorReconciler writes for resolver {type: full, dir: /data/resolver, allowDelete:
    // true}.
    String resolverConf =
        ResolverConfig.full(
                operator.jwt(),
                operator.system().pub(),
                operator.system().jwt(),
                resolverDir.toString(),
                true,
                null)
            .render();
    Files.writeString(mounted.resolve("resolver.conf"), resolverConf);

    String chartResolver =
        "resolver {\n  type: full\n  dir: \"" + resolverDir + "\"\n  allow_delete: true\n}\n";
    String include = "include ../nats-account-operator/resolver.conf\n";
    String config = order.equals("before") ? chartResolver + include : include + chartResolver;

    try (NatsServerProcess server =
            NatsServerProcess.builder(chartConfigDir).config(config).start();
        Connection sys = connect(server, operator.systemUserCreds())) {
      TestAccount a = operator.newAccount("a", b -> b);
      PushResult pushed = new ResolverClient(sys).push(a.jwt());
      assertTrue(pushed.allAcknowledged(), pushed.toString());
      assertTrue(
          Files.exists(resolverDir.resolve(a.pub() + ".jwt")), "stored by the full resolver");

      try (Connection user = connect(server, a.userCreds("u"))) {
        Subscription sub = user.subscribe("hello");
        user.flush(Duration.ofSeconds(5));
        user.publish("hello", "world".getBytes(StandardCharsets.UTF_8));
        Message m = sub.nextMessage(Duration.ofSeconds(5));
        assertEquals("world", m == null ? null : new String(m.getData(), StandardCharsets.UTF_8));
      }
    }
  }

  private static Connection connect(NatsServerProcess server, String creds) throws Exception {
    return Nats.connect(
        Options.builder()
            .server(server.url())
            .maxReconnects(0)
            .authHandler(Nats.staticCredentials(creds.getBytes(StandardCharsets.UTF_8)))
            .build());
  }
}
