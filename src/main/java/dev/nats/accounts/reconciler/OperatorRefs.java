package dev.nats.accounts.reconciler;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Which Operator an Account belongs to: the one it names, else the only one there is. */
public final class OperatorRefs {
  /** The index value of Accounts that rely on there being exactly one Operator. */
  public static final String ANY = "*";

  private OperatorRefs() {}

  /** "namespace/name" of the named Operator (namespace defaults to the Account's), or {@link #ANY}. */
  public static String indexKey(Account a) {
    if (a.getSpec() == null || a.getSpec().getOperatorRef() == null) {
      return ANY;
    }
    var ref = a.getSpec().getOperatorRef();
    return Names.ref(ref.getNamespace() == null ? a.getMetadata().getNamespace() : ref.getNamespace(), ref.getName());
  }

  public static Operator resolve(Account a, Function<ResourceID, Optional<Operator>> get, Supplier<List<Operator>> all) {
    String ref = indexKey(a);
    if (!ANY.equals(ref)) {
      String[] p = ref.split("/", 2);
      return get.apply(new ResourceID(p[1], p[0])).orElse(null);
    }
    List<Operator> ops = all.get();
    return ops.size() == 1 ? ops.get(0) : null;
  }
}
