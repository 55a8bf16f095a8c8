package dev.nats.accounts.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.testing.TestAccount;
import dev.nats.accounts.testing.TestOperator;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ResolverConfig renders is what nats-server 2.9 accepts, for each resolver type. */
class ResolverConfigLiveTest {

  @TempDir Path dir;

  final TestOperator operator = TestOperator.create("live-config");

  private NatsServerProcess start(ResolverConfig config) throws Exception {
    Files.writeString(dir.resolve("resolver.conf"), config.render());
    return NatsServerProcess.builder(dir).config("include resolver.conf").start();
  }

  private Connection connect(NatsServerProcess server, String creds) throws Exception {
    return Nats.connect(
        Options.builder()
            .server(server.url())
            .maxReconnects(0)
            .reportNoResponders()
            .authHandler(Nats.staticCredentials(creds.getBytes(StandardCharsets.UTF_8)))
            .build());
  }

  @Test
  void fullResolverInADirThatNeedsQuoting() throws Exception {
    Path jwtDir = dir.resolve("jwt dir \"quoted\"");
    Files.createDirectories(jwtDir);
    try (NatsServerProcess server = start(operator.resolverConfig(jwtDir));
        Connection sys = connect(server, operator.systemUserCreds())) {
      TestAccount a = operator.newAccount("a", b -> b);
      PushResult result = new ResolverClient(sys).push(a.jwt());
      assertTrue(result.allAcknowledged(), result.toString());
      assertTrue(Files.exists(jwtDir.resolve(a.pub() + ".jwt")), "stored in the quoted dir");
    }
  }

  @Test
  void memoryResolverServesPreloadedAccountsAndHasNoClaimsUpdateListener() throws Exception {
    TestAccount a = operator.newAccount("a", b -> b);
    ResolverConfig config =
        ResolverConfig.memory(
            operator.jwt(),
            operator.system().pub(),
            operator.system().jwt(),
            Map.of(a.pub(), a.jwt()));
    try (NatsServerProcess server = start(config);
        Connection user = connect(server, a.userCreds("u"));
        Connection sys = connect(server, operator.systemUserCreds())) {
      assertEquals(Connection.Status.CONNECTED, user.getStatus());
      // No server subscribes to CLAIMS.UPDATE under MEMORY: the no-responders status ends the wait.
      PushResult result =
          new ResolverClient(sys, 1, Duration.ofSeconds(10))
              .push(operator.newAccount("b", b -> b).jwt());
      assertEquals(List.of(), result.replies());
      assertFalse(result.acknowledged());
    }
  }

  @Test
  void cacheResolverStartsAndAnswersPushes() throws Exception {
    Path cacheDir = dir.resolve("cache");
    Files.createDirectories(cacheDir);
    ResolverConfig config =
        ResolverConfig.cache(
            operator.jwt(), operator.system().pub(), operator.system().jwt(), cacheDir.toString());
    try (NatsServerProcess server = start(config);
        Connection sys = connect(server, operator.systemUserCreds())) {
      PushResult result = new ResolverClient(sys).push(operator.newAccount("c", b -> b).jwt());
      assertTrue(result.allAcknowledged(), result.toString());
      assertTrue(result.replies().get(0).message().startsWith("jwt update"), result.toString());
    }
  }
}
