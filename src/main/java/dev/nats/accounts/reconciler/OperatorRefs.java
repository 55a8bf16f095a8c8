package dev.nats.accounts.reconciler;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.reconciler.Indexes.OperatorId;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Which Operator an Account belongs to: the one it names, else the only one there is. */
public final class OperatorRefs {
  private OperatorRefs() {}

  public static Operator resolve(
      Account a, Function<ResourceID, Optional<Operator>> get, Supplier<List<Operator>> all) {
    OperatorId ref = OperatorId.of(a);
    if (!OperatorId.ANY.equals(ref)) {
      return get.apply(ref.resourceId()).orElse(null);
    }
    List<Operator> ops = all.get();
    return ops.size() == 1 ? ops.get(0) : null;
  }
}
