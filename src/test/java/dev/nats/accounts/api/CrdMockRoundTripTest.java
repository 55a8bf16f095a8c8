package dev.nats.accounts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.api.v1alpha1.ApiGroup;
import dev.nats.accounts.api.v1alpha1.BaseStatus;
import dev.nats.accounts.api.v1alpha1.ExportStatus;
import dev.nats.accounts.api.v1alpha1.ExportSummary;
import dev.nats.accounts.api.v1alpha1.ImportStatus;
import dev.nats.accounts.api.v1alpha1.ImportSummary;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.OperatorStatus;
import dev.nats.accounts.api.v1alpha1.ServerStatus;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceExportStatus;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.ServiceImportStatus;
import dev.nats.accounts.api.v1alpha1.SigningKeyStatus;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamExportStatus;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.StreamImportStatus;
import dev.nats.accounts.api.v1alpha1.SystemAccountStatus;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.api.v1alpha1.UserStatus;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.Manifests;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs register on the fabric8 CRUD mock, and one fully populated instance of each
 * kind survives create, get and status writes (updateStatus, and editStatus as JSON Patch) with
 * every field intact. The mock stores what it gets: it does not validate schemas or evaluate CEL
 * rules (ManifestsTest and CrdSchemaTest cover those).
 */
@EnableKubernetesMockClient(crud = true)
class CrdMockRoundTripTest {
  private static final String T0 = "2026-01-02T03:04:05Z";
  private static final String A_KEY = "ADETPT36WBIBUKM3IBCVM4A5YUSDXFEJPW4M6GGVBYCBW7RRNFTV5NGE";
  private static final String B_KEY = "AAM46E3YF5WOZSE5WNYWHN3YYISVZOSI6XHTF2Q64ECPXSFQZROJMP2H";

  KubernetesClient client;

  @BeforeEach
  void registerCrds() {
    Crds.register(client);
  }

  @Test
  void everyCrdIsRegisteredWithCategoryShortNamesAndStatusSubresource() {
    List<CustomResourceDefinition> crds =
        client.apiextensions().v1().customResourceDefinitions().list().getItems();
    assertEquals(
        Set.of(
            "operators",
            "accounts",
            "users",
            "serviceexports",
            "streamexports",
            "serviceimports",
            "streamimports"),
        crds.stream().map(c -> c.getSpec().getNames().getPlural()).collect(Collectors.toSet()));
    Set<String> shortNames = new java.util.HashSet<>();
    for (CustomResourceDefinition crd : crds) {
      assertEquals(ApiGroup.GROUP, crd.getSpec().getGroup());
      assertEquals("Namespaced", crd.getSpec().getScope());
      assertEquals(
          List.of(ApiGroup.CATEGORY),
          crd.getSpec().getNames().getCategories(),
          crd.getMetadata().getName());
      assertEquals(1, crd.getSpec().getVersions().size());
      assertEquals(ApiGroup.VERSION, crd.getSpec().getVersions().get(0).getName());
      assertNotNull(
          crd.getSpec().getVersions().get(0).getSubresources().getStatus(),
          crd.getMetadata().getName());
      assertTrue(!crd.getSpec().getNames().getShortNames().isEmpty(), crd.getMetadata().getName());
      for (String s : crd.getSpec().getNames().getShortNames()) {
        assertTrue(shortNames.add(s), "short name used twice: " + s);
      }
    }
  }

  @Test
  void everyKindRoundTripsSpecAndStatus() throws IOException {
    List<JsonNode> docs = Manifests.resource(CrdMockRoundTripTest.class, "full.yaml");
    assertEquals(
        Manifests.KINDS.keySet(),
        docs.stream().map(d -> d.get("kind").asText()).collect(Collectors.toSet()));
    for (JsonNode doc : docs) {
      roundTrip(Manifests.bind(doc));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void roundTrip(CustomResource<?, ?> resource) {
    String what = resource.getKind() + " " + resource.getMetadata().getName();
    JsonNode spec = Manifests.tree(resource.getSpec());
    Class<? extends CustomResource> type = resource.getClass();

    CustomResource created = client.resource(resource).create();
    assertEquals(spec, Manifests.tree(created.getSpec()), what + ": spec after create");
    CustomResource stored =
        client
            .resources(type)
            .inNamespace(resource.getMetadata().getNamespace())
            .withName(resource.getMetadata().getName())
            .get();
    assertNotNull(stored, what + ": get");
    assertEquals(spec, Manifests.tree(stored.getSpec()), what + ": spec after get");

    BaseStatus status = fullStatus(stored);
    JsonNode statusTree = Manifests.tree(status);
    ((CustomResource) stored).setStatus(status);
    client.resource(stored).updateStatus();
    CustomResource afterUpdate = reread(stored);
    assertEquals(
        statusTree, Manifests.tree(afterUpdate.getStatus()), what + ": status after updateStatus");
    assertEquals(
        spec, Manifests.tree(afterUpdate.getSpec()), what + ": spec untouched by the status write");

    BaseStatus changed = (BaseStatus) afterUpdate.getStatus();
    changed.setObservedGeneration(afterUpdate.getMetadata().getGeneration());
    changed.getConditions().set(0, condition("Ready", "False", "Pending", "waiting for Account b"));
    JsonNode changedTree = Manifests.tree(changed);
    // JSON Patch on /status (what JOSDK sends with SSA off); see
    // mergePatchOfStatusAppendsListsOnTheMock.
    client
        .resources(type)
        .inNamespace(resource.getMetadata().getNamespace())
        .withName(resource.getMetadata().getName())
        .editStatus(
            x -> {
              ((CustomResource) x).setStatus(changed);
              return x;
            });
    assertEquals(
        changedTree,
        Manifests.tree(reread(stored).getStatus()),
        what + ": status after editStatus");
  }

  /**
   * Pitfall pin for everyone testing on the mock: fabric8's {@code patchStatus()} sends a JSON
   * merge patch, and the 7.5.2 CRUD mock appends list items instead of replacing the list (RFC 7386
   * replaces it), so conditions duplicate. Use {@code editStatus}/JSON Patch or {@code
   * updateStatus} against the mock. When this test fails, the mock has been fixed and the advice
   * can go.
   */
  @Test
  void mergePatchOfStatusAppendsListsOnTheMock() {
    Account account = new Account();
    account.getMetadata().setName("m");
    account.getMetadata().setNamespace("tenant-a");
    Account created = client.resource(account).create();
    created.setStatus(accountStatus());
    client.resource(created).updateStatus();

    Account again = client.resources(Account.class).inNamespace("tenant-a").withName("m").get();
    again.getStatus().getConditions().set(0, condition("Ready", "False", "Pending", "waiting"));
    client.resource(again).patchStatus();

    List<Condition> stored =
        client
            .resources(Account.class)
            .inNamespace("tenant-a")
            .withName("m")
            .get()
            .getStatus()
            .getConditions();
    assertEquals(
        2 * accountStatus().getConditions().size(),
        stored.size(),
        "merge patch appended the conditions");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private CustomResource reread(CustomResource r) {
    return (CustomResource)
        client
            .resources(r.getClass())
            .inNamespace(r.getMetadata().getNamespace())
            .withName(r.getMetadata().getName())
            .get();
  }

  @Test
  void specChangeBumpsGenerationAndKeepsStatus() {
    Account account = new Account();
    account.getMetadata().setName("a");
    account.getMetadata().setNamespace("tenant-a");
    account.getSpec().setDisplayName("A");
    Account created = client.resource(account).create();
    assertEquals(1L, created.getMetadata().getGeneration());

    created.setStatus(accountStatus());
    client.resource(created).updateStatus();
    Account withStatus =
        client.resources(Account.class).inNamespace("tenant-a").withName("a").get();
    withStatus.getSpec().setDisplayName("A2");
    client.resource(withStatus).update();

    Account after = client.resources(Account.class).inNamespace("tenant-a").withName("a").get();
    assertEquals("A2", after.getSpec().getDisplayName());
    assertEquals(2L, after.getMetadata().getGeneration());
    assertEquals(Manifests.tree(accountStatus()), Manifests.tree(after.getStatus()));
  }

  // ---- fully populated statuses, one per kind ----

  private static BaseStatus fullStatus(CustomResource<?, ?> r) {
    if (r instanceof Operator) {
      return operatorStatus();
    } else if (r instanceof Account) {
      return accountStatus();
    } else if (r instanceof User) {
      UserStatus s = base(new UserStatus(), "Ready");
      s.setPublicKey("UCHBHQB4DCJGAZQLSVBDFG2J4KDR6JNLNZ6EC3VX4A3K4WTL7UMOWJDO");
      s.setAccountPublicKey(B_KEY);
      s.setCredsSecretName("b-creds");
      s.setIssuedAt(T0);
      s.setExpiresAt("2026-02-01T03:04:05Z");
      s.setClaimsHash("3f1c");
      return s;
    } else if (r instanceof ServiceExport) {
      return exportStatus(new ServiceExportStatus());
    } else if (r instanceof StreamExport) {
      return exportStatus(new StreamExportStatus());
    } else if (r instanceof ServiceImport) {
      return importStatus(new ServiceImportStatus());
    } else if (r instanceof StreamImport) {
      return importStatus(new StreamImportStatus());
    }
    throw new IllegalArgumentException(r.getKind());
  }

  private static OperatorStatus operatorStatus() {
    OperatorStatus s = base(new OperatorStatus(), "KeysReady", "Connected", "Ready");
    s.setPublicKey("ODLGH2ULS3OM6FT4SDN6O6MJ5RQ6EDVY4KHHCTDFXQ6SNTYB4VD5BGHW");
    s.setSigningKeys(List.of("OAM46E3YF5WOZSE5WNYWHN3YYISVZOSI6XHTF2Q64ECPXSFQZROJMP2H"));
    SystemAccountStatus sys = new SystemAccountStatus();
    sys.setPublicKey("ACELF3QKHGP6FZ6WINUGIW7DLCOKXKJFEUBBN5VPNUF24FDCOND5HTHO");
    s.setSystemAccount(sys);
    ServerStatus server = new ServerStatus();
    server.setUrl("nats://nats.nats.svc:4222");
    server.setConnected(true);
    server.setServerId("NDYJNKSWWQLHYPVIY2CBD2JX4YVBJUJHA77MVXTYMJ4TDUWTSM5PNYYR");
    server.setVersion("2.9.10");
    server.setLastPush(T0);
    s.setServers(List.of(server));
    return s;
  }

  private static AccountStatus accountStatus() {
    AccountStatus s = base(new AccountStatus(), "KeysReady", "ImportsResolved", "Pushed", "Ready");
    s.setPublicKey(A_KEY);
    SigningKeyStatus sk = new SigningKeyStatus();
    sk.setName("default");
    sk.setPublicKey("ABGY7EWOLUKD2D5JOW7AZF62T7CGVBHC2QVAEMA6NWE2ST4VICAXHPLS");
    s.setSigningKeys(List.of(sk));
    s.setJwt("eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln");
    s.setClaimsHash("9c2e1f");
    s.setIssuedAt(T0);
    ExportSummary export = new ExportSummary();
    export.setName("private-help");
    export.setSubject("private.help.*");
    export.setType("service");
    export.setPrivate(true);
    export.setFrom("tenant-a/private-help");
    s.setExports(List.of(export));
    ImportSummary imp = new ImportSummary();
    imp.setName("help");
    imp.setSubject("help");
    imp.setLocalSubject("help.local");
    imp.setType("service");
    imp.setAccount(B_KEY);
    imp.setFrom("tenant-a/help");
    s.setImports(List.of(imp));
    s.setExportCount(1);
    s.setImportCount(1);
    s.setRevokedUsers(2);
    s.setServers("1/1");
    return s;
  }

  private static <S extends ExportStatus> S exportStatus(S s) {
    base(s, "Ready");
    s.setAccountPublicKey(A_KEY);
    ActivationStatus a = new ActivationStatus();
    a.setPublicKey(B_KEY);
    a.setSubject("private.help." + B_KEY);
    a.setSecretName("private-help-activation-aam46e3yf5wo");
    a.setHashId("JTIJTIJTI");
    a.setExpiresAt("2027-01-02T03:04:05Z");
    s.setActivations(List.of(a));
    return s;
  }

  private static <S extends ImportStatus> S importStatus(S s) {
    base(s, "ExportFound", "Authorized", "Ready");
    s.setExporterPublicKey(A_KEY);
    s.setSubject("private.help." + B_KEY);
    s.setLocalSubject("private.help");
    s.setActivationHashId("JTIJTIJTI");
    return s;
  }

  private static <S extends BaseStatus> S base(S s, String... conditionTypes) {
    s.setObservedGeneration(1L);
    List<Condition> conditions = new ArrayList<>();
    for (String t : conditionTypes) {
      conditions.add(condition(t, "True", "Reconciled", t + " is fine"));
    }
    // Ready first, so the patch step can flip it by index.
    conditions.sort(
        (x, y) -> x.getType().equals("Ready") ? -1 : y.getType().equals("Ready") ? 1 : 0);
    s.setConditions(conditions);
    return s;
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(T0)
        .withObservedGeneration(1L)
        .build();
  }
}
