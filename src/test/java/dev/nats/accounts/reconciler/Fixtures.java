package dev.nats.accounts.reconciler;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountSpec;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.ExportSpec;
import dev.nats.accounts.api.v1alpha1.ExportSummary;
import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.LocalObjectRef;
import dev.nats.accounts.api.v1alpha1.ObjectRef;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceExportSpec;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamExportSpec;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.api.v1alpha1.UserSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.IntStream;

/** Builders of the custom resources the reconciler tests apply. */
public final class Fixtures {
  private Fixtures() {}

  public static Account account(String ns, String name) {
    Account a = new Account();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    a.setSpec(new AccountSpec());
    return a;
  }

  /** An Account of the Operator {@code operatorNs/operator} (which need not exist). */
  /**
   * A copy of {@code a} whose status lists {@code exports} service exports, without a
   * resourceVersion: written with {@code updateStatus}, it replaces whatever status is there.
   */
  public static Account withExports(Account a, int exports) {
    AccountStatus st = new AccountStatus();
    st.setExports(
        IntStream.range(0, exports)
            .mapToObj(
                i -> {
                  ExportSummary e = new ExportSummary();
                  e.setName("e" + i);
                  e.setSubject("e" + i);
                  e.setType("service");
                  return e;
                })
            .toList());
    Account copy = Serialization.clone(a);
    copy.setStatus(st);
    copy.getMetadata().setResourceVersion(null);
    return copy;
  }

  public static Account account(String ns, String name, String operatorNs, String operator) {
    Account a = account(ns, name);
    ObjectRef ref = new ObjectRef();
    ref.setNamespace(operatorNs);
    ref.setName(operator);
    a.getSpec().setOperatorRef(ref);
    return a;
  }

  public static User user(String ns, String name, String account) {
    User u = new User();
    u.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    UserSpec spec = new UserSpec();
    LocalObjectRef ref = new LocalObjectRef();
    ref.setName(account);
    spec.setAccountRef(ref);
    u.setSpec(spec);
    return u;
  }

  /** A public ServiceExport of {@code subject} from Account {@code account}. */
  public static ServiceExport serviceExport(
      String ns, String name, String account, String subject) {
    ServiceExport e = new ServiceExport();
    e.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    e.setSpec(exportSpec(new ServiceExportSpec(), account, subject));
    return e;
  }

  /** A public StreamExport of {@code subject} from Account {@code account}. */
  public static StreamExport streamExport(String ns, String name, String account, String subject) {
    StreamExport e = new StreamExport();
    e.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    e.setSpec(exportSpec(new StreamExportSpec(), account, subject));
    return e;
  }

  private static <S extends ExportSpec> S exportSpec(S spec, String account, String subject) {
    LocalObjectRef ref = new LocalObjectRef();
    ref.setName(account);
    spec.setAccountRef(ref);
    spec.setSubject(subject);
    return spec;
  }

  /** A grant to Account {@code account} in {@code ns} of private.help.{{account}}. */
  public static Grant grantTo(String ns, String account) {
    Grant g = new Grant();
    ObjectRef ref = new ObjectRef();
    ref.setName(account);
    ref.setNamespace(ns);
    g.setAccount(ref);
    g.setSubject("private.help.{{account}}");
    return g;
  }
}
