package dev.nats.accounts.apiserver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Kubectl;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The seed tutorial with the real operator against a real kube-apiserver and nats-server 2.15. */
@Tag("apiserver")
class SeedTutorialApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();

  @TempDir Path dir;

  @Test
  void theTutorialWorksEndToEndOnARealApiServer() throws Exception {
    API.namespaces(SeedTutorial.NAMESPACES);
    try (OperatorHarness h = OperatorHarness.start(API.client(), dir)) {
      SeedTutorial.applyAndVerify(h);

      // kubectl get nats -A through the built kubectl: every kind is in category "nats", printer columns included.
      String out = new Kubectl(dir, API.server().kubeconfig()).ok("get", "nats", "-A");
      String aKey = h.get(Account.class, "tenant-a", "a").getStatus().getPublicKey();
      String bKey = h.get(Account.class, "tenant-b", "b").getStatus().getPublicKey();
      assertTrue(out.contains("READY"), out);
      assertTrue(out.contains("PUBLIC KEY"), out);
      for (String row : new String[] {"account.accounts.nats.dev/a", "account.accounts.nats.dev/b",
          "user.accounts.nats.dev/u", "user.accounts.nats.dev/b", "serviceexport.accounts.nats.dev/help",
          "serviceexport.accounts.nats.dev/private-help", "serviceimport.accounts.nats.dev/help",
          "serviceimport.accounts.nats.dev/private-help", "operator.accounts.nats.dev/main"}) {
        String line = out.lines().filter(l -> l.contains(row + " ")).findFirst()
            .orElseThrow(() -> new AssertionError(row + " not listed:\n" + out));
        assertTrue(line.matches(".*\\sTrue(\\s.*)?"), row + " is not Ready=True: " + line);
      }
      assertTrue(out.lines().anyMatch(l -> l.contains("account.accounts.nats.dev/a ") && l.contains(aKey)), out);
      assertTrue(out.lines().anyMatch(l -> l.contains("account.accounts.nats.dev/b ") && l.contains(bKey)), out);
      System.out.println("kubectl get nats -A:\n" + out);
    }
  }
}
