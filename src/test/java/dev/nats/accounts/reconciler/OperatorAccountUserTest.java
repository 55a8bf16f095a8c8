package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class OperatorAccountUserTest {
  KubernetesClient client;
  @TempDir Path dir;
  OperatorHarness h;

  @BeforeEach
  void start() throws Exception {
    h = OperatorHarness.start(client, dir);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void operatorAccountAndUserBecomeReadyAndTheCredsConnect() throws Exception {
    Operator op = h.get(Operator.class, "nats", "main");
    assertTrue(op.getStatus().getPublicKey().startsWith("O"));
    assertEquals(1, op.getStatus().getSigningKeys().size());
    assertTrue(op.getStatus().getSystemAccount().getPublicKey().startsWith("A"));
    assertTrue(op.getStatus().getServers().get(0).getConnected());

    h.create(Fixtures.account("tenant-a", "a"));
    h.create(Fixtures.user("tenant-a", "u", "a"));
    Account a = h.awaitReady(Account.class, "tenant-a", "a");
    User u = h.awaitReady(User.class, "tenant-a", "u");

    assertEquals("1/1", a.getStatus().getServers());
    DecodedJwt accountJwt = JwtDecoder.decode(a.getStatus().getJwt());
    assertEquals(a.getStatus().getPublicKey(), accountJwt.subject());
    assertTrue(op.getStatus().getSigningKeys().contains(accountJwt.issuer()), "signed by an operator signing key");

    String creds = h.secretValue("tenant-a", "u-creds", "user.creds");
    assertNotNull(creds);
    assertEquals(u.getStatus().getPublicKey(), Creds.parse(creds).keyPair().publicKey());
    try (Connection c = h.connect(creds, null)) {
      c.createDispatcher(m -> c.publish(m.getReplyTo(), "pong".getBytes(StandardCharsets.UTF_8))).subscribe("ping");
      Message reply = c.request("ping", new byte[0], Duration.ofSeconds(2));
      assertEquals("pong", new String(reply.getData(), StandardCharsets.UTF_8));
    }
  }
}
