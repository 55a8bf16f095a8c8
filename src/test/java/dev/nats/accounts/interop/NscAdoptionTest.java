package dev.nats.accounts.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.SecretKeyRef;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.api.v1alpha1.SigningKeyStatus;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.testing.Clients;
import dev.nats.accounts.testing.MockApiTest;
import dev.nats.accounts.testing.NatsRequests;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Adopting identities made with the real nsc, the way a team moving from nsc to the operator would:
 * {@code nsc add operator}, {@code nsc add account}, {@code nsc edit account --sk generate}, {@code
 * nsc export keys}, then Secrets made from the exported {@code .nk} files (as {@code kubectl create
 * secret generic --from-file} makes them) and resources that adopt them. The operator and
 * nats-server are the real ones (mock API, real nats-server 2.15).
 *
 * <p>{@code spec.identitySecretRef} adopts the identity key only. The account's nsc signing key
 * comes in through the key Secret {@code <account>-account-keys} (entry {@code signing-<key
 * name>}), whose name and layout api.md makes predictable so that keys can be restored; created
 * before the Account, the operator reads it instead of generating that key.
 */
class NscAdoptionTest extends MockApiTest {

  @Test
  void anOperatorAndAnAccountMadeWithNscAreAdoptedAndUsersOfBothToolsConnect() throws Exception {
    Nsc nsc = new Nsc(dir.resolve("nsc"));
    nsc.run("add", "operator", "O");
    nsc.run("add", "account", "A");
    nsc.run("edit", "account", "A", "--sk", "generate");
    String operatorKey = nsc.describeJson("describe", "operator").path("sub").asText();
    JsonNode nscAccount = nsc.describeJson("describe", "account", "A");
    String accountKey = nscAccount.path("sub").asText();
    String nscSigningKey = nscAccount.path("nats").path("signing_keys").path(0).asText();
    assertTrue(
        operatorKey.startsWith("O") && accountKey.startsWith("A") && nscSigningKey.startsWith("A"),
        operatorKey + " " + accountKey + " " + nscSigningKey);
    Map<String, Path> exported = nsc.exportKeys(dir.resolve("exported"));
    assertEquals(Set.of(operatorKey, accountKey, nscSigningKey), exported.keySet());

    // kubectl create secret generic nsc-operator -n nats --from-file=seed=<operator key>.nk
    secretFromFiles("nats", "nsc-operator", Map.of("seed", exported.get(operatorKey)));
    h =
        OperatorHarness.startWith(
            client, dir.resolve("k8s"), spec -> spec.setIdentitySecretRef(ref("nsc-operator")));
    Operator op = h.awaitReady(Operator.class, "nats", "main");
    assertEquals(
        operatorKey, op.getStatus().getPublicKey(), "the Operator reports nsc's operator key");
    DecodedJwt operatorJwt = JwtDecoder.decode(op.getStatus().getJwt());
    assertEquals(operatorKey, operatorJwt.subject());
    assertEquals(
        operatorKey, operatorJwt.issuer(), "the operator JWT is self-signed by the adopted key");
    assertTrue(
        h.resolverConf().contains(op.getStatus().getJwt()),
        "nats-server trusts the adopted operator");

    // The account identity through identitySecretRef; nsc's signing key as entry signing-nsc of
    // a-account-keys.
    secretFromFiles("tenant-a", "nsc-account-a", Map.of("seed", exported.get(accountKey)));
    secretFromFiles(
        "tenant-a", "a-account-keys", Map.of("signing-nsc", exported.get(nscSigningKey)));
    Account a = Fixtures.account("tenant-a", "a");
    a.getSpec().setDisplayName("A");
    a.getSpec().setIdentitySecretRef(ref("nsc-account-a"));
    a.getSpec().setSigningKeys(List.of(signingKey("default"), signingKey("nsc")));
    h.create(a);
    h.create(Fixtures.user("tenant-a", "u", "a"));
    User viaNscKey = Fixtures.user("tenant-a", "v", "a");
    viaNscKey.getSpec().setSigningKey("nsc");
    h.create(viaNscKey);

    a = h.awaitReady(Account.class, "tenant-a", "a");
    assertEquals(accountKey, a.getStatus().getPublicKey(), "the Account reports nsc's account key");
    Map<String, String> keys =
        a.getStatus().getSigningKeys().stream()
            .collect(Collectors.toMap(SigningKeyStatus::getName, SigningKeyStatus::getPublicKey));
    assertEquals(nscSigningKey, keys.get("nsc"), "nsc's signing key is adopted under its name");
    assertNotEquals(nscSigningKey, keys.get("default"));
    DecodedJwt accountJwt = JwtDecoder.decode(a.getStatus().getJwt());
    assertEquals(accountKey, accountJwt.subject());
    assertTrue(
        op.getStatus().getSigningKeys().contains(accountJwt.issuer()),
        "signed by an operator signing key");
    List<String> jwtKeys = new ArrayList<>();
    accountJwt.payload().path("nats").path("signing_keys").forEach(k -> jwtKeys.add(k.asText()));
    assertEquals(Set.of(keys.get("default"), nscSigningKey), Set.copyOf(jwtKeys));
    assertEquals("1/1", a.getStatus().getServers(), "pushed to the running nats-server");
    // Compared by public key: a seed never goes into an assertion message.
    assertEquals(
        accountKey,
        KeyPair.fromSeed(h.secretValue("tenant-a", "a-account-keys", "identity")).publicKey(),
        "the adopted identity is kept in the key Secret");

    // Users the operator issues: signed by its own key "default" and by nsc's key.
    h.awaitReady(User.class, "tenant-a", "u");
    h.awaitReady(User.class, "tenant-a", "v");
    String uCreds = h.secretValue("tenant-a", "u-creds", "user.creds");
    String vCreds = h.secretValue("tenant-a", "v-creds", "user.creds");
    assertEquals(keys.get("default"), JwtDecoder.decode(Creds.parse(uCreds).jwt()).issuer());
    assertEquals(nscSigningKey, JwtDecoder.decode(Creds.parse(vCreds).jwt()).issuer());

    // A user nsc itself signs with the account signing key (nsc add user -K <key>), creds by nsc
    // generate creds.
    nsc.run("add", "user", "-a", "A", "-n", "n", "-K", nscSigningKey);
    String nCreds = nscCreds(nsc, "n");
    DecodedJwt nJwt = JwtDecoder.decode(Creds.parse(nCreds).jwt());
    assertEquals(nscSigningKey, nJwt.issuer());
    assertEquals(accountKey, nJwt.payload().path("nats").path("issuer_account").asText());

    try (Connection u = h.connect(uCreds, null);
        Connection v = h.connect(vCreds, null);
        Connection n = h.connect(nCreds, null)) {
      Clients.respond(u, "adopted.u", "u here");
      Clients.respond(n, "adopted.n", "n here");
      assertEquals(
          NatsRequests.Outcome.reply("u here"),
          NatsRequests.request(n, "adopted.u", "hi"),
          "the nsc-made user reaches the operator's user: same account");
      assertEquals(
          NatsRequests.Outcome.reply("n here"), NatsRequests.request(v, "adopted.n", "hi"));
      assertEquals(
          NatsRequests.Outcome.reply("n here"), NatsRequests.request(u, "adopted.n", "hi"));
    }

    // nsc's default signer is the account identity key (nsc add user without -K). The operator JWT
    // requires signing keys (strict signing key usage), so nats-server refuses such a user.
    nsc.run("add", "user", "-a", "A", "-n", "plain");
    String plainCreds = nscCreds(nsc, "plain");
    assertEquals(accountKey, JwtDecoder.decode(Creds.parse(plainCreds).jwt()).issuer());
    List<String> errors = new CopyOnWriteArrayList<>();
    ErrorListener listener =
        new ErrorListener() {
          @Override
          public void errorOccurred(Connection conn, String error) {
            errors.add(error);
          }
        };
    assertThrows(IOException.class, () -> h.connect(plainCreds, listener).close());
    assertTrue(
        errors.stream().anyMatch(e -> e.toLowerCase().contains("authorization violation")),
        "refused as an authorization violation: " + errors);
  }

  private static String nscCreds(Nsc nsc, String user) throws IOException {
    Path file = nsc.keystore().resolveSibling(user + ".creds");
    nsc.run("generate", "creds", "-a", "A", "-n", user, "-o", file);
    String creds = Files.readString(file);
    assertNotNull(Creds.parse(creds).keyPair());
    return creds;
  }

  private void secretFromFiles(String ns, String name, Map<String, Path> files) throws IOException {
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

  private static SecretKeyRef ref(String name) {
    SecretKeyRef r = new SecretKeyRef();
    r.setName(name);
    return r;
  }

  private static SigningKeySpec signingKey(String name) {
    SigningKeySpec k = new SigningKeySpec();
    k.setName(name);
    return k;
  }
}
