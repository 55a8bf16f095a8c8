package dev.nats.accounts.testing;

import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.IssuedAt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserPermissionLimits;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.reconciler.Names;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The moments the harness's nats-server is sent an account JWT, seen as they go by. Some things
 * nats-server itself does when it applies an account JWT (it drops the replies in flight through
 * that account's service exports: {@code ExporterUpdateDuringARequestTest}) cannot be told from the
 * operator's own work otherwise. It listens as a user of the system account signed for the test
 * with that account's key, since the operator's own system user may not subscribe to resolver
 * requests.
 */
public final class ClaimsUpdates implements AutoCloseable {
  private final Connection connection;
  private final Map<String, List<Long>> seen = new ConcurrentHashMap<>();

  private ClaimsUpdates(Connection connection) {
    this.connection = connection;
  }

  public static ClaimsUpdates watch(OperatorHarness h) throws Exception {
    String op = OperatorHarness.OPERATOR_NAME;
    String ns = OperatorHarness.OPERATOR_NS;
    String systemAccount =
        h.get(Operator.class, ns, op).getStatus().getSystemAccount().getPublicKey();
    String signerSeed =
        h.secretValue(ns, Names.systemAccountKeys(op), Names.signingEntry("default")).trim();
    KeyPair signer = KeyPair.fromSeed(signerSeed);
    KeyPair user = KeyPair.create(KeyType.USER);
    UserClaims claims =
        UserClaims.of(
                "claims-update-watch",
                user.publicKey(),
                UserPermissionLimits.of(
                    new Permissions(
                        Permission.NONE,
                        new Permission(
                            List.of(
                                ResolverClient.CLAIMS_UPDATE, "$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE"),
                            List.of()),
                        null)))
            .withIssuerAccount(systemAccount);
    String creds = Creds.format(JwtEncoder.encode(claims, signer, IssuedAt.next(0)), user.seed());
    ClaimsUpdates updates = new ClaimsUpdates(h.connect(creds, null));
    Dispatcher d = updates.connection.createDispatcher(updates::record);
    d.subscribe(ResolverClient.CLAIMS_UPDATE);
    d.subscribe("$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE");
    updates.connection.flush(Duration.ofSeconds(5));
    return updates;
  }

  private void record(Message m) {
    long now = System.nanoTime();
    String subject =
        JwtDecoder.decode(new String(m.getData(), StandardCharsets.UTF_8).trim()).subject();
    seen.computeIfAbsent(subject, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(now);
  }

  /** When a JWT of this account was sent (System.nanoTime), oldest first. */
  public List<Long> of(String accountKey) {
    List<Long> at = seen.get(accountKey);
    if (at == null) {
      return List.of();
    }
    synchronized (at) {
      return List.copyOf(at);
    }
  }

  @Override
  public void close() throws InterruptedException {
    connection.close();
  }
}
