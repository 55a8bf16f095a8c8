package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.ImportSource;
import dev.nats.accounts.api.v1alpha1.LocalObjectRef;
import dev.nats.accounts.api.v1alpha1.ObjectRef;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceExportSpec;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.ServiceImportSpec;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.owned.OwnedObjects;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.reconciler.Indexes.AccountId;
import dev.nats.accounts.reconciler.Indexes.ExportId;
import dev.nats.accounts.reconciler.Indexes.OperatorId;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The typed index keys: references resolve the way the API documents (a missing namespace is the
 * referrer's).
 */
class IndexesTest {

  @Test
  void anAccountIsFiledUnderTheOperatorItNamesOrUnderAny() {
    Account named = Fixtures.account("tenant-a", "a");
    ObjectRef ref = new ObjectRef();
    ref.setName("main");
    named.getSpec().setOperatorRef(ref);
    assertEquals(
        List.of(new OperatorId("tenant-a", "main")),
        Indexes.ACCOUNTS_BY_OPERATOR.keys().apply(named),
        "namespace defaults to the Account's");
    ref.setNamespace("nats");
    assertEquals(
        List.of(new OperatorId("nats", "main")), Indexes.ACCOUNTS_BY_OPERATOR.keys().apply(named));
    assertEquals(
        List.of(OperatorId.ANY),
        Indexes.ACCOUNTS_BY_OPERATOR.keys().apply(Fixtures.account("tenant-a", "b")));

    Operator op = new Operator();
    op.setMetadata(new ObjectMetaBuilder().withNamespace("nats").withName("main").build());
    assertEquals(
        OperatorId.of(op),
        Indexes.ACCOUNTS_BY_OPERATOR.keys().apply(named).get(0),
        "the key an Operator event looks up is the key the Account was filed under");
  }

  @Test
  void usersExportsAndImportsAreFiledUnderTheAccountOfTheirNamespace() {
    User u = Fixtures.user("tenant-a", "u", "a");
    assertEquals(
        List.of(AccountId.of(Fixtures.account("tenant-a", "a"))),
        Indexes.USERS_BY_ACCOUNT.keys().apply(u));
    u.getSpec().setAccountRef(null);
    assertEquals(List.of(), Indexes.USERS_BY_ACCOUNT.keys().apply(u), "no reference, no key");

    ServiceExport e = new ServiceExport();
    e.setMetadata(new ObjectMetaBuilder().withNamespace("tenant-a").withName("help").build());
    ServiceExportSpec spec = new ServiceExportSpec();
    LocalObjectRef a = new LocalObjectRef();
    a.setName("a");
    spec.setAccountRef(a);
    Grant byRef = new Grant();
    ObjectRef b = new ObjectRef();
    b.setName("b");
    byRef.setAccount(b);
    Grant byKey = new Grant();
    byKey.setPublicKey("ABC");
    Grant elsewhere = new Grant();
    ObjectRef c = new ObjectRef();
    c.setName("c");
    c.setNamespace("tenant-c");
    elsewhere.setAccount(c);
    spec.setGrants(List.of(byRef, byKey, elsewhere));
    e.setSpec(spec);
    assertEquals(
        List.of(new AccountId("tenant-a", "a")), Indexes.EXPORTS_BY_ACCOUNT.keys().apply(e));
    assertEquals(
        List.of(new AccountId("tenant-a", "b"), new AccountId("tenant-c", "c")),
        Indexes.EXPORTS_BY_GRANTEE.keys().apply(e));

    ServiceImport i = new ServiceImport();
    i.setMetadata(new ObjectMetaBuilder().withNamespace("tenant-b").withName("help").build());
    ServiceImportSpec is = new ServiceImportSpec();
    LocalObjectRef ib = new LocalObjectRef();
    ib.setName("b");
    is.setAccountRef(ib);
    ImportSource from = new ImportSource();
    ObjectRef exportRef = new ObjectRef();
    exportRef.setName("help");
    from.setExportRef(exportRef);
    is.setFrom(from);
    i.setSpec(is);
    assertEquals(
        List.of(new ExportId("tenant-b", "help")), Indexes.IMPORTS_BY_EXPORT.keys().apply(i));
    exportRef.setNamespace("tenant-a");
    assertEquals(
        List.of(ExportId.of(e)),
        Indexes.IMPORTS_BY_EXPORT.keys().apply(i),
        "the key an export event looks up is the key its importers were filed under");
    assertEquals(
        List.of(new AccountId("tenant-b", "b")), Indexes.IMPORTS_BY_ACCOUNT.keys().apply(i));
    from.setExportRef(null);
    assertEquals(
        List.of(), Indexes.IMPORTS_BY_EXPORT.keys().apply(i), "an external import names no export");
  }

  @Test
  void ourObjectsMapBackToTheirOwnersByKind() {
    Secret keys =
        OwnedObjects.secret(
            new Owner("accounts.nats.dev/v1alpha1", "Account", "tenant-a", "a", "uid"),
            new OwnedObjects.Desired("a-account-keys", Map.of(), Map.of(), null, false));
    assertEquals(Optional.of(new AccountId("tenant-a", "a")), Indexes.accountOwning(keys));
    assertEquals(Optional.empty(), Indexes.operatorOwning(keys));
    assertEquals(Optional.empty(), Indexes.exportOwning(keys));

    Secret token =
        OwnedObjects.secret(
            new Owner("accounts.nats.dev/v1alpha1", "StreamExport", "tenant-a", "feed", "uid"),
            new OwnedObjects.Desired("feed-activation-abc", Map.of(), Map.of(), null, true));
    assertEquals(Optional.of(new ExportId("tenant-a", "feed")), Indexes.exportOwning(token));
    assertEquals(
        Optional.of(new ResourceID("feed", "tenant-a")),
        Indexes.ownerOf(token, StreamExport.class));
    assertEquals(Optional.empty(), Indexes.ownerOf(token, ServiceExport.class));
    assertEquals(
        List.of(new ExportId("tenant-a", "feed")),
        Indexes.OBJECTS_BY_EXPORT.keys().apply(token),
        "a token Secret is filed under its export");
    assertEquals(List.of(), Indexes.OBJECTS_BY_EXPORT.keys().apply(keys), "a key Secret is not");
  }

  @Test
  void theReferenceTheAccountWritesIntoStatusIsReadBackAsTheSameReference() {
    ResourceRef ref = new ResourceRef("ServiceImport", "tenant-b", "private-help");
    assertEquals("ServiceImport tenant-b/private-help", ref.toString());
    assertEquals(Optional.of(ref), ResourceRef.parse(ref.toString()));
    assertNotEquals(Optional.of(ref), ResourceRef.parse("StreamImport tenant-b/private-help"));
    assertTrue(ResourceRef.parse("not a reference").isEmpty());
    assertTrue(ResourceRef.parse(null).isEmpty());
  }
}
