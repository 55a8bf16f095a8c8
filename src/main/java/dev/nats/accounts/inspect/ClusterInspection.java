package dev.nats.accounts.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.api.v1alpha1.ExportStatus;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.SigningKeyStatus;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.inspect.Report.Field;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.nats.SystemConnection;
import dev.nats.accounts.reconciler.Names;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nats.client.Connection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator wrote into the cluster, read back as a user with kubectl would: keys and the
 * Secrets that hold their seeds (matched by deriving the public key from each seed, which is never
 * shown), resources with their status, and every JWT checked against its issuer's JWT.
 */
public final class ClusterInspection {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How long to wait for the resolvers' replies to one request. */
  private static final Duration RESOLVER_WAIT = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final Clock clock;

  public ClusterInspection(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** A namespace, or every namespace when null. */
  public record Scope(String namespace) {
    static Scope all() {
      return new Scope(null);
    }
  }

  private <T extends HasMetadata> List<T> list(Class<T> type, Scope scope) {
    var op = client.resources(type);
    List<T> items =
        scope.namespace() == null
            ? op.inAnyNamespace().list().getItems()
            : op.inNamespace(scope.namespace()).list().getItems();
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(
        java.util.Comparator.comparing((T r) -> r.getMetadata().getNamespace())
            .thenComparing(r -> r.getMetadata().getName()));
    return sorted;
  }

  // ---- list keys

  public Report listKeys(Scope scope) {
    List<List<String>> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Operator o : list(Operator.class, scope)) {
      var st = o.getStatus();
      String ns = o.getMetadata().getNamespace();
      String ref = Names.ref(o);
      if (st == null || st.getPublicKey() == null) {
        problems.add("operator " + ref + " has no keys yet");
        continue;
      }
      Map<String, String> seeds = seeds(ns, Names.operatorKeys(o.getMetadata().getName()));
      rows.add(row("Operator", ref, "identity", st.getPublicKey(), seeds, problems));
      for (String k : nullToEmpty(st.getSigningKeys())) {
        rows.add(row("Operator", ref, "signing", k, seeds, problems));
      }
      if (st.getSystemAccount() != null && st.getSystemAccount().getPublicKey() != null) {
        Map<String, String> sys = seeds(ns, Names.systemAccountKeys(o.getMetadata().getName()));
        rows.add(
            row(
                "Account",
                ref + " (system account)",
                "identity",
                st.getSystemAccount().getPublicKey(),
                sys,
                problems));
      }
      String sysCreds = Names.systemCreds(o.getMetadata().getName());
      String sysUser = credsSubject(ns, sysCreds);
      if (sysUser != null) {
        rows.add(
            row(
                "User",
                ref + " (system user)",
                "identity",
                sysUser,
                credsSeed(ns, sysCreds),
                problems));
      }
    }
    for (Account a : list(Account.class, scope)) {
      var st = a.getStatus();
      String ref = Names.ref(a);
      if (st == null || st.getPublicKey() == null) {
        problems.add("account " + ref + " has no keys yet");
        continue;
      }
      Map<String, String> seeds =
          seeds(a.getMetadata().getNamespace(), Names.accountKeys(a.getMetadata().getName()));
      rows.add(row("Account", ref, "identity", st.getPublicKey(), seeds, problems));
      for (SigningKeyStatus k : nullToEmpty(st.getSigningKeys())) {
        rows.add(row("Account", ref, "signing " + k.getName(), k.getPublicKey(), seeds, problems));
      }
    }
    for (User u : list(User.class, scope)) {
      var st = u.getStatus();
      String ref = Names.ref(u);
      if (st == null || st.getPublicKey() == null) {
        problems.add("user " + ref + " has no key yet");
        continue;
      }
      String secret =
          st.getCredsSecretName() == null
              ? Names.userCreds(u.getMetadata().getName())
              : st.getCredsSecretName();
      rows.add(
          row(
              "User",
              ref,
              "identity",
              st.getPublicKey(),
              credsSeed(u.getMetadata().getNamespace(), secret),
              problems));
    }
    return new Report(
        List.of(
            new Report.Rows(
                "Keys", List.of("Kind", "Resource", "Key", "Public Key", "Seed Held In"), rows)),
        problems);
  }

  /**
   * {@code secret/entry} for the entry whose seed derives to {@code publicKey}; the seed itself
   * goes no further than {@link KeyPair}.
   */
  private static List<String> row(
      String kind,
      String ref,
      String role,
      String publicKey,
      Map<String, String> seeds,
      List<String> problems) {
    String holder = seeds.get(publicKey);
    if (holder == null) {
      holder = "MISSING" + (seeds.containsKey("") ? " (" + seeds.get("") + ")" : "");
      problems.add(kind + " " + ref + " " + role + " key " + publicKey + ": no seed for it found");
    }
    return List.of(kind, ref, role, publicKey, holder);
  }

  /**
   * Public key -> "secret-name/entry" for every seed in a key Secret; "" -> why there is none when
   * the Secret cannot be read.
   */
  private Map<String, String> seeds(String namespace, String name) {
    Map<String, String> out = new HashMap<>();
    Secret s;
    try {
      s = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      out.put("", "Secret " + namespace + "/" + name + " unreadable: HTTP " + e.getCode());
      return out;
    }
    if (s == null) {
      out.put("", "no Secret " + namespace + "/" + name);
      return out;
    }
    for (Map.Entry<String, String> e : data(s).entrySet()) {
      try {
        out.put(KeyPair.fromSeed(e.getValue().strip()).publicKey(), name + "/" + e.getKey());
      } catch (RuntimeException notASeed) {
        // another entry (e.g. a creds file); not a key of this Secret
      }
    }
    return out;
  }

  private Map<String, String> credsSeed(String namespace, String name) {
    Map<String, String> out = new HashMap<>();
    Secret s;
    try {
      s = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      out.put("", "Secret " + namespace + "/" + name + " unreadable: HTTP " + e.getCode());
      return out;
    }
    String creds = s == null ? null : data(s).get("user.creds");
    if (creds == null) {
      out.put("", "no Secret " + namespace + "/" + name + " with user.creds");
      return out;
    }
    try {
      out.put(Creds.parse(creds).keyPair().publicKey(), name + "/user.creds");
    } catch (RuntimeException e) {
      out.put("", name + "/user.creds does not parse");
    }
    return out;
  }

  /** The user key a creds Secret's JWT is for (public), or null when there is none to read. */
  private String credsSubject(String namespace, String name) {
    try {
      Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      String creds = s == null ? null : data(s).get("user.creds");
      return creds == null
          ? null
          : JwtDescription.unverified(JwtDescription.token(creds)).subject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Map<String, String> data(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }

  private static <T> List<T> nullToEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  // ---- describe

  public static final List<String> KINDS =
      List.of("operator", "account", "user", "export", "import");

  /** The resource, its status and the JWT(s) it stands for; null when there is no such resource. */
  public Report describe(String kind, String name, String namespace) {
    HasMetadata r = find(kind, name, namespace);
    if (r == null) {
      return null;
    }
    Condition ready = condition(r, "Ready");
    List<String> notReady =
        ready != null && "True".equals(ready.getStatus())
            ? List.of()
            : List.of(
                kind
                    + " "
                    + Names.ref(r)
                    + " is not Ready"
                    + (ready == null
                        ? " (no status yet)"
                        : ": " + ready.getReason() + ": " + ready.getMessage()));
    Report report = new Report(resource(r), notReady);
    if (r instanceof Operator o && o.getStatus() != null) {
      report = report.plus(jwt(o.getStatus().getJwt(), null, "operator " + Names.ref(o)));
    } else if (r instanceof Account a && a.getStatus() != null) {
      report =
          report.plus(jwt(a.getStatus().getJwt(), operatorTrust(a), "account " + Names.ref(a)));
    } else if (r instanceof User u && u.getStatus() != null) {
      report = report.plus(jwt(userJwt(u), accountTrust(u), "user " + Names.ref(u)));
    } else if (r instanceof CustomResource<?, ?> e && e.getStatus() instanceof ExportStatus st) {
      Trust trust = accountTrust(r.getMetadata().getNamespace(), exportAccount(r));
      for (ActivationStatus act : nullToEmpty(st.getActivations())) {
        report =
            report.plus(jwt(activationJwt(r, act), trust, "activation " + act.getSecretName()));
      }
    }
    return report;
  }

  private HasMetadata find(String kind, String name, String ns) {
    List<Class<? extends HasMetadata>> types =
        switch (kind) {
          case "operator" -> List.of(Operator.class);
          case "account" -> List.of(Account.class);
          case "user" -> List.of(User.class);
          case "export" -> List.of(ServiceExport.class, StreamExport.class);
          case "import" -> List.of(ServiceImport.class, StreamImport.class);
          default -> throw new IllegalArgumentException(kind);
        };
    for (Class<? extends HasMetadata> t : types) {
      HasMetadata r = client.resources(t).inNamespace(ns).withName(name).get();
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  /** Kind, Ready and why, the conditions, and every status field (lists as tables). */
  private static List<Report.Section> resource(HasMetadata r) {
    List<Report.Section> out = new ArrayList<>();
    Object status = r instanceof CustomResource<?, ?> cr ? cr.getStatus() : null;
    @SuppressWarnings("unchecked")
    Map<String, Object> st =
        status == null ? Map.of() : MAPPER.convertValue(status, LinkedHashMap.class);
    List<Field> f = new ArrayList<>();
    f.add(new Field("Kind", r.getKind()));
    f.add(new Field("Resource", Names.ref(r)));
    Condition ready = condition(r, "Ready");
    f.add(new Field("Ready", ready == null ? "Unknown (no status yet)" : ready.getStatus()));
    if (ready != null && !"True".equals(ready.getStatus())) {
      f.add(new Field("Reason", ready.getReason()));
      f.add(new Field("Message", ready.getMessage()));
    }
    f.add(Field.SEPARATOR);
    List<Report.Rows> tables = new ArrayList<>();
    for (Map.Entry<String, Object> e : st.entrySet()) {
      if (e.getKey().equals("jwt") || e.getKey().equals("conditions")) {
        continue;
      }
      if (e.getValue() instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?>) {
        tables.add(table(r.getKind() + " " + e.getKey(), l));
      } else if (e.getValue() instanceof Map<?, ?> m) {
        m.forEach((k, v) -> f.add(new Field(e.getKey() + "." + k, cell(v))));
      } else {
        f.add(new Field(e.getKey(), cell(e.getValue())));
      }
    }
    out.add(new Report.Fields(r.getKind(), f));
    Object conds = st.get("conditions");
    if (conds instanceof List<?> l && !l.isEmpty()) {
      out.add(table(r.getKind() + " conditions", l));
    }
    out.addAll(tables);
    return out;
  }

  private static Report.Rows table(String title, List<?> items) {
    List<String> cols = new ArrayList<>();
    for (Object o : items) {
      ((Map<?, ?>) o)
          .keySet()
          .forEach(
              k -> {
                if (!cols.contains(String.valueOf(k))
                    && !"lastTransitionTime".equals(k)
                    && !"observedGeneration".equals(k)) {
                  cols.add(String.valueOf(k));
                }
              });
    }
    List<List<String>> rows = new ArrayList<>();
    for (Object o : items) {
      Map<?, ?> m = (Map<?, ?>) o;
      rows.add(cols.stream().map(c -> cell(m.get(c))).toList());
    }
    return new Report.Rows(title, cols, rows);
  }

  private static String cell(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof List<?> l) {
      return String.join("\n", l.stream().map(String::valueOf).toList());
    }
    return String.valueOf(v);
  }

  private static Condition condition(HasMetadata r, String type) {
    if (r instanceof CustomResource<?, ?> cr
        && cr.getStatus() instanceof dev.nats.accounts.api.v1alpha1.BaseStatus b
        && b.getConditions() != null) {
      return b.getConditions().stream()
          .filter(c -> type.equals(c.getType()))
          .findFirst()
          .orElse(null);
    }
    return null;
  }

  private Report jwt(String token, Trust trust, String what) {
    if (token == null || token.isBlank()) {
      return new Report(List.of(), List.of(what + ": no JWT yet"));
    }
    return JwtDescription.describe(token, clock, trust);
  }

  // ---- who signs what

  private Operator operatorOf(Account a) {
    var ref = a.getSpec() == null ? null : a.getSpec().getOperatorRef();
    if (ref != null && ref.getName() != null) {
      String ns = ref.getNamespace() == null ? a.getMetadata().getNamespace() : ref.getNamespace();
      return client.resources(Operator.class).inNamespace(ns).withName(ref.getName()).get();
    }
    List<Operator> all = client.resources(Operator.class).inAnyNamespace().list().getItems();
    return all.size() == 1 ? all.get(0) : null;
  }

  private Trust operatorTrust(Account a) {
    Operator o = operatorOf(a);
    return o == null || o.getStatus() == null
        ? null
        : Trust.of("operator " + Names.ref(o), o.getStatus().getJwt());
  }

  private Trust accountTrust(User u) {
    return accountTrust(
        u.getMetadata().getNamespace(),
        u.getSpec() == null || u.getSpec().getAccountRef() == null
            ? null
            : u.getSpec().getAccountRef().getName());
  }

  private Trust accountTrust(String ns, String account) {
    if (account == null) {
      return null;
    }
    Account a = client.resources(Account.class).inNamespace(ns).withName(account).get();
    return a == null || a.getStatus() == null
        ? null
        : Trust.of("account " + Names.ref(a), a.getStatus().getJwt());
  }

  private String userJwt(User u) {
    String secret =
        u.getStatus().getCredsSecretName() == null
            ? Names.userCreds(u.getMetadata().getName())
            : u.getStatus().getCredsSecretName();
    Secret s = client.secrets().inNamespace(u.getMetadata().getNamespace()).withName(secret).get();
    String creds = s == null ? null : data(s).get("user.creds");
    return creds == null ? null : JwtDescription.token(creds);
  }

  private static String exportAccount(HasMetadata export) {
    Object spec = ((CustomResource<?, ?>) export).getSpec();
    if (spec instanceof dev.nats.accounts.api.v1alpha1.ExportSpec es
        && es.getAccountRef() != null) {
      return es.getAccountRef().getName();
    }
    return null;
  }

  private String activationJwt(HasMetadata export, ActivationStatus act) {
    if (act.getSecretName() == null) {
      return null;
    }
    Secret s =
        client
            .secrets()
            .inNamespace(export.getMetadata().getNamespace())
            .withName(act.getSecretName())
            .get();
    return s == null ? null : data(s).get("activation.jwt");
  }

  // ---- verify

  /** Every JWT in scope against its issuer: one row each, a problem for each that fails. */
  public Report verify(Scope scope) {
    List<List<String>> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Operator o : list(Operator.class, scope)) {
      var st = o.getStatus();
      check(rows, problems, "Operator", Names.ref(o), st == null ? null : st.getJwt(), null);
      if (st != null && st.getSystemAccount() != null) {
        check(
            rows,
            problems,
            "Account",
            Names.ref(o) + " (system account)",
            st.getSystemAccount().getJwt(),
            Trust.of("operator " + Names.ref(o), st.getJwt()));
      }
    }
    for (Account a : list(Account.class, scope)) {
      check(
          rows,
          problems,
          "Account",
          Names.ref(a),
          a.getStatus() == null ? null : a.getStatus().getJwt(),
          operatorTrust(a));
    }
    for (User u : list(User.class, scope)) {
      check(
          rows,
          problems,
          "User",
          Names.ref(u),
          u.getStatus() == null ? null : userJwt(u),
          accountTrust(u));
    }
    List<HasMetadata> exports = new ArrayList<>(list(ServiceExport.class, scope));
    exports.addAll(list(StreamExport.class, scope));
    for (HasMetadata e : exports) {
      if (((CustomResource<?, ?>) e).getStatus() instanceof ExportStatus st) {
        Trust t = accountTrust(e.getMetadata().getNamespace(), exportAccount(e));
        for (ActivationStatus act : nullToEmpty(st.getActivations())) {
          check(
              rows,
              problems,
              "Activation",
              Names.ref(e) + " -> " + act.getPublicKey(),
              activationJwt(e, act),
              t);
        }
      }
    }
    return new Report(
        List.of(
            new Report.Rows(
                "Verified", List.of("Kind", "Resource", "Subject", "Issuer", "Result"), rows)),
        problems);
  }

  /**
   * Every account JWT in scope compared with each resolver's copy (claims list and lookup, as the
   * Operator's system user). The status says what the operator signed and once pushed; only the
   * servers can say what they hold now.
   *
   * @param servers NATS URLs to use instead of each Operator's {@code spec.servers} (a port-forward
   *     from outside the cluster); empty: the spec's
   */
  public Report verifyResolvers(Scope scope, List<String> servers) {
    Map<String, List<Account>> byOperator = new LinkedHashMap<>();
    Map<String, Operator> operators = new HashMap<>();
    List<List<String>> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Account a : list(Account.class, scope)) {
      String jwt = a.getStatus() == null ? null : a.getStatus().getJwt();
      Operator o = operatorOf(a);
      if (jwt == null || a.getStatus().getPublicKey() == null || o == null) {
        rows.add(List.of(Names.ref(a), "", "NOT CHECKED"));
        problems.add("Account " + Names.ref(a) + ": no JWT or no Operator to compare with");
        continue;
      }
      operators.put(Names.ref(o), o);
      byOperator.computeIfAbsent(Names.ref(o), k -> new ArrayList<>()).add(a);
    }
    byOperator.forEach(
        (ref, accounts) -> compare(operators.get(ref), accounts, servers, rows, problems));
    return new Report(
        List.of(new Report.Rows("Resolvers", List.of("Account", "Account ID", "Copies"), rows)),
        problems);
  }

  private void compare(
      Operator o,
      List<Account> accounts,
      List<String> servers,
      List<List<String>> rows,
      List<String> problems) {
    List<String> urls =
        !servers.isEmpty()
            ? servers
            : o.getSpec() == null || o.getSpec().getServers() == null
                ? List.of()
                : o.getSpec().getServers();
    String creds = systemCreds(o);
    if (urls.isEmpty() || creds == null) {
      String why =
          urls.isEmpty()
              ? "no server URL (spec.servers, or --server)"
              : "no system creds in Secret "
                  + o.getMetadata().getNamespace()
                  + "/"
                  + Names.systemCreds(o.getMetadata().getName());
      for (Account a : accounts) {
        rows.add(List.of(Names.ref(a), a.getStatus().getPublicKey(), "NOT CHECKED"));
      }
      problems.add("operator " + Names.ref(o) + ": " + why);
      return;
    }
    try (Connection c =
        SystemConnection.connect(urls, creds, "nats-account-operator inspect verify")) {
      List<ResolverClient.Holdings> holdings =
          new ResolverClient(c, 1_000, RESOLVER_WAIT).holdings();
      ResolverClient resolvers = new ResolverClient(c, Math.max(1, holdings.size()), RESOLVER_WAIT);
      for (Account a : accounts) {
        String pub = a.getStatus().getPublicKey();
        ResolverCopies copies =
            ResolverCopies.compare(a.getStatus().getJwt(), pub, resolvers.lookupAll(pub), holdings);
        rows.add(List.of(Names.ref(a), pub, copies.summary()));
        if (!copies.ok()) {
          problems.add("Account " + Names.ref(a) + ": resolvers: " + copies.summary());
        }
      }
    } catch (IOException | RuntimeException e) {
      for (Account a : accounts) {
        rows.add(List.of(Names.ref(a), a.getStatus().getPublicKey(), "NOT CHECKED"));
      }
      problems.add("operator " + Names.ref(o) + ": cannot ask the resolvers at " + urls + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add("operator " + Names.ref(o) + ": interrupted");
    }
  }

  /** The system user's creds; null when the Secret or entry is missing (or not readable). */
  private String systemCreds(Operator o) {
    try {
      Secret s =
          client
              .secrets()
              .inNamespace(o.getMetadata().getNamespace())
              .withName(Names.systemCreds(o.getMetadata().getName()))
              .get();
      return s == null ? null : data(s).get("user.creds");
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  private void check(
      List<List<String>> rows,
      List<String> problems,
      String kind,
      String ref,
      String token,
      Trust trust) {
    if (token == null || token.isBlank()) {
      rows.add(List.of(kind, ref, "", "", "NO JWT"));
      problems.add(kind + " " + ref + ": no JWT yet");
      return;
    }
    Report r = JwtDescription.describe(token, clock, trust);
    String subject = "";
    String issuer = "";
    String chain = "";
    if (!r.sections().isEmpty() && r.sections().get(0) instanceof Report.Fields f) {
      for (Field field : f.rows()) {
        if (field.label() == null) {
          continue;
        }
        if (field.label().endsWith(" ID")
            && !field.label().equals("Issuer ID")
            && subject.isEmpty()) {
          subject = field.value();
        } else if (field.label().equals("Issuer ID")) {
          issuer = field.value();
        } else if (field.label().equals("Issuer Chain")) {
          chain = field.value();
        }
      }
    }
    if (trust == null && !kind.equals("Operator")) {
      rows.add(List.of(kind, ref, subject, issuer, "UNKNOWN ISSUER"));
      problems.add(kind + " " + ref + ": its issuer's JWT was not found");
    } else if (r.ok()) {
      rows.add(List.of(kind, ref, subject, issuer, "ok: " + chain));
    } else {
      rows.add(List.of(kind, ref, subject, issuer, "FAILED"));
      r.problems().forEach(p -> problems.add(kind + " " + ref + ": " + p));
    }
  }
}
