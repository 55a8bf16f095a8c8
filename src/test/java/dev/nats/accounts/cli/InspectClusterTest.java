package dev.nats.accounts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.logging.Seeds;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.SeedTutorial;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The inspection commands on the seed tutorial as the real operator left it on the mock API, run
 * through the jar's main with {@code --kubeconfig} pointing at the mock, as {@code kubectl nats}
 * runs them: every key found with the Secret holding its seed, every JWT verified against its
 * issuer, and a JWT the operator did not sign found out. No output, in any format, carries a seed.
 */
class InspectClusterTest extends OnMockApi {
  static final ObjectMapper JSON = new ObjectMapper();
  final List<String> everything = new ArrayList<>();

  CliTest.Result nats(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--kubeconfig=" + dir.resolve("kubeconfig"));
    CliTest.Result r = CliTest.main(all.toArray(String[]::new));
    everything.add(r.out() + r.err());
    return r;
  }

  @Test
  void theSeedTutorialInspected() throws Exception {
    SeedTutorial.applyAndVerify(h);
    Files.writeString(
        dir.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
        users: [{name: me, user: {token: t}}]
        contexts: [{name: mock, context: {cluster: mock, user: me, namespace: tenant-a}}]
        current-context: mock
        """
            .formatted(client.getConfiguration().getMasterUrl()));
    Operator op = h.get(Operator.class, "nats", "main");
    Account a = h.get(Account.class, "tenant-a", "a");
    Account b = h.get(Account.class, "tenant-b", "b");
    User u = h.get(User.class, "tenant-a", "u");

    // list keys: every public key, and the Secret entry whose seed derives to it.
    CliTest.Result keys = nats("list", "keys", "-A");
    assertEquals(0, keys.code(), keys.err() + keys.out());
    assertRow(keys.out(), op.getStatus().getPublicKey(), "main-operator-keys/identity");
    for (String sk : op.getStatus().getSigningKeys()) {
      assertRow(keys.out(), sk, "main-operator-keys/signing-");
    }
    assertRow(keys.out(), a.getStatus().getPublicKey(), "a-account-keys/identity");
    assertRow(keys.out(), u.getStatus().getPublicKey(), "u-creds/user.creds");
    assertRow(keys.out(), "nats/main (system user)", "main-system-creds/user.creds");
    JsonNode keysJson = JSON.readTree(nats("list", "keys", "-A", "-o", "json").out());
    assertTrue(keysJson.path("verified").asBoolean());
    assertEquals(10, keysJson.path("keys").size(), keysJson.toString());
    CliTest.Result tenantA = nats("list", "keys");
    assertFalse(
        tenantA.out().contains(b.getStatus().getPublicKey()), "the context's namespace only");

    // describe account: the JWT the operator signed, checked against the Operator's JWT.
    CliTest.Result da = nats("describe", "account", "a");
    assertEquals(0, da.code(), da.err() + da.out());
    assertRow(da.out(), "Account ID", a.getStatus().getPublicKey());
    assertRow(da.out(), "Issuer Chain", "signing key of operator nats/main");
    assertRow(da.out(), "Ready", "True");
    assertRow(da.out(), "| help ", "| Service | help ");
    assertRow(da.out(), "| private.help.* ", "| No ");
    CliTest.Result db = nats("describe", "account", "b", "-n", "tenant-b", "-o", "yaml");
    assertEquals(0, db.code(), db.err() + db.out());
    assertTrue(db.out().contains("token: \"valid, jti "), db.out());

    for (String[] args :
        List.of(
            new String[] {"describe", "operator", "main", "-n", "nats"},
            new String[] {"describe", "user", "u"},
            new String[] {"describe", "export", "private-help"},
            new String[] {"describe", "import", "private-help", "-n", "tenant-b"})) {
      CliTest.Result r = nats(args);
      assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.err() + r.out());
      assertTrue(r.out().contains("| Ready "), r.out());
    }
    CliTest.Result dop = nats("describe", "operator", "main", "-n", "nats");
    assertTrue(dop.out().contains(" Operator servers "), dop.out());
    assertRow(dop.out(), h.url(), "| true ");
    CliTest.Result ex = nats("describe", "export", "private-help");
    assertRow(ex.out(), "Account ID", b.getStatus().getPublicKey());
    assertRow(ex.out(), "Issuer Chain", "of account tenant-a/a");

    // verify: operator, system account, accounts, users, activation, each against its issuer.
    CliTest.Result v = nats("verify", "-A");
    assertEquals(0, v.code(), v.err() + v.out());
    long ok = v.out().lines().filter(l -> l.contains("| ok: ")).count();
    assertEquals(7, ok, "operator, SYS, a, b, u, b's user, the activation:\n" + v.out());

    // verify --resolvers: each account JWT against the copy the (real) resolver holds.
    CliTest.Result vr = nats("verify", "-A", "--resolvers");
    assertEquals(0, vr.code(), vr.err() + vr.out());
    assertRow(vr.out(), a.getStatus().getPublicKey(), "| 1/1 in sync ");
    assertRow(vr.out(), b.getStatus().getPublicKey(), "| 1/1 in sync ");
    assertEquals(2, nats("verify", "--server", h.url()).code(), "--server needs --resolvers");

    Files.writeString(
        Crds.projectRoot().resolve("target").resolve("inspect-transcript.txt"),
        "$ kubectl nats describe account a -n tenant-a\n"
            + nats("describe", "account", "a", "-n", "tenant-a").out()
            + "\n$ kubectl nats list keys -A\n"
            + keys.out());

    // Not found, and a usage mistake.
    CliTest.Result missing = nats("describe", "account", "nope");
    assertEquals(1, missing.code());
    assertEquals("account tenant-a/nope not found\n", missing.err());
    assertEquals(2, nats("describe", "widget", "x").code());
    assertEquals(2, nats("list", "keys", "-n", "x", "-A").code());

    // A User whose Account does not exist: describe says why it is not Ready, and exits 1.
    h.create(Fixtures.user("tenant-a", "orphan", "nope"));
    h.awaitCondition(
        User.class,
        "tenant-a",
        "orphan",
        ConditionType.READY,
        Conditions.FALSE,
        Reason.ACCOUNT_NOT_FOUND);
    CliTest.Result orphan = nats("describe", "user", "orphan");
    assertEquals(1, orphan.code(), orphan.out());
    assertRow(orphan.out(), "| Reason ", "AccountNotFound");
    assertTrue(
        orphan.out().contains("user tenant-a/orphan is not Ready: AccountNotFound"), orphan.out());

    // An account JWT the operator never signed: verify says so and exits 1. Issued after the
    // one the resolver holds, so the resolver's copy is stale against it.
    h.stopOperator();
    KeyPair stranger = KeyPair.create(KeyType.OPERATOR);
    Account forged = h.get(Account.class, "tenant-a", "a");
    long resolverIat =
        JwtDecoder.decodeIgnoringTime(a.getStatus().getJwt()).payload().path("iat").asLong();
    forged
        .getStatus()
        .setJwt(
            JwtEncoder.encode(
                AccountClaims.builder("A", a.getStatus().getPublicKey()).build(),
                stranger,
                resolverIat + 100));
    client.resource(forged).updateStatus();
    CliTest.Result bad = nats("verify", "-n", "tenant-a");
    assertEquals(1, bad.code(), bad.out());
    assertTrue(bad.out().contains(stranger.publicKey() + " | FAILED"), bad.out());
    assertTrue(
        bad.out().contains("neither the identity nor a signing key of operator nats/main"),
        bad.out());
    CliTest.Result staleCopy = nats("verify", "-n", "tenant-a", "--resolvers");
    assertEquals(1, staleCopy.code(), staleCopy.out());
    assertRow(
        staleCopy.out(),
        a.getStatus().getPublicKey(),
        "0/1 in sync, 1 stale (issued before the operator's JWT)");

    // An account no resolver holds: named missing on the server.
    KeyPair ghostKey = KeyPair.create(KeyType.ACCOUNT);
    Account ghost = Fixtures.account("tenant-a", "ghost");
    h.create(ghost);
    ghost = h.get(Account.class, "tenant-a", "ghost");
    ghost.setStatus(new dev.nats.accounts.api.v1alpha1.AccountStatus());
    ghost.getStatus().setPublicKey(ghostKey.publicKey());
    ghost
        .getStatus()
        .setJwt(
            JwtEncoder.encode(
                AccountClaims.builder("ghost", ghostKey.publicKey()).build(),
                stranger,
                resolverIat));
    client.resource(ghost).updateStatus();
    CliTest.Result missingCopy = nats("verify", "-n", "tenant-a", "--resolvers", "-o", "json");
    assertEquals(1, missingCopy.code(), missingCopy.out());
    assertTrue(
        missingCopy.out().contains("tenant-a/ghost: resolvers: 0/1 in sync, missing on "),
        missingCopy.out());

    // A key Secret gone: list keys says which key has no seed, and exits 1.
    client.secrets().inNamespace("tenant-a").withName("a-account-keys").delete();
    CliTest.Result lost = nats("list", "keys");
    assertEquals(1, lost.code(), lost.out());
    assertRow(
        lost.out(), a.getStatus().getPublicKey(), "MISSING (no Secret tenant-a/a-account-keys)");
    assertRow(lost.out(), u.getStatus().getPublicKey(), "u-creds/user.creds");

    for (String out : everything) {
      assertFalse(Seeds.PATTERN.matcher(out).find(), "a seed in:\n" + out);
    }
  }

  /** A table line holding both texts. */
  static void assertRow(String out, String first, String second) {
    assertTrue(
        out.lines().anyMatch(l -> l.contains(first) && l.contains(second)),
        first + " ... " + second + " in\n" + out);
  }
}
