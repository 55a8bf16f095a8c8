package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Clients;
import dev.nats.accounts.testing.GeneratedFiles;
import dev.nats.accounts.testing.Kubectl;
import dev.nats.accounts.testing.NatsRequests;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.nats.client.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/operations/backup-restore.md, run as written with the built kubectl on a real API server:
 * the backup command is taken from the page itself (the block between {@code <!-- backup-command
 * -->} markers), so the page cannot drift from what was tested. Then two disasters: a key Secret
 * deleted (the Operator's and an Account's: SeedLost, restored, Ready with the same identity, old
 * creds still work), and a tenant rebuilt from scratch (resources and keys gone; keys restored
 * before the manifests are applied again: the same account identity comes back, the importing and
 * exporting sides need nothing).
 */
@Tag("apiserver")
class BackupRestoreApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  static final String PAGE = "docs/operations/backup-restore.md";

  @TempDir Path dir;

  /** The backup command of the page: the shell block after the marker. */
  static String backupCommand() {
    Matcher m =
        Pattern.compile("<!-- backup-command -->\\s*```sh\\n(.*?)```", Pattern.DOTALL)
            .matcher(GeneratedFiles.read(PAGE));
    assertTrue(m.find(), PAGE + " has a backup command block after <!-- backup-command -->");
    return m.group(1).strip();
  }

  @Test
  void keySecretsBackedUpWithKubectlRestoreEveryIdentity() throws Exception {
    API.namespaces(SeedTutorial.NAMESPACES);
    Kubectl kubectl = new Kubectl(dir, API.server().kubeconfig());
    try (OperatorHarness h = OperatorHarness.start(API.client(), dir)) {
      SeedTutorial.applyAndVerify(h);
      String operatorKey = h.get(Operator.class, "nats", "main").getStatus().getPublicKey();
      String aKey = h.get(Account.class, "tenant-a", "a").getStatus().getPublicKey();
      String bKey = h.get(Account.class, "tenant-b", "b").getStatus().getPublicKey();
      String uCreds = h.secretValue("tenant-a", "u-creds", "user.creds");

      // The backup, as the page says (kubectl get … -o go-template > nats-keys-backup.yaml).
      String command = backupCommand();
      assertTrue(
          command.startsWith("kubectl get secrets") && command.endsWith("> nats-keys-backup.yaml"),
          command);
      String template =
          command.substring(
              command.indexOf("-o go-template='") + "-o go-template='".length(),
              command.lastIndexOf("'"));
      Matcher sel = Pattern.compile("-l '([^']+)'").matcher(command);
      assertTrue(sel.find(), command);
      String selector = sel.group(1);
      Path backup = dir.resolve("nats-keys-backup.yaml");
      Files.writeString(
          backup,
          kubectl.ok("get", "secrets", "-A", "-l", selector, "-o", "go-template=" + template));
      String saved = Files.readString(backup);
      for (String name :
          List.of(
              "main-operator-keys",
              "main-system-account-keys",
              "a-account-keys",
              "b-account-keys")) {
        assertTrue(
            saved.contains("name: " + name + "\n"), name + " is in the backup:\n" + names(saved));
      }
      assertFalse(
          saved.contains("resourceVersion") || saved.contains("uid:"),
          "a backup restores into any cluster");
      assertFalse(
          saved.contains("-activation-"), "activation tokens are minted again, never restored");

      // Disaster 1: key Secrets deleted by hand. SeedLost, nothing re-keyed; restored, the same
      // identities. An Account's own Secret first, then the Operator's, whose Accounts then wait
      // for it (Pending).
      h.client().secrets().inNamespace("tenant-a").withName("a-account-keys").delete();
      h.awaitCondition(
          Account.class, "tenant-a", "a", ConditionType.READY, Conditions.FALSE, Reason.SEED_LOST);
      h.client().secrets().inNamespace("nats").withName("main-operator-keys").delete();
      h.awaitCondition(
          Operator.class, "nats", "main", ConditionType.READY, Conditions.FALSE, Reason.SEED_LOST);
      h.awaitCondition(
          Account.class, "tenant-b", "b", ConditionType.READY, Conditions.UNKNOWN, Reason.PENDING);
      String restored = kubectl.ok("apply", "-f", backup.toString());
      assertTrue(restored.contains("secret/a-account-keys created"), restored);
      assertTrue(restored.contains("secret/main-operator-keys created"), restored);
      assertEquals(
          operatorKey, h.awaitReady(Operator.class, "nats", "main").getStatus().getPublicKey());
      assertEquals(aKey, h.awaitReady(Account.class, "tenant-a", "a").getStatus().getPublicKey());
      assertEquals(
          uCreds,
          h.secretValue("tenant-a", "u-creds", "user.creds"),
          "creds issued before stay valid");

      // Disaster 2: tenant-b rebuilt. Its resources and its key Secret are gone; the keys come back
      // first, then the manifests (a GitOps sync): Account b has its old identity, so A's grant and
      // activation still fit.
      kubectl.ok(
          "delete", "users.accounts.nats.dev/b", "-n", "tenant-b", "--wait=true", "--timeout=60s");
      kubectl.ok(
          "delete",
          "serviceimports.accounts.nats.dev",
          "--all",
          "-n",
          "tenant-b",
          "--wait=true",
          "--timeout=60s");
      kubectl.ok(
          "delete",
          "accounts.accounts.nats.dev/b",
          "-n",
          "tenant-b",
          "--wait=true",
          "--timeout=60s");
      kubectl.ok("delete", "secret/b-account-keys", "-n", "tenant-b");
      kubectl.ok("apply", "-f", backup.toString());
      kubectl.ok(
          "apply",
          "-f",
          GeneratedFiles.projectFile("examples/seed-tutorial/20-account-b.yaml").toString());
      assertEquals(
          bKey,
          h.awaitReady(Account.class, "tenant-b", "b").getStatus().getPublicKey(),
          "the rebuilt Account has its old identity");
      h.awaitReady(User.class, "tenant-b", "b");
      h.awaitReady(ServiceImport.class, "tenant-b", "private-help");
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () -> h.get(Account.class, "tenant-b", "b").getStatus().getImports(),
              i -> i != null && i.size() == 2);
      try (Connection u = h.connect(uCreds, null);
          Connection b = h.connect(h.secretValue("tenant-b", "b-creds", "user.creds"), null)) {
        Clients.respond(u, "private.help.*", "help is here");
        NatsRequests.Outcome last = null;
        for (int i = 0; i < 20 && !NatsRequests.Outcome.reply("help is here").equals(last); i++) {
          last = NatsRequests.request(b, "private.help", "help_me");
          Thread.sleep(500);
        }
        assertEquals(
            NatsRequests.Outcome.reply("help is here"),
            last,
            "the private import works again with the old grant; "
                + "export status: "
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(
                    h.get(
                            dev.nats.accounts.api.v1alpha1.ServiceExport.class,
                            "tenant-a",
                            "private-help")
                        .getStatus())
                + "\nimport status: "
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(
                    h.get(ServiceImport.class, "tenant-b", "private-help").getStatus())
                + "\nA: "
                + dev.nats.accounts.jwt.JwtDecoder.decode(
                        h.get(Account.class, "tenant-a", "a").getStatus().getJwt())
                    .payload()
                + "\nB: "
                + dev.nats.accounts.jwt.JwtDecoder.decode(
                        h.get(Account.class, "tenant-b", "b").getStatus().getJwt())
                    .payload());
      }
    }
  }

  private static List<String> names(String yaml) {
    return yaml.lines().filter(l -> l.startsWith("  name: ")).toList();
  }
}
