package dev.nats.accounts.reconciler;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ExportSpec;
import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.ImportSpec;
import dev.nats.accounts.api.v1alpha1.LocalObjectRef;
import dev.nats.accounts.api.v1alpha1.ObjectRef;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.owned.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every informer index, once. An index is keyed by a typed id, and the same {@link Index} both
 * registers the indexer and answers the lookups of the mappers and reconcilers: the key an indexer
 * writes and the key a lookup asks for cannot drift apart, as they did when each class formatted
 * its own "namespace/name".
 */
public final class Indexes {
  private Indexes() {}

  /**
   * An Account, as references to it resolve (a LocalObjectRef lives in the referrer's namespace).
   */
  public record AccountId(String namespace, String name) {
    public static AccountId of(HasMetadata account) {
      return new AccountId(account.getMetadata().getNamespace(), account.getMetadata().getName());
    }

    /**
     * The Account {@code ref} names from {@code referrer}'s namespace; null when there is no
     * reference.
     */
    public static AccountId referencedBy(HasMetadata referrer, LocalObjectRef ref) {
      return ref == null || ref.getName() == null
          ? null
          : new AccountId(referrer.getMetadata().getNamespace(), ref.getName());
    }

    public ResourceID resourceId() {
      return new ResourceID(name, namespace);
    }

    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  /**
   * An Operator; {@link #ANY} stands for "the only Operator there is" (an Account without
   * operatorRef).
   */
  public record OperatorId(String namespace, String name) {
    public static final OperatorId ANY = new OperatorId("", "*");

    public static OperatorId of(HasMetadata operator) {
      return new OperatorId(
          operator.getMetadata().getNamespace(), operator.getMetadata().getName());
    }

    /** The Operator an Account names (namespace defaults to the Account's), or {@link #ANY}. */
    public static OperatorId of(Account a) {
      ObjectRef ref = a.getSpec() == null ? null : a.getSpec().getOperatorRef();
      if (ref == null) {
        return ANY;
      }
      return new OperatorId(
          ref.getNamespace() == null ? a.getMetadata().getNamespace() : ref.getNamespace(),
          ref.getName());
    }

    public ResourceID resourceId() {
      return new ResourceID(name, namespace);
    }

    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  /**
   * A ServiceExport or StreamExport, as an import's {@code exportRef} names it (kind follows the
   * import's).
   */
  public record ExportId(String namespace, String name) {
    public static ExportId of(HasMetadata export) {
      return new ExportId(export.getMetadata().getNamespace(), export.getMetadata().getName());
    }

    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  /**
   * One index: its name and the typed keys a resource is filed under.
   *
   * @param <R> what it indexes (an index over exports serves ServiceExport and StreamExport caches
   *     alike)
   */
  public record Index<R extends HasMetadata, K>(String name, Function<R, List<K>> keys) {

    public <T extends R> void addTo(IndexerResourceCache<T> cache) {
      cache.addIndexer(name, r -> keys.apply(r).stream().map(Object::toString).toList());
    }

    public <T extends R> List<T> lookup(IndexedResourceCache<T> cache, K key) {
      return cache.byIndex(name, key.toString());
    }

    /** The resources filed under {@code key}, as JOSDK's mappers return them. */
    public <T extends R> Set<ResourceID> ids(IndexedResourceCache<T> cache, K key) {
      return lookup(cache, key).stream().map(ResourceID::fromResource).collect(Collectors.toSet());
    }
  }

  /** Accounts by the Operator they name, or under {@link OperatorId#ANY}. */
  public static final Index<Account, OperatorId> ACCOUNTS_BY_OPERATOR =
      new Index<>("accountsByOperator", a -> List.of(OperatorId.of(a)));

  /** Accounts by the identity their status publishes: one NATS identity belongs to one Account. */
  public static final Index<Account, String> ACCOUNTS_BY_IDENTITY =
      new Index<>(
          "accountsByIdentity",
          a ->
              a.getStatus() == null || a.getStatus().getPublicKey() == null
                  ? List.of()
                  : List.of(a.getStatus().getPublicKey()));

  /** Operators by the identities their status publishes: their own and their system account's. */
  public static final Index<Operator, String> OPERATORS_BY_IDENTITY =
      new Index<>("operatorsByIdentity", Indexes::identities);

  /** Users by their Account. */
  public static final Index<User, AccountId> USERS_BY_ACCOUNT =
      new Index<>(
          "usersByAccount",
          u ->
              listOf(
                  AccountId.referencedBy(
                      u, u.getSpec() == null ? null : u.getSpec().getAccountRef())));

  /** Exports (either kind) by the Account that exports them. */
  public static final Index<CustomResource<? extends ExportSpec, ?>, AccountId> EXPORTS_BY_ACCOUNT =
      new Index<>(
          "exportsByAccount",
          e ->
              listOf(
                  AccountId.referencedBy(
                      e, e.getSpec() == null ? null : e.getSpec().getAccountRef())));

  /**
   * Exports by each Account a grant names (grants by public key are not indexed: no Account event
   * maps to them).
   */
  public static final Index<CustomResource<? extends ExportSpec, ?>, AccountId> EXPORTS_BY_GRANTEE =
      new Index<>("exportsByGrantee", Indexes::grantees);

  /** Imports (either kind) by the importing Account. */
  public static final Index<CustomResource<? extends ImportSpec, ?>, AccountId> IMPORTS_BY_ACCOUNT =
      new Index<>(
          "importsByAccount",
          i ->
              listOf(
                  AccountId.referencedBy(
                      i, i.getSpec() == null ? null : i.getSpec().getAccountRef())));

  /**
   * Imports by the export their {@code from.exportRef} names (namespace defaults to the import's).
   */
  public static final Index<CustomResource<? extends ImportSpec, ?>, ExportId> IMPORTS_BY_EXPORT =
      new Index<>("importsByExport", i -> listOf(exportOf(i)));

  /**
   * Objects of ours by the export (either kind) they were written for: its activation token
   * Secrets, read by a reconcile of that export or its Account without going through the
   * namespace's other Secrets.
   */
  public static final Index<HasMetadata, ExportId> OBJECTS_BY_EXPORT =
      new Index<>("objectsByExport", o -> listOf(exportOwning(o).orElse(null)));

  /** The export an import names, or null for an external import. */
  public static ExportId exportOf(CustomResource<? extends ImportSpec, ?> i) {
    ImportSpec spec = i.getSpec();
    if (spec == null || spec.getFrom() == null || spec.getFrom().getExportRef() == null) {
      return null;
    }
    ObjectRef ref = spec.getFrom().getExportRef();
    return new ExportId(
        ref.getNamespace() == null ? i.getMetadata().getNamespace() : ref.getNamespace(),
        ref.getName());
  }

  private static List<AccountId> grantees(CustomResource<? extends ExportSpec, ?> e) {
    List<AccountId> out = new ArrayList<>();
    if (e.getSpec() != null && e.getSpec().getGrants() != null) {
      for (Grant g : e.getSpec().getGrants()) {
        if (g.getAccount() != null) {
          String ns =
              g.getAccount().getNamespace() == null
                  ? e.getMetadata().getNamespace()
                  : g.getAccount().getNamespace();
          out.add(new AccountId(ns, g.getAccount().getName()));
        }
      }
    }
    return out;
  }

  private static <K> List<K> listOf(K key) {
    return key == null ? List.of() : List.of(key);
  }

  // ---------------------------------------------------------------- objects we wrote, back to
  // their owners

  /**
   * The resource of kind {@code kind} an object of ours was written for, if it was written for one
   * of that kind.
   */
  public static Optional<ResourceID> ownerOf(
      HasMetadata object, Class<? extends HasMetadata> kind) {
    String owner = Ownership.ownerOf(object);
    return owner != null && HasMetadata.getKind(kind).equals(Ownership.ownerKindOf(object))
        ? Optional.of(new ResourceID(owner, object.getMetadata().getNamespace()))
        : Optional.empty();
  }

  /** The Account an object of ours (its key Secret) was written for. */
  public static Optional<AccountId> accountOwning(HasMetadata object) {
    return ownerOf(object, Account.class)
        .map(id -> new AccountId(id.getNamespace().orElseThrow(), id.getName()));
  }

  /** The Operator an object of ours was written for. */
  public static Optional<OperatorId> operatorOwning(HasMetadata object) {
    return ownerOf(object, Operator.class)
        .map(id -> new OperatorId(id.getNamespace().orElseThrow(), id.getName()));
  }

  /** The export (either kind) an object of ours (an activation token Secret) was written for. */
  public static Optional<ExportId> exportOwning(HasMetadata object) {
    return ownerOf(object, dev.nats.accounts.api.v1alpha1.ServiceExport.class)
        .or(() -> ownerOf(object, dev.nats.accounts.api.v1alpha1.StreamExport.class))
        .map(id -> new ExportId(id.getNamespace().orElseThrow(), id.getName()));
  }

  private static List<String> identities(Operator op) {
    List<String> out = new ArrayList<>();
    if (op.getStatus() != null && op.getStatus().getPublicKey() != null) {
      out.add(op.getStatus().getPublicKey());
    }
    if (op.getStatus() != null
        && op.getStatus().getSystemAccount() != null
        && op.getStatus().getSystemAccount().getPublicKey() != null) {
      out.add(op.getStatus().getSystemAccount().getPublicKey());
    }
    return out;
  }
}
