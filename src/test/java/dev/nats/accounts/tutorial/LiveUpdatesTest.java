package dev.nats.accounts.tutorial;

import static dev.nats.accounts.testing.NatsRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.jwt.AccountLimits;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.SigningKey;
import dev.nats.accounts.jwt.UserPermissionLimits;
import dev.nats.accounts.testing.NatsRequests.Outcome;
import dev.nats.accounts.testing.NatsServerExtension;
import dev.nats.accounts.testing.TestAccount;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Account changes pushed to a running server act on live connections, without restarts. */
class LiveUpdatesTest {

  @RegisterExtension static final NatsServerExtension NATS = new NatsServerExtension();

  @Test
  void removingAnImportCutsTheLiveConnectionOffAndReAddingRestoresIt() throws Exception {
    TestAccount b = NATS.createAccount(NATS.uniqueName("B"));
    TestAccount a =
        NATS.createAccount(
            NATS.uniqueName("A"),
            c ->
                c.addExport(Export.service("help", "help"))
                    .addExport(
                        Export.service("private.help", "private.help.*").withTokenReq(true)));
    Connection aUser = NATS.connect(a.userCreds("a-user"));
    Dispatcher d =
        aUser.createDispatcher(
            m -> aUser.publish(m.getReplyTo(), bytes("reply to " + m.getSubject())));
    d.subscribe("help");
    d.subscribe("private.help.*");
    aUser.flush(Duration.ofSeconds(5));

    Import help = Import.service("help", "help", a.pub());
    Import privateHelp =
        Import.service("private.help", "private.help." + b.pub(), a.pub())
            .withToken(a.serviceActivation(b.pub(), "private.help." + b.pub()))
            .withLocalSubject("private.help");
    TestAccount withBoth = NATS.updateAccount(b, c -> c.addImport(help).addImport(privateHelp));
    Connection bUser = NATS.connect(withBoth.userCreds("b-user"));
    assertEquals(Outcome.reply("reply to help"), request(bUser, "help", "x"));
    assertEquals(
        Outcome.reply("reply to private.help." + b.pub()), request(bUser, "private.help", "x"));

    // An acknowledged update is already applied on that server, so no waiting is needed.
    TestAccount withoutHelp = NATS.updateAccount(withBoth, c -> c.imports(List.of(privateHelp)));
    assertEquals(Outcome.NO_RESPONDERS, request(bUser, "help", "x"));
    assertEquals(
        Outcome.reply("reply to private.help." + b.pub()), request(bUser, "private.help", "x"));

    NATS.updateAccount(withoutHelp, c -> c.imports(List.of(help, privateHelp)));
    assertEquals(Outcome.reply("reply to help"), request(bUser, "help", "x"));
    assertEquals(Connection.Status.CONNECTED, bUser.getStatus());
  }

  @Test
  void aConnectionLimitPushedToTheRunningServerRefusesTheSecondConnection() throws Exception {
    TestAccount e = NATS.createAccount(NATS.uniqueName("E"));
    String creds = e.userCreds("u");
    NATS.updateAccount(
        e, c -> c.limits(new AccountLimits(-1, -1, -1, -1, -1, true, false, 1, -1, null, null)));

    Connection first = NATS.connect(creds);
    String refusal = NATS.connectionRefusal(creds);

    assertTrue(refusal.contains("maximum account active connections exceeded"), refusal);
    assertEquals(Connection.Status.CONNECTED, first.getStatus());
  }

  @Test
  void aUserOfAScopedSigningKeyGetsExactlyTheTemplatePermissions() throws Exception {
    KeyPair scoped = KeyPair.create(KeyType.ACCOUNT);
    Permissions template =
        new Permissions(
            new Permission(List.of("app.>"), List.of()),
            new Permission(List.of("app.>", "_INBOX.>"), List.of()),
            null);
    TestAccount f =
        NATS.createAccount(
            NATS.uniqueName("F"),
            c ->
                c.addSigningKey(
                    new SigningKey.Scoped(
                        scoped.publicKey(), "app", UserPermissionLimits.of(template), "apps")));
    List<String> errors = new CopyOnWriteArrayList<>();
    ErrorListener listener =
        new ErrorListener() {
          @Override
          public void errorOccurred(Connection conn, String error) {
            errors.add(error);
          }
        };

    // The user JWT itself carries no permissions at all; they come from the scope's template.
    Connection user =
        NATS.connect(f.userCreds("scoped-user", scoped, UserPermissionLimits.EMPTY), listener);

    Subscription inside = user.subscribe("app.>");
    user.publish("app.orders", bytes("ok"));
    assertEquals(
        "ok",
        new String(inside.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));

    user.publish("other.orders", bytes("nope"));
    user.subscribe("other.>");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> errors.size() >= 2);
    assertTrue(
        errors.stream()
            .anyMatch(m -> m.contains("Permissions Violation for Publish to \"other.orders\"")),
        errors.toString());
    assertTrue(
        errors.stream()
            .anyMatch(m -> m.contains("Permissions Violation for Subscription to \"other.>\"")),
        errors.toString());
  }

  @Test
  void aScopedUserCarryingItsOwnLimitsIsRefused() {
    KeyPair scoped = KeyPair.create(KeyType.ACCOUNT);
    TestAccount f =
        NATS.createAccount(
            NATS.uniqueName("F"),
            c ->
                c.addSigningKey(
                    new SigningKey.Scoped(
                        scoped.publicKey(), "app", UserPermissionLimits.UNLIMITED, null)));

    String refusal =
        NATS.connectionRefusal(f.userCreds("bad", scoped, UserPermissionLimits.UNLIMITED));

    assertTrue(refusal.contains("Authorization Violation"), refusal);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
