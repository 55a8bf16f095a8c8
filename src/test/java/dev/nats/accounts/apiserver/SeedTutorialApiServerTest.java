package dev.nats.accounts.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.owned.Ownership;
import dev.nats.accounts.reconciler.Informers;
import dev.nats.accounts.reconciler.account.AccountReconciler;
import dev.nats.accounts.reconciler.exports.Grants;
import dev.nats.accounts.reconciler.imports.ImportReconciler;
import dev.nats.accounts.reconciler.user.CredsSecrets;
import dev.nats.accounts.reconciler.user.UserReconciler;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Kubectl;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

      // kubectl get nats -A through the built kubectl: every kind is in category "nats", printer
      // columns included.
      String out = new Kubectl(dir, API.server().kubeconfig()).ok("get", "nats", "-A");
      String aKey = h.get(Account.class, "tenant-a", "a").getStatus().getPublicKey();
      String bKey = h.get(Account.class, "tenant-b", "b").getStatus().getPublicKey();
      assertTrue(out.contains("READY"), out);
      assertTrue(out.contains("PUBLIC KEY"), out);
      for (String row :
          new String[] {
            "account.accounts.nats.dev/a",
            "account.accounts.nats.dev/b",
            "user.accounts.nats.dev/u",
            "user.accounts.nats.dev/b",
            "serviceexport.accounts.nats.dev/help",
            "serviceexport.accounts.nats.dev/private-help",
            "serviceimport.accounts.nats.dev/help",
            "serviceimport.accounts.nats.dev/private-help",
            "operator.accounts.nats.dev/main"
          }) {
        String line =
            out.lines()
                .filter(l -> l.contains(row + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(row + " not listed:\n" + out));
        assertTrue(line.matches(".*\\sTrue(\\s.*)?"), row + " is not Ready=True: " + line);
      }
      assertTrue(
          out.lines().anyMatch(l -> l.contains("account.accounts.nats.dev/a ") && l.contains(aKey)),
          out);
      assertTrue(
          out.lines().anyMatch(l -> l.contains("account.accounts.nats.dev/b ") && l.contains(bKey)),
          out);
      System.out.println("kubectl get nats -A:\n" + out);

      secretCachesHoldOnlyWhatTheirReconcilerReads();
    }
  }

  /**
   * The label selectors of the Secret informers, as the real API server evaluates them (set-based:
   * {@code kind in (…)}): the import reconcilers cache no seed at all, the Account reconciler no
   * creds, and creds Secrets (one per User, the most numerous) are cached by the User reconciler
   * alone.
   */
  void secretCachesHoldOnlyWhatTheirReconcilerReads() {
    Map<String, List<Secret>> cached = new TreeMap<>();
    cached.put("Account", secrets(AccountReconciler.SECRETS_OF));
    cached.put("User", secrets(UserReconciler.SECRETS_OF));
    cached.put("ServiceExport", secrets(List.of(ServiceExport.class, Account.class)));
    cached.put("StreamExport", secrets(List.of(StreamExport.class, Account.class)));
    cached.put("ServiceImport", secrets(ImportReconciler.SECRETS_OF));
    cached.put("StreamImport", secrets(ImportReconciler.SECRETS_OF));
    cached.put("Operator", secrets(List.of(Operator.class)));
    List<Secret> managed =
        API.client()
            .secrets()
            .inAnyNamespace()
            .withLabel(Ownership.MANAGED_BY_LABEL, Ownership.MANAGED_BY)
            .list()
            .getItems();
    List<String> creds =
        names(
            managed.stream()
                .filter(
                    x ->
                        x.getData().containsKey(CredsSecrets.CREDS)
                            && "User".equals(Ownership.ownerKindOf(x)))
                .toList());
    assertEquals(2, creds.size(), "the tutorial's two users: " + names(managed));

    assertTrue(!cached.get("ServiceImport").isEmpty(), "the private export's activation token");
    cached
        .get("ServiceImport")
        .forEach(
            x -> {
              assertEquals(
                  java.util.Set.of(Grants.TOKEN_KEY),
                  x.getData().keySet(),
                  x.getMetadata().getName());
              assertFalse(holdsSeed(x), x.getMetadata().getName());
            });
    assertTrue(
        cached.get("Account").stream().anyMatch(SeedTutorialApiServerTest::holdsSeed),
        "it signs with keys");
    cached.forEach(
        (kind, list) -> {
          List<String> withCreds = names(list).stream().filter(creds::contains).toList();
          assertEquals(
              kind.equals("User") ? creds : List.of(),
              withCreds,
              kind + "'s cache: Users' creds Secrets");
        });
    long held = cached.values().stream().mapToLong(List::size).sum();
    long seeds =
        cached.values().stream()
            .flatMap(List::stream)
            .filter(SeedTutorialApiServerTest::holdsSeed)
            .count();
    // Before: six informers (Account, User, two exports, two imports) held every managed Secret,
    // the Operator's its own.
    long before = 6L * managed.size() + cached.get("Operator").size();
    System.out.printf(
        "Secret informers: %d managed Secrets; %d cached copies (%d with a seed); the six unnarrowed "
            + "informers held %d%n",
        managed.size(), held, seeds, before);
    assertTrue(held < before, "narrower than one copy per informer of every managed Secret");
  }

  private static List<Secret> secrets(List<Class<? extends HasMetadata>> owners) {
    return API.client()
        .secrets()
        .inAnyNamespace()
        .withLabelSelector(Informers.ownedBy(owners))
        .list()
        .getItems();
  }

  private static List<String> names(List<Secret> list) {
    return list.stream()
        .map(x -> x.getMetadata().getNamespace() + "/" + x.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** An NKey seed (operator, account or user) in any entry, creds files included. */
  private static boolean holdsSeed(Secret x) {
    return x.getData().values().stream()
        .map(
            v ->
                new String(
                    java.util.Base64.getDecoder().decode(v),
                    java.nio.charset.StandardCharsets.UTF_8))
        .anyMatch(v -> java.util.regex.Pattern.compile("\\bS[OAU][A-Z2-7]{50,}").matcher(v).find());
  }
}
