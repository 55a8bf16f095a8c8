package dev.nats.accounts.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.SigningKeyStatus;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.nats.PushResult;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.nats.SystemConnection;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.testing.Apply;
import dev.nats.accounts.testing.Clients;
import dev.nats.accounts.testing.MockApiTest;
import dev.nats.accounts.testing.NatsRequests;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.nats.client.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The migration of docs/operations/migrate-from-nsc.md, step by step, with the real nsc and
 * nats-server 2.15: an nsc deployment (operator with a signing key and a system account, accounts
 * signed by the operator signing key, an account signing key, users signed by it) is taken over by
 * creating the key Secrets by their predictable names before the resources ({@code kubectl create
 * secret generic <name> --from-file=identity=<key>.nk ...}).
 *
 * <p>What that buys, and what is checked: the Operator keeps nsc's operator key, operator signing
 * key and system account, so {@code resolver.conf} trusts everything nsc signed; a server switched
 * to {@code resolver.conf} still accepts an account nobody adopted yet (pushed as nsc would), and
 * its users connect; an adopted Account keeps its key and its nsc signing key, and users nsc signed
 * with that key connect and talk to users the operator issues. ({@code NscAdoptionTest} covers the
 * other route, {@code spec.identitySecretRef}.)
 */
class NscMigrationTest extends MockApiTest {

  @Test
  void anNscDeploymentIsTakenOverWithItsOperatorSigningKeyAndSystemAccount() throws Exception {
    // The nsc deployment being migrated.
    Nsc nsc = new Nsc(dir.resolve("nsc"));
    nsc.run("add", "operator", "-n", "O", "--sys", "--generate-signing-key");
    JsonNode op = nsc.describeJson("describe", "operator");
    String operatorKey = op.path("sub").asText();
    String operatorSigningKey = op.path("nats").path("signing_keys").path(0).asText();
    String systemAccountKey = op.path("nats").path("system_account").asText();
    nsc.run("add", "account", "-n", "A", "-K", operatorSigningKey);
    nsc.run("edit", "account", "A", "--sk", "generate", "-K", operatorSigningKey);
    nsc.run("add", "account", "-n", "LEGACY", "-K", operatorSigningKey);
    nsc.run("edit", "account", "LEGACY", "--sk", "generate", "-K", operatorSigningKey);
    JsonNode a = nsc.describeJson("describe", "account", "A");
    String accountKey = a.path("sub").asText();
    String accountSigningKey = a.path("nats").path("signing_keys").path(0).asText();
    String legacySigningKey =
        nsc.describeJson("describe", "account", "LEGACY")
            .path("nats")
            .path("signing_keys")
            .path(0)
            .asText();
    nsc.run("add", "user", "-a", "A", "-n", "n", "-K", accountSigningKey);
    nsc.run("add", "user", "-a", "LEGACY", "-n", "l", "-K", legacySigningKey);

    // Step 1: nsc export keys --operator --accounts --dir ./nsc-keys
    Map<String, Path> keys = nsc.exportKeys(dir.resolve("nsc-keys"));
    assertTrue(
        keys.keySet()
            .containsAll(
                List.of(
                    operatorKey,
                    operatorSigningKey,
                    systemAccountKey,
                    accountKey,
                    accountSigningKey)),
        keys.keySet().toString());

    // Step 2: the key Secrets, by their predictable names, before any resource.
    secret(
        "nats",
        Names.operatorKeys("main"),
        Map.of("identity", keys.get(operatorKey), "signing-1", keys.get(operatorSigningKey)));
    secret("nats", Names.systemAccountKeys("main"), Map.of("identity", keys.get(systemAccountKey)));
    secret(
        "tenant-a",
        Names.accountKeys("a"),
        Map.of("identity", keys.get(accountKey), "signing-nsc", keys.get(accountSigningKey)));

    // Step 3: the Operator; its servers run with resolver.conf (the harness starts nats-server from
    // it).
    h = OperatorHarness.start(client, dir.resolve("k8s"));
    Operator operator = h.awaitReady(Operator.class, "nats", "main");
    assertEquals(operatorKey, operator.getStatus().getPublicKey());
    assertEquals(List.of(operatorSigningKey), operator.getStatus().getSigningKeys());
    assertEquals(systemAccountKey, operator.getStatus().getSystemAccount().getPublicKey());
    assertTrue(h.resolverConf().contains("system_account: " + systemAccountKey), h.resolverConf());

    // Step 4, before any Account is adopted: an account nsc signed is accepted by the switched
    // server.
    String legacyJwt = rawJwt(nsc.run("describe", "account", "LEGACY", "--raw").output());
    try (Connection sys =
        SystemConnection.connect(
            List.of(h.url()),
            h.secretValue("nats", Names.systemCreds("main"), "user.creds"),
            "migration")) {
      PushResult pushed = new ResolverClient(sys).push(legacyJwt);
      assertTrue(pushed.allAcknowledged(), "nsc's account JWT is accepted: " + pushed);
    }

    // Step 5: the Accounts, with the nsc signing key under the name of the Secret entry, and new
    // Users.
    Apply.yaml(
        client,
        """
        apiVersion: accounts.nats.dev/v1alpha1
        kind: Account
        metadata: {name: a, namespace: tenant-a}
        spec:
          operatorRef: {name: main, namespace: nats}
          displayName: A
          signingKeys: [{name: default}, {name: nsc}]
        ---
        apiVersion: accounts.nats.dev/v1alpha1
        kind: User
        metadata: {name: u, namespace: tenant-a}
        spec: {accountRef: {name: a}}
        """);
    Account adopted = h.awaitReady(Account.class, "tenant-a", "a");
    assertEquals(accountKey, adopted.getStatus().getPublicKey());
    Map<String, String> signing =
        adopted.getStatus().getSigningKeys().stream()
            .collect(Collectors.toMap(SigningKeyStatus::getName, SigningKeyStatus::getPublicKey));
    assertEquals(accountSigningKey, signing.get("nsc"));
    assertEquals(
        operatorSigningKey,
        JwtDecoder.decode(adopted.getStatus().getJwt()).issuer(),
        "re-signed with the adopted operator signing key");
    h.awaitReady(User.class, "tenant-a", "u");

    // Users of both tools connect: nsc's n and l (signed by account signing keys), the operator's
    // u.
    String nCreds = creds(nsc, "A", "n");
    String lCreds = creds(nsc, "LEGACY", "l");
    try (Connection u = h.connect(h.secretValue("tenant-a", "u-creds", "user.creds"), null);
        Connection n = h.connect(nCreds, null);
        Connection l = h.connect(lCreds, null)) {
      Clients.respond(u, "migrated.u", "u here");
      Clients.respond(l, "legacy.l", "l here");
      assertEquals(
          NatsRequests.Outcome.reply("u here"), NatsRequests.request(n, "migrated.u", "hi"));
      assertEquals(
          NatsRequests.Outcome.reply("l here"),
          NatsRequests.request(l, "legacy.l", "hi"),
          "the not yet adopted account works on the switched server");
    }
  }

  private static String rawJwt(String nscOutput) {
    Matcher m =
        Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+").matcher(nscOutput);
    assertTrue(m.find(), "nsc printed a JWT: " + nscOutput);
    return m.group();
  }

  private static String creds(Nsc nsc, String account, String user) throws IOException {
    Path file = nsc.keystore().resolveSibling(user + ".creds");
    nsc.run("generate", "creds", "-a", account, "-n", user, "-o", file);
    String creds = Files.readString(file);
    Creds.parse(creds);
    return creds;
  }

  /** kubectl create secret generic NAME -n NS --from-file=ENTRY=FILE ... */
  private void secret(String ns, String name, Map<String, Path> files) throws IOException {
    Map<String, String> data = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : files.entrySet()) {
      data.put(e.getKey(), Base64.getEncoder().encodeToString(Files.readAllBytes(e.getValue())));
    }
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build())
        .create();
  }
}
