package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.BaseStatus;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.demo.Demo;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.ErrorPathScenarios;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind against one operator on a real kube-apiserver and nats-server: each case
 * is either refused at admission (422, the field named) or ends as Ready=False with its exact
 * reason, a message naming the field and a Warning Event. Around every case, a baseline of good
 * resources of every kind is checked: its JWTs, key Secrets and creds stay byte for byte what they
 * were, and it stays Ready; and a bad resource reconciled once more signs nothing.
 *
 * <p>Each case runs in a namespace of its own, with its own helper resources (set up and Ready
 * before the bad input is applied), so cases cannot disturb each other and a legitimate signature
 * of a helper is never mistaken for a loop. The API server is shared with the baseline, so a case
 * that leaked into another namespace would show in the baseline checks.
 */
@Tag("apiserver")
class BadInputApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  @TempDir static Path dir;
  static OperatorHarness h;
  static Baseline baseline;

  /**
   * A valid account public key, for grants and imports that name an account outside the cluster.
   */
  private static final String KEY = "ABJHLOVMPA4CI6R5KLNGOB4GSLNIY7IOUPAJC4YFNDLQVIOBYQGUWVLA";

  private static final String OP_REF = "operatorRef: {name: main, namespace: nats}";
  private static final Pattern SEED = Pattern.compile("\\bS[OAUNCPX][A-Z2-7]{56}\\b");
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([a-zA-Z]+)(?::([-a-z0-9]+))?}");

  static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put("Operator", Operator.class);
    KINDS.put("Account", Account.class);
    KINDS.put("User", User.class);
    KINDS.put("ServiceExport", ServiceExport.class);
    KINDS.put("StreamExport", StreamExport.class);
    KINDS.put("ServiceImport", ServiceImport.class);
    KINDS.put("StreamImport", StreamImport.class);
  }

  enum Outcome {
    REFUSED,
    NOT_READY
  }

  /**
   * One resource of a case: kind, name, and its spec as flow YAML (for a Secret: its string data),
   * with placeholders {@code ${expSeed}}, {@code ${userSeed}}, {@code ${accountSeed}} and {@code
   * ${key:<account>}} (the public key of an Account of the case, once it is Ready).
   */
  record Doc(String kind, String name, String spec, Map<String, String> annotations) {
    Doc(String kind, String name, String spec) {
      this(kind, name, spec, Map.of());
    }
  }

  /**
   * A bad input: a new resource ({@code create}) or a merge patch of one the setup made Ready
   * ({@code target} + {@code patch}); what must come of it; and the spec change that makes a
   * refused-by-the-operator resource reconcile again ({@code touch}), to show it signs nothing
   * then.
   */
  record Case(
      String kind,
      String description,
      Outcome outcome,
      Reason reason,
      String field,
      List<Doc> setup,
      Doc create,
      String target,
      String patch,
      String touch) {
    @Override
    public String toString() {
      return kind
          + ": "
          + description
          + " -> "
          + (outcome == Outcome.REFUSED ? "422" : "Ready=False " + reason.value());
    }

    String name() {
      return create != null ? create.name() : target;
    }

    Case touch(String newTouch) {
      return new Case(
          kind, description, outcome, reason, field, setup, create, target, patch, newTouch);
    }
  }

  // ---- the catalogue
  // ----------------------------------------------------------------------------------------

  private static Doc account(String name, String rest) {
    return new Doc("Account", name, "{" + OP_REF + (rest.isEmpty() ? "" : ", " + rest) + "}");
  }

  private static Doc account(String name) {
    return account(name, "");
  }

  private static Case refused(String description, String field, Doc bad, Doc... setup) {
    return new Case(
        bad.kind(),
        description,
        Outcome.REFUSED,
        null,
        field,
        List.of(setup),
        bad,
        null,
        null,
        null);
  }

  private static Case refusedUpdate(
      String kind, String description, String field, String target, String patch, Doc... setup) {
    return new Case(
        kind, description, Outcome.REFUSED, null, field, List.of(setup), null, target, patch, null);
  }

  private static Case notReady(
      String description, Reason reason, String field, Doc bad, Doc... setup) {
    return new Case(
        bad.kind(),
        description,
        Outcome.NOT_READY,
        reason,
        field,
        List.of(setup),
        bad,
        null,
        null,
        defaultTouch(bad.kind()));
  }

  private static Case notReadyUpdate(
      String kind,
      String description,
      Reason reason,
      String field,
      String target,
      String patch,
      Doc... setup) {
    return new Case(
        kind,
        description,
        Outcome.NOT_READY,
        reason,
        field,
        List.of(setup),
        null,
        target,
        patch,
        defaultTouch(kind));
  }

  /**
   * A spec change that bumps the generation (JOSDK skips metadata-only changes) without curing the
   * case: a field that the bad resource never gets to sign.
   */
  private static String defaultTouch(String kind) {
    return switch (kind) {
      case "Account", "User" -> "{spec: {displayName: touched}}";
      case "ServiceExport", "StreamExport" -> "{spec: {description: touched}}";
      case "ServiceImport", "StreamImport" -> "{spec: {localSubject: touched.local}}";
      case "Operator" -> "{spec: {accountNamespaces: {names: [touched]}}}";
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static String list(int n, String item) {
    return IntStream.range(0, n)
        .mapToObj(i -> item.replace("#", String.valueOf(i)))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static List<Case> catalogue() {
    List<Case> c = new ArrayList<>();
    String x254 = "x".repeat(254);
    // --- Account: refused by the schema
    c.add(
        refused(
            "operatorRef.name is not a DNS name",
            "spec.operatorRef.name",
            new Doc("Account", "x", "{operatorRef: {name: Main_Op, namespace: nats}}")));
    c.add(refused("metadata.name of 254 characters (limit 253)", "metadata.name", account(x254)));
    c.add(
        refused(
            "limits.connections -2 (only -1 means unlimited)",
            "spec.limits.connections",
            account("x", "limits: {connections: -2}")));
    c.add(
        refused(
            "limits.data is not a quantity",
            "spec.limits.data",
            account("x", "limits: {data: '1 gigabyte'}")));
    c.add(
        refused("limits.payload -5", "spec.limits.payload", account("x", "limits: {payload: -5}")));
    c.add(
        refused(
            "jetstream.streams -3",
            "spec.limits.jetstream.streams",
            account("x", "limits: {jetstream: {streams: -3}}")));
    c.add(
        refused(
            "17 signing keys (maxItems 16)",
            "spec.signingKeys",
            account("x", "signingKeys: " + list(17, "{name: k#}"))));
    c.add(refused("65 tags (maxItems 64)", "spec.tags", account("x", "tags: " + list(65, "t#"))));
    c.add(
        refused(
            "a tag of 257 characters (maxLength 256)",
            "spec.tags[0]",
            account("x", "tags: ['" + "t".repeat(257) + "']")));
    c.add(
        refused(
            "description of 8193 characters (maxLength 8192)",
            "spec.description",
            account("x", "description: '" + "d".repeat(8193) + "'")));
    c.add(
        refused(
            "annotations over the API server's 256 KiB",
            "metadata.annotations",
            new Doc("Account", "x", "{" + OP_REF + "}", Map.of("note", "n".repeat(300_000)))));
    c.add(
        refused(
            "publish permission with '>' not last",
            "spec.defaultPermissions.publish.allow[0]",
            account("x", "defaultPermissions: {publish: {allow: ['a.>.b']}}")));
    c.add(
        refused(
            "subscribe permission with an empty token",
            "spec.defaultPermissions.subscribe.allow[0]",
            account("x", "defaultPermissions: {subscribe: {allow: ['a..b']}}")));
    c.add(
        refused(
            "publish permission with a queue group",
            "publish permissions must not contain spaces",
            account("x", "defaultPermissions: {publish: {allow: ['a.* workers']}}")));
    c.add(
        refused(
            "signing key template source network without a prefix length",
            "spec.signingKeys[0].template.sourceNetworks[0]",
            account(
                "x",
                "signingKeys: [{name: s, role: s, template: {sourceNetworks: ['10.0.0.0']}}]")));
    c.add(
        refused(
            "signing key role without a template",
            "role applies to scoped keys only",
            account("x", "signingKeys: [{name: s, role: s}]")));
    c.add(
        refused(
            "two signing keys with one name",
            "signingKeys names must be unique",
            account("x", "signingKeys: [{name: k}, {name: k}]")));
    c.add(
        refused(
            "identitySecretRef.key with a slash",
            "spec.identitySecretRef.key",
            account("x", "identitySecretRef: {name: id, key: 'a/b'}")));
    c.add(
        refusedUpdate(
            "Account",
            "limits.subscriptions -7 on a Ready account",
            "spec.limits.subscriptions",
            "a",
            "{spec: {limits: {subscriptions: -7}}}",
            account("a")));
    // --- Account: accepted, refused by the operator
    c.add(
        notReady(
            "operatorRef names a missing Operator",
            Reason.OPERATOR_NOT_FOUND,
            "spec.operatorRef",
            new Doc("Account", "x", "{operatorRef: {name: nope, namespace: nats}}")));
    c.add(
        notReadyUpdate(
            "Account",
            "limits.data larger than an int64, on a Ready account",
            Reason.INVALID_SPEC,
            "spec.limits.data",
            "a",
            "{spec: {limits: {data: 9999999999Ei}}}",
            account("a")));
    c.add(
        notReady(
            "jetstream.diskStorage larger than an int64",
            Reason.INVALID_SPEC,
            "spec.limits.jetstream.diskStorage",
            account("x", "limits: {jetstream: {diskStorage: '99999999999999999999'}}")));
    c.add(
        notReady(
            "identitySecretRef names a missing Secret",
            Reason.SECRET_NOT_FOUND,
            "spec.identitySecretRef",
            account("x", "identitySecretRef: {name: missing}")));
    c.add(
        notReady(
            "identitySecretRef holds a garbage seed",
            Reason.INVALID_SEED,
            "spec.identitySecretRef",
            account("x", "identitySecretRef: {name: garbage}"),
            new Doc("Secret", "garbage", "{seed: SAnotaseedatall}")));
    c.add(
        notReady(
            "identitySecretRef holds a user seed (wrong key type)",
            Reason.INVALID_SEED,
            "spec.identitySecretRef",
            account("x", "identitySecretRef: {name: userseed}"),
            new Doc("Secret", "userseed", "{seed: '${userSeed}'}")));
    c.add(
        notReady(
            "identitySecretRef holds the seed of another Account (the baseline's)",
            Reason.IDENTITY_IN_USE,
            "spec.identitySecretRef",
            account("x", "identitySecretRef: {name: stolen}"),
            new Doc("Secret", "stolen", "{seed: '${expSeed}'}")));
    c.add(
        notReady(
            "signing key template responses.ttl longer than a Go duration holds",
            Reason.INVALID_SPEC,
            "spec.signingKeys[0].template.responses.ttl",
            account(
                "x",
                "signingKeys: [{name: s, role: s, template: {responses: {max: 1, ttl: 3000000h}}}]")));
    c.add(
        notReady(
            "defaultPermissions responses.ttl of 3000000h",
            Reason.INVALID_SPEC,
            "spec.defaultPermissions.responses.ttl",
            account("x", "defaultPermissions: {responses: {max: 1, ttl: 3000000h}}")));
    c.add(
        notReady(
            "signing key template source network with a /99 prefix",
            Reason.INVALID_SPEC,
            "spec.signingKeys[0].template.sourceNetworks[0]",
            account(
                "x",
                "signingKeys: [{name: s, role: s, template: {sourceNetworks: ['10.0.0.0/99']}}]")));

    // --- User: refused by the schema
    c.add(
        refused(
            "expiresAfter negative",
            "spec.expiresAfter",
            new Doc("User", "x", "{accountRef: {name: a}, expiresAfter: '-1h'}")));
    c.add(
        refused(
            "expiresAfter in words",
            "spec.expiresAfter",
            new Doc("User", "x", "{accountRef: {name: a}, expiresAfter: '10 days'}")));
    c.add(
        refused(
            "renewBefore without expiresAfter",
            "renewBefore needs expiresAfter",
            new Doc("User", "x", "{accountRef: {name: a}, renewBefore: 1h}")));
    c.add(
        refused(
            "257 subscribe subjects (maxItems 256)",
            "spec.permissions.subscribe.allow",
            new Doc(
                "User",
                "x",
                "{accountRef: {name: a}, permissions: {subscribe: {allow: "
                    + list(257, "s.#")
                    + "}}}")));
    c.add(
        refused(
            "a publish subject of 257 characters (maxLength 256)",
            "spec.permissions.publish.allow[0]",
            new Doc(
                "User",
                "x",
                "{accountRef: {name: a}, permissions: {publish: {allow: ['"
                    + "p".repeat(257)
                    + "']}}}")));
    c.add(
        refused(
            "a wildcard inside a token",
            "spec.permissions.publish.allow[0]",
            new Doc(
                "User",
                "x",
                "{accountRef: {name: a}, permissions: {publish: {allow: ['a.b*']}}}")));
    c.add(
        refused(
            "credsSecretName is not a DNS name",
            "spec.credsSecretName",
            new Doc("User", "x", "{accountRef: {name: a}, credsSecretName: Bad_Name}")));
    c.add(
        refused(
            "unknown connection type",
            "spec.connectionTypes[0]",
            new Doc("User", "x", "{accountRef: {name: a}, connectionTypes: [TELNET]}")));
    c.add(
        refused(
            "responses.max -2",
            "spec.permissions.responses.max",
            new Doc("User", "x", "{accountRef: {name: a}, permissions: {responses: {max: -2}}}")));
    c.add(
        refusedUpdate(
            "User",
            "accountRef changed on a Ready user",
            "accountRef is immutable",
            "u",
            "{spec: {accountRef: {name: other}}}",
            account("a"),
            new Doc("User", "u", "{accountRef: {name: a}}")));
    // --- User: accepted, refused by the operator
    c.add(
        notReady(
            "accountRef names a missing Account",
            Reason.ACCOUNT_NOT_FOUND,
            "spec.accountRef",
            new Doc("User", "x", "{accountRef: {name: nope}}")));
    c.add(
        notReady(
            "expiresAfter longer than a Go duration holds (3000000h)",
            Reason.INVALID_SPEC,
            "spec.expiresAfter",
            new Doc("User", "x", "{accountRef: {name: a}, expiresAfter: 3000000h}"),
            account("a")));
    c.add(
        notReady(
            "expiresAfter 0",
            Reason.INVALID_SPEC,
            "spec.expiresAfter",
            new Doc("User", "x", "{accountRef: {name: a}, expiresAfter: '0'}"),
            account("a")));
    c.add(
        notReady(
            "renewBefore longer than expiresAfter",
            Reason.INVALID_SPEC,
            "spec.renewBefore",
            new Doc("User", "x", "{accountRef: {name: a}, expiresAfter: 24h, renewBefore: 48h}"),
            account("a")));
    c.add(
        notReady(
            "renewBefore equal to expiresAfter",
            Reason.INVALID_SPEC,
            "spec.renewBefore",
            new Doc("User", "x", "{accountRef: {name: a}, expiresAfter: 24h, renewBefore: 1440m}"),
            account("a")));
    c.add(
        notReady(
            "signingKey names a key the Account does not have",
            Reason.SIGNING_KEY_NOT_FOUND,
            "spec.signingKey",
            new Doc("User", "x", "{accountRef: {name: a}, signingKey: nope}"),
            account("a")));
    c.add(
        notReady(
            "credsSecretName names a Secret someone else made",
            Reason.SECRET_CONFLICT,
            "spec.credsSecretName",
            new Doc("User", "x", "{accountRef: {name: a}, credsSecretName: theirs}"),
            account("a"),
            new Doc("Secret", "theirs", "{password: hunter2}")));
    c.add(
        notReady(
            "credsSecretName names its Account's key Secret",
            Reason.SECRET_CONFLICT,
            "spec.credsSecretName",
            new Doc("User", "x", "{accountRef: {name: a}, credsSecretName: a-account-keys}"),
            account("a")));
    c.add(
        notReady(
            "source network with a /99 prefix",
            Reason.INVALID_SPEC,
            "spec.sourceNetworks[0]",
            new Doc("User", "x", "{accountRef: {name: a}, sourceNetworks: ['10.0.0.0/99']}"),
            account("a")));
    c.add(
        notReady(
            "permissions on a user signed by a scoped key",
            Reason.INVALID_SPEC,
            "spec.permissions",
            new Doc(
                "User",
                "x",
                "{accountRef: {name: a}, signingKey: apps, permissions: {publish: {allow: [x]}}}"),
            account(
                "a",
                "signingKeys: [{name: default}, {name: apps, role: apps, template: {subscribe: {allow: ['_INBOX.>']}}}]")));
    c.add(
        notReady(
            "responses.ttl of 3000000h",
            Reason.INVALID_SPEC,
            "spec.permissions.responses.ttl",
            new Doc(
                "User", "x", "{accountRef: {name: a}, permissions: {responses: {ttl: 3000000h}}}"),
            account("a")));
    c.add(
        notReady(
            "limits.data larger than an int64",
            Reason.INVALID_SPEC,
            "spec.limits.data",
            new Doc("User", "x", "{accountRef: {name: a}, limits: {data: '99999999999999999999'}}"),
            account("a")));
    c.add(
        notReadyUpdate(
            "User",
            "expiresAfter 0 on a Ready user",
            Reason.INVALID_SPEC,
            "spec.expiresAfter",
            "u",
            "{spec: {expiresAfter: '0'}}",
            account("a"),
            new Doc("User", "u", "{accountRef: {name: a}}")));

    // --- ServiceExport: refused by the schema
    c.add(
        refused(
            "subject with '>' not last",
            "spec.subject",
            new Doc("ServiceExport", "x", "{accountRef: {name: a}, subject: 'svc.>.x'}")));
    c.add(
        refused(
            "subject with an empty token",
            "spec.subject",
            new Doc("ServiceExport", "x", "{accountRef: {name: a}, subject: 'svc..x'}")));
    c.add(
        refused(
            "grants on a public export",
            "grants need private: true",
            new Doc(
                "ServiceExport",
                "x",
                "{accountRef: {name: a}, subject: svc, grants: [{publicKey: " + KEY + "}]}")));
    c.add(
        refused(
            "latency sampling 0",
            "sampling must be 1..100",
            new Doc(
                "ServiceExport",
                "x",
                "{accountRef: {name: a}, subject: svc, latency: {sampling: 0, subject: lat.x}}")));
    c.add(
        refused(
            "responseThreshold negative",
            "spec.responseThreshold",
            new Doc(
                "ServiceExport",
                "x",
                "{accountRef: {name: a}, subject: svc, responseThreshold: '-5s'}")));
    c.add(
        refused(
            "unknown responseType",
            "spec.responseType",
            new Doc(
                "ServiceExport",
                "x",
                "{accountRef: {name: a}, subject: svc, responseType: Many}")));
    c.add(
        refused(
            "513 grants (maxItems 512)",
            "spec.grants",
            new Doc(
                "ServiceExport",
                "x",
                "{accountRef: {name: a}, subject: svc, private: true, grants: "
                    + list(513, "{publicKey: " + KEY + "}")
                    + "}")));
    c.add(
        refused(
            "grant to a user key instead of an account key",
            "spec.grants[0].publicKey",
            new Doc(
                "ServiceExport",
                "x",
                "{accountRef: {name: a}, subject: svc, private: true, grants: [{publicKey: U"
                    + KEY.substring(1)
                    + "}]}")));
    c.add(
        refused(
            "accountTokenPosition 129 (maximum 128)",
            "spec.accountTokenPosition",
            new Doc(
                "ServiceExport",
                "x",
                "{accountRef: {name: a}, subject: 'svc.*', accountTokenPosition: 129}")));
    // --- ServiceExport: accepted, refused by the operator
    c.add(
        notReady(
            "accountRef names a missing Account",
            Reason.ACCOUNT_NOT_FOUND,
            "spec.accountRef",
            new Doc("ServiceExport", "x", "{accountRef: {name: nope}, subject: svc}")));
    Doc privateExport =
        new Doc("ServiceExport", "e", "{accountRef: {name: a}, subject: 'pe.>', private: true}");
    c.add(
        notReadyUpdate(
                "ServiceExport",
                "a grant naming a missing Account",
                Reason.ACCOUNT_NOT_FOUND,
                "grants[0].account",
                "e",
                "{spec: {grants: [{account: {name: nope}}]}}",
                account("a"),
                privateExport)
            .touch("{spec: {grants: [{account: {name: nope-too}}]}}"));
    c.add(
        notReadyUpdate(
                "ServiceExport",
                "a grant subject outside the export's subject",
                Reason.SUBJECT_NOT_IN_EXPORT,
                "grants[0].subject",
                "e",
                "{spec: {grants: [{publicKey: " + KEY + ", subject: other.x}]}}",
                account("a"),
                privateExport)
            .touch("{spec: {grants: [{publicKey: " + KEY + ", subject: other.y}]}}"));
    c.add(
        notReadyUpdate(
                "ServiceExport",
                "a grant expiring after 0",
                Reason.INVALID_SPEC,
                "spec.grants[0].expiresAfter",
                "e",
                "{spec: {grants: [{publicKey: " + KEY + ", expiresAfter: '0'}]}}",
                account("a"),
                privateExport)
            .touch("{spec: {grants: [{publicKey: " + KEY + ", expiresAfter: 0s}]}}"));
    c.add(
        notReadyUpdate(
                "ServiceExport",
                "a grant expiring after 3000000h",
                Reason.INVALID_SPEC,
                "spec.grants[0].expiresAfter",
                "e",
                "{spec: {grants: [{publicKey: " + KEY + ", expiresAfter: 3000000h}]}}",
                account("a"),
                privateExport)
            .touch("{spec: {grants: [{publicKey: " + KEY + ", expiresAfter: 3000001h}]}}"));
    c.add(
        notReady(
            "responseThreshold longer than a Go duration holds",
            Reason.INVALID_SPEC,
            "spec.responseThreshold",
            new Doc(
                "ServiceExport",
                "x",
                "{accountRef: {name: a}, subject: svc, responseThreshold: 3000000h}"),
            account("a")));
    c.add(
        notReady(
            "subject overlapping another export of the account",
            Reason.SUBJECT_OVERLAP,
            "spec.subject",
            new Doc("ServiceExport", "zz", "{accountRef: {name: a}, subject: ov.x}"),
            account("a"),
            new Doc("ServiceExport", "e1", "{accountRef: {name: a}, subject: 'ov.>'}")));

    // --- StreamExport
    c.add(
        refused(
            "subject with a space",
            "spec.subject",
            new Doc("StreamExport", "x", "{accountRef: {name: a}, subject: 'ev.a b'}")));
    c.add(
        refused(
            "accountTokenPosition without a * in the subject",
            "accountTokenPosition needs a * token",
            new Doc(
                "StreamExport",
                "x",
                "{accountRef: {name: a}, subject: ev.a, accountTokenPosition: 2}")));
    c.add(
        refused(
            "a grant naming both an account and a public key",
            "a grant names exactly one of account or publicKey",
            new Doc(
                "StreamExport",
                "x",
                "{accountRef: {name: a}, subject: ev, private: true, grants: [{publicKey: "
                    + KEY
                    + ", account: {name: b}}]}")));
    c.add(
        refusedUpdate(
            "StreamExport",
            "accountRef changed on a Ready export",
            "accountRef is immutable",
            "e",
            "{spec: {accountRef: {name: other}}}",
            account("a"),
            new Doc("StreamExport", "e", "{accountRef: {name: a}, subject: 'ev.>'}")));
    c.add(
        notReady(
            "accountRef names a missing Account",
            Reason.ACCOUNT_NOT_FOUND,
            "spec.accountRef",
            new Doc("StreamExport", "x", "{accountRef: {name: nope}, subject: ev}")));
    c.add(
        notReady(
            "subject overlapping another export of the account",
            Reason.SUBJECT_OVERLAP,
            "spec.subject",
            new Doc("StreamExport", "zz", "{accountRef: {name: a}, subject: 'ov.*'}"),
            account("a"),
            new Doc("StreamExport", "e1", "{accountRef: {name: a}, subject: 'ov.>'}")));
    c.add(
        notReadyUpdate(
                "StreamExport",
                "a grant subject outside the export's subject",
                Reason.SUBJECT_NOT_IN_EXPORT,
                "grants[0].subject",
                "e",
                "{spec: {grants: [{publicKey: " + KEY + ", subject: other.x}]}}",
                account("a"),
                new Doc(
                    "StreamExport", "e", "{accountRef: {name: a}, subject: 'ps.>', private: true}"))
            .touch("{spec: {grants: [{publicKey: " + KEY + ", subject: other.y}]}}"));
    c.add(
        notReady(
            "accountTokenPosition on a token that is not *",
            Reason.INVALID_SPEC,
            "spec.accountTokenPosition",
            new Doc(
                "StreamExport",
                "x",
                "{accountRef: {name: a}, subject: 'at.*', accountTokenPosition: 1}"),
            account("a")));

    // --- ServiceImport
    c.add(
        refused(
            "from names both an export and an account",
            "from needs exactly one of exportRef or account",
            new Doc(
                "ServiceImport",
                "x",
                "{accountRef: {name: a}, from: {exportRef: {name: e}, account: {publicKey: "
                    + KEY
                    + "}}}")));
    c.add(
        refused(
            "from.account without a subject",
            "from.subject is required with from.account",
            new Doc(
                "ServiceImport",
                "x",
                "{accountRef: {name: a}, from: {account: {publicKey: " + KEY + "}}}")));
    c.add(
        refused(
            "localSubject with '>' not last",
            "spec.localSubject",
            new Doc(
                "ServiceImport",
                "x",
                "{accountRef: {name: a}, from: {exportRef: {name: e}}, localSubject: 'a.>.b'}")));
    c.add(
        refused(
            "exportRef.namespace of 64 characters (limit 63)",
            "spec.from.exportRef.namespace",
            new Doc(
                "ServiceImport",
                "x",
                "{accountRef: {name: a}, from: {exportRef: {name: e, namespace: "
                    + "n".repeat(64)
                    + "}}}")));
    c.add(
        notReady(
            "exportRef names a missing export",
            Reason.EXPORT_NOT_FOUND,
            "spec.from.exportRef",
            new Doc(
                "ServiceImport", "x", "{accountRef: {name: a}, from: {exportRef: {name: nope}}}"),
            account("a")));
    c.add(
        notReady(
            "import of a private export without a grant",
            Reason.NOT_GRANTED,
            "spec.grants",
            new Doc(
                "ServiceImport",
                "x",
                "{accountRef: {name: a}, from: {exportRef: {name: priv, namespace: base-a}}}"),
            account("a")));
    c.add(
        notReady(
            "subject outside the export's subject",
            Reason.SUBJECT_NOT_IN_EXPORT,
            "spec.subject",
            new Doc(
                "ServiceImport",
                "x",
                "{accountRef: {name: a}, from: {exportRef: {name: svc, namespace: base-a}}, subject: other.x}"),
            account("a")));
    c.add(
        notReady(
            "exportRef names a StreamExport",
            Reason.TYPE_MISMATCH,
            "spec.from.exportRef",
            new Doc(
                "ServiceImport",
                "x",
                "{accountRef: {name: a}, from: {exportRef: {name: events, namespace: base-a}}}"),
            account("a")));
    c.add(
        notReady(
            "import of the account's own export",
            Reason.SELF_IMPORT,
            "spec.from.exportRef",
            new Doc("ServiceImport", "x", "{accountRef: {name: a}, from: {exportRef: {name: e}}}"),
            account("a"),
            new Doc("ServiceExport", "e", "{accountRef: {name: a}, subject: 'self.>'}")));
    c.add(
        notReady(
            "accountRef names a missing Account",
            Reason.ACCOUNT_NOT_FOUND,
            "spec.accountRef",
            new Doc(
                "ServiceImport",
                "x",
                "{accountRef: {name: nope}, from: {exportRef: {name: svc, namespace: base-a}}}")));
    c.add(
        notReady(
            "tokenSecretRef names a missing Secret",
            Reason.SECRET_NOT_FOUND,
            "spec.from.tokenSecretRef",
            new Doc(
                "ServiceImport",
                "x",
                "{accountRef: {name: a}, from: {account: {publicKey: "
                    + KEY
                    + "}, subject: ext.x, tokenSecretRef: {name: missing}}}"),
            account("a")));
    c.add(
        notReady(
            "tokenSecretRef holds no JWT",
            Reason.INVALID_TOKEN,
            "spec.from.tokenSecretRef",
            new Doc(
                "ServiceImport",
                "x",
                "{accountRef: {name: a}, from: {account: {publicKey: "
                    + KEY
                    + "}, subject: ext.x, tokenSecretRef: {name: tok}}}"),
            account("a"),
            new Doc("Secret", "tok", "{activation.jwt: not-a-jwt}")));
    c.add(
        notReady(
                "local subject overlapping another import",
                Reason.LOCAL_SUBJECT_CONFLICT,
                "spec.localSubject",
                new Doc(
                    "ServiceImport",
                    "x",
                    "{accountRef: {name: a}, from: {exportRef: {name: svc, namespace: base-a}}, subject: svc.x}"),
                account("a"),
                new Doc(
                    "ServiceImport",
                    "i1",
                    "{accountRef: {name: a}, from: {exportRef: {name: svc, namespace: base-a}}}"))
            .touch("{spec: {localSubject: svc.y}}"));

    // --- StreamImport
    c.add(
        refused(
            "exportRef together with from.subject",
            "from.subject, from.tokenSecretRef and from.tokenURL apply to from.account only",
            new Doc(
                "StreamImport",
                "x",
                "{accountRef: {name: a}, from: {exportRef: {name: e}, subject: ev.x}}")));
    c.add(
        refused(
            "from.account.publicKey is an operator key",
            "spec.from.account.publicKey",
            new Doc(
                "StreamImport",
                "x",
                "{accountRef: {name: a}, from: {account: {publicKey: O"
                    + KEY.substring(1)
                    + "}, subject: ev.x}}")));
    c.add(
        refused(
            "subject with '>' before the last token",
            "spec.subject",
            new Doc(
                "StreamImport",
                "x",
                "{accountRef: {name: a}, from: {exportRef: {name: e}}, subject: 'events.*.>.x'}")));
    c.add(
        notReady(
            "exportRef names a missing export",
            Reason.EXPORT_NOT_FOUND,
            "spec.from.exportRef",
            new Doc(
                "StreamImport", "x", "{accountRef: {name: a}, from: {exportRef: {name: nope}}}"),
            account("a")));
    c.add(
        notReady(
            "exportRef names a ServiceExport",
            Reason.TYPE_MISMATCH,
            "spec.from.exportRef",
            new Doc(
                "StreamImport",
                "x",
                "{accountRef: {name: a}, from: {exportRef: {name: svc, namespace: base-a}}}"),
            account("a")));
    c.add(
        notReady(
            "subject outside the export's subject",
            Reason.SUBJECT_NOT_IN_EXPORT,
            "spec.subject",
            new Doc(
                "StreamImport",
                "x",
                "{accountRef: {name: a}, from: {exportRef: {name: events, namespace: base-a}}, subject: other.x}"),
            account("a")));
    c.add(
        notReady(
            "from.account.publicKey is the account's own key",
            Reason.SELF_IMPORT,
            "spec.from.account.publicKey",
            new Doc(
                "StreamImport",
                "x",
                "{accountRef: {name: a}, from: {account: {publicKey: '${key:a}'}, subject: ev.x}}"),
            account("a")));

    // --- Operator
    String resolver = "resolver: {type: full, dir: /tmp/bad-input-op}";
    c.add(
        refused(
            "server URL with an http scheme",
            "spec.servers[0]",
            new Doc("Operator", "op", "{servers: ['http://nats:4222'], " + resolver + "}")));
    c.add(
        refused(
            "signingKeys 0 (minimum 1)",
            "spec.signingKeys",
            new Doc("Operator", "op", "{signingKeys: 0, " + resolver + "}")));
    c.add(
        refused(
            "full resolver without a directory",
            "resolver.dir is required",
            new Doc("Operator", "op", "{resolver: {type: full}}")));
    c.add(
        refused(
            "accountNamespaces with both names and a selector",
            "use either selector or names",
            new Doc(
                "Operator",
                "op",
                "{accountNamespaces: {names: [a], selector: {matchLabels: {t: x}}}, "
                    + resolver
                    + "}")));
    c.add(
        refused(
            "65 servers (maxItems 64)",
            "spec.servers",
            new Doc(
                "Operator",
                "op",
                "{servers: " + list(65, "'nats://n#:4222'") + ", " + resolver + "}")));
    c.add(
        notReady(
            "identitySecretRef names a missing Secret",
            Reason.SECRET_NOT_FOUND,
            "spec.identitySecretRef",
            new Doc("Operator", "op", "{identitySecretRef: {name: missing}, " + resolver + "}")));
    c.add(
        notReady(
            "identitySecretRef holds an account seed (wrong key type)",
            Reason.INVALID_SEED,
            "spec.identitySecretRef",
            new Doc("Operator", "op", "{identitySecretRef: {name: acctseed}, " + resolver + "}"),
            new Doc("Secret", "acctseed", "{seed: '${accountSeed}'}")));
    return c;
  }

  // ---- the baseline
  // -----------------------------------------------------------------------------------------

  /** Good resources of every kind, Ready before the first case; what they hold must not move. */
  static final class Baseline {
    static final String A = "base-a";
    static final String B = "base-b";
    static final List<String[]> RESOURCES =
        List.of(
            new String[] {"Account", A, "exp"},
            new String[] {"User", A, "u"},
            new String[] {"ServiceExport", A, "svc"},
            new String[] {"ServiceExport", A, "priv"},
            new String[] {"StreamExport", A, "events"},
            new String[] {"Account", B, "imp"},
            new String[] {"User", B, "ub"},
            new String[] {"ServiceImport", B, "svc"},
            new String[] {"ServiceImport", B, "priv"},
            new String[] {"StreamImport", B, "events"});

    final Map<String, String> jwts = new TreeMap<>();
    final Map<String, Map<String, String>> secrets = new TreeMap<>();
    String expSeed;

    static Baseline apply() {
      create(A, account("exp"));
      create(A, new Doc("User", "u", "{accountRef: {name: exp}}"));
      create(A, new Doc("ServiceExport", "svc", "{accountRef: {name: exp}, subject: 'svc.>'}"));
      create(
          A,
          new Doc(
              "ServiceExport",
              "priv",
              "{accountRef: {name: exp}, subject: 'priv.*', private: true,"
                  + " grants: [{account: {name: imp, namespace: base-b}}]}"));
      create(
          A, new Doc("StreamExport", "events", "{accountRef: {name: exp}, subject: 'events.>'}"));
      create(B, account("imp"));
      create(B, new Doc("User", "ub", "{accountRef: {name: imp}}"));
      create(
          B,
          new Doc(
              "ServiceImport",
              "svc",
              "{accountRef: {name: imp}, from: {exportRef: {name: svc, namespace: base-a}}}"));
      create(
          B,
          new Doc(
              "ServiceImport",
              "priv",
              "{accountRef: {name: imp}, from: {exportRef: {name: priv, namespace: base-a}}}"));
      create(
          B,
          new Doc(
              "StreamImport",
              "events",
              "{accountRef: {name: imp}, from: {exportRef: {name: events, namespace: base-a}}}"));
      for (String[] r : RESOURCES) {
        h.awaitReady(KINDS.get(r[0]), r[1], r[2]);
      }
      Baseline b = new Baseline();
      b.jwts.putAll(b.currentJwts());
      b.secrets.putAll(secretData(A));
      b.secrets.putAll(secretData(B));
      b.expSeed = h.secretValue(A, Names.accountKeys("exp"), KeySecrets.IDENTITY);
      assertTrue(
          b.secrets.containsKey(A + "/" + Names.accountKeys("exp"))
              && b.secrets.containsKey(B + "/" + Names.userCreds("ub")),
          "keys and creds in the snapshot: " + b.secrets.keySet());
      assertTrue(
          b.secrets.keySet().stream().anyMatch(k -> k.startsWith(A + "/priv-activation-")),
          "the activation token in the snapshot: " + b.secrets.keySet());
      return b;
    }

    Map<String, String> currentJwts() {
      Map<String, String> out = new TreeMap<>();
      out.put("exp", h.get(Account.class, A, "exp").getStatus().getJwt());
      out.put("imp", h.get(Account.class, B, "imp").getStatus().getJwt());
      return out;
    }

    /** Same JWTs, same key, creds and activation Secrets, every resource still Ready. */
    void assertUnchanged(String after) {
      assertEquals(jwts, currentJwts(), "baseline JWTs changed after " + after);
      Map<String, Map<String, String>> now = new TreeMap<>(secretData(A));
      now.putAll(secretData(B));
      assertEquals(secrets, now, "baseline Secrets changed after " + after);
      for (String[] r : RESOURCES) {
        CustomResource<?, ?> cur = h.get(KINDS.get(r[0]), r[1], r[2]);
        assertTrue(
            Conditions.isTrue(((BaseStatus) cur.getStatus()).getConditions(), ConditionType.READY),
            r[0]
                + " "
                + r[1]
                + "/"
                + r[2]
                + " is no longer Ready after "
                + after
                + ": "
                + Serialization.asJson(cur.getStatus()));
      }
    }
  }

  @BeforeAll
  static void start() throws Exception {
    API.namespaces("nats", Baseline.A, Baseline.B);
    h = OperatorHarness.start(API.client(), dir);
    baseline = Baseline.apply();
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  // ---- the tests
  // --------------------------------------------------------------------------------------------

  /**
   * The catalogue, or with {@code -DbadInput.cases=3,17} only those cases (1-based), to look at one
   * case without the others' minutes.
   */
  static List<Case> cases() {
    List<Case> all = catalogue();
    String only = System.getProperty("badInput.cases", "");
    if (only.isBlank()) {
      return all;
    }
    return java.util.Arrays.stream(only.split(","))
        .map(i -> all.get(Integer.parseInt(i.trim()) - 1))
        .toList();
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void badInputIsRefusedOrReportedAndChangesNothingElse(Case c) {
    String ns = "bad-" + (catalogue().indexOf(c) + 1);
    API.namespaces(ns);
    Map<String, String> values = new LinkedHashMap<>();
    values.put("expSeed", baseline.expSeed);
    values.put("userSeed", KeyPair.create(KeyType.USER).seed());
    values.put("accountSeed", KeyPair.create(KeyType.ACCOUNT).seed());
    for (Doc d : c.setup()) {
      create(ns, resolved(d, ns, values));
    }
    for (Doc d : c.setup()) {
      if (!d.kind().equals("Secret")) {
        h.awaitReady(KINDS.get(d.kind()), ns, d.name());
      }
    }
    Map<String, Map<String, String>> secretsBefore = secretData(ns);
    Map<String, String> jwtsBefore = accountJwts(ns);
    if (c.outcome() == Outcome.REFUSED) {
      refusedAtAdmission(c, ns, values);
    } else {
      reportedNotReady(c, ns, values);
    }
    Map<String, Map<String, String>> secretsAfter = secretData(ns);
    secretsBefore.forEach(
        (name, data) ->
            assertEquals(data, secretsAfter.get(name), c + ": Secret " + name + " changed"));
    Map<String, String> jwtsAfter = accountJwts(ns);
    jwtsBefore.forEach(
        (name, jwt) ->
            assertEquals(
                jwt, jwtsAfter.get(name), c + ": the last good JWT of " + name + " changed"));
    if (c.kind().equals("Operator") && c.create() != null) {
      // An Operator that keeps reconnecting would only add load to the cases after it.
      API.client().resources(Operator.class).inNamespace(ns).withName(c.create().name()).delete();
    }
    baseline.assertUnchanged(c.toString());
  }

  private static void refusedAtAdmission(Case c, String ns, Map<String, String> values) {
    double signs = signs();
    long generation = c.target() == null ? 0 : generation(c.kind(), ns, c.target());
    try {
      if (c.create() != null) {
        create(ns, resolved(c.create(), ns, values));
      } else {
        patch(c.kind(), ns, c.target(), c.patch());
      }
      fail(c + ": accepted by the API server");
    } catch (KubernetesClientException e) {
      assertEquals(422, e.getCode(), c + ": " + e.getMessage());
      String message = e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage();
      assertTrue(
          message.contains(c.field()),
          c + ": the refusal does not name " + c.field() + ": " + message);
    }
    if (c.create() != null) {
      assertNull(
          API.client()
              .genericKubernetesResources(Demo.context(c.kind()))
              .inNamespace(ns)
              .withName(c.create().name())
              .get(),
          c + ": stored anyway");
    } else {
      assertEquals(generation, generation(c.kind(), ns, c.target()), c + ": the stored spec moved");
      h.awaitReady(KINDS.get(c.kind()), ns, c.target());
    }
    assertEquals(signs, signs(), c + ": signed something");
  }

  private static void reportedNotReady(Case c, String ns, Map<String, String> values) {
    Class<? extends CustomResource<?, ?>> type = KINDS.get(c.kind());
    if (c.create() != null) {
      create(ns, resolved(c.create(), ns, values));
    } else {
      patch(c.kind(), ns, c.target(), c.patch());
    }
    CustomResource<?, ?> failed =
        h.awaitCondition(type, ns, c.name(), ConditionType.READY, Conditions.FALSE, c.reason());
    BaseStatus st = (BaseStatus) failed.getStatus();
    String message = Conditions.message(st.getConditions(), ConditionType.READY);
    assertTrue(
        message.contains(c.field()),
        c + ": the message does not name " + c.field() + ": " + message);
    assertNoSeed(c, message);
    assertEquals(
        failed.getMetadata().getGeneration(),
        st.getObservedGeneration(),
        c + ": reported for another generation");
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                ErrorPathScenarios.warnings(h, failed, c.reason()).stream()
                    .anyMatch(e -> e.getMessage().contains(c.field())));
    ErrorPathScenarios.warnings(h, failed, c.reason())
        .forEach(e -> assertNoSeed(c, e.getMessage()));

    // Reconciled once more, it must sign nothing (a loop would sign on every reconcile).
    double signs = signs();
    long touched = patch(c.kind(), ns, c.name(), c.touch());
    CustomResource<?, ?> again =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get(type, ns, c.name()),
                r -> {
                  BaseStatus s = (BaseStatus) r.getStatus();
                  return s.getObservedGeneration() != null
                      && s.getObservedGeneration() >= touched
                      && c.reason() == Conditions.reason(s.getConditions(), ConditionType.READY);
                });
    assertFalse(
        Conditions.isTrue(((BaseStatus) again.getStatus()).getConditions(), ConditionType.READY),
        c.toString());
    assertEquals(signs, signs(), c + ": signed again when reconciled again (" + signCounts() + ")");
  }

  @Test
  void theCatalogueHasFortyCasesOrMoreAcrossAllSevenKinds() {
    List<Case> all = catalogue();
    Map<String, Long> byOutcome =
        all.stream()
            .collect(
                Collectors.groupingBy(
                    c ->
                        c.outcome() == Outcome.REFUSED
                            ? "REFUSED (422)"
                            : "Ready=False " + c.reason().value(),
                    TreeMap::new,
                    Collectors.counting()));
    Map<String, Long> byKind =
        all.stream()
            .collect(Collectors.groupingBy(Case::kind, TreeMap::new, Collectors.counting()));
    System.out.printf(
        "bad input: %d cases%n  by outcome: %s%n  by kind: %s%n", all.size(), byOutcome, byKind);
    for (int i = 0; i < all.size(); i++) {
      System.out.printf("  %3d  %s%n", i + 1, all.get(i));
    }
    assertTrue(all.size() >= 40, "only " + all.size() + " cases");
    assertEquals(new TreeSet<>(KINDS.keySet()), byKind.keySet(), "every kind has cases");
    assertTrue(
        all.stream().allMatch(c -> c.field() != null && !c.field().isBlank()),
        "every case names the field its message must name");
    assertEquals(
        all.size(),
        all.stream().map(Case::toString).distinct().count(),
        "case descriptions are unique");
    for (String kind : KINDS.keySet()) {
      assertTrue(
          all.stream().anyMatch(c -> c.kind().equals(kind) && c.outcome() == Outcome.REFUSED)
              && all.stream()
                  .anyMatch(c -> c.kind().equals(kind) && c.outcome() == Outcome.NOT_READY),
          kind + " has both outcomes");
    }
  }

  // ---- helpers
  // ----------------------------------------------------------------------------------------------

  private static double signs() {
    OperatorMetrics m = h.metrics();
    return m.signed("operator") + m.signed("account") + m.signed("user") + m.signed("activation");
  }

  private static String signCounts() {
    OperatorMetrics m = h.metrics();
    return "operator "
        + m.signed("operator")
        + ", account "
        + m.signed("account")
        + ", user "
        + m.signed("user")
        + ", activation "
        + m.signed("activation");
  }

  private static void assertNoSeed(Case c, String text) {
    assertFalse(SEED.matcher(text).find(), c + ": a seed in " + text);
  }

  private static Doc resolved(Doc d, String ns, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(d.spec());
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value =
          m.group(1).equals("key")
              ? h.get(Account.class, ns, m.group(2)).getStatus().getPublicKey()
              : values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for " + m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return new Doc(d.kind(), d.name(), out.toString(), d.annotations());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String flow) {
    try {
      return new YAMLMapper().readValue(flow, Map.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("not YAML: " + flow, e);
    }
  }

  private static void create(String ns, Doc d) {
    if (d.kind().equals("Secret")) {
      Map<String, String> data = new LinkedHashMap<>();
      yaml(d.spec()).forEach((k, v) -> data.put(k, String.valueOf(v)));
      Secret s =
          new SecretBuilder()
              .withNewMetadata()
              .withName(d.name())
              .withNamespace(ns)
              .endMetadata()
              .withStringData(data)
              .build();
      API.client().secrets().inNamespace(ns).resource(s).create();
      return;
    }
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("accounts.nats.dev/v1alpha1");
    r.setKind(d.kind());
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(d.name())
            .withNamespace(ns)
            .withAnnotations(d.annotations().isEmpty() ? null : d.annotations())
            .build());
    r.setAdditionalProperty("spec", yaml(d.spec()));
    API.client()
        .genericKubernetesResources(Demo.context(d.kind()))
        .inNamespace(ns)
        .resource(r)
        .create();
  }

  /** A JSON merge patch (written as flow YAML); returns the generation it produced. */
  private static long patch(String kind, String ns, String name, String flow) {
    GenericKubernetesResource patched =
        API.client()
            .genericKubernetesResources(Demo.context(kind))
            .inNamespace(ns)
            .withName(name)
            .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(yaml(flow)));
    return patched.getMetadata().getGeneration();
  }

  private static long generation(String kind, String ns, String name) {
    return API.client()
        .genericKubernetesResources(Demo.context(kind))
        .inNamespace(ns)
        .withName(name)
        .get()
        .getMetadata()
        .getGeneration();
  }

  /** Every Secret of the namespace, by namespace/name, with its data as stored (base64). */
  private static Map<String, Map<String, String>> secretData(String ns) {
    Map<String, Map<String, String>> out = new TreeMap<>();
    for (Secret s : API.client().secrets().inNamespace(ns).list().getItems()) {
      out.put(
          ns + "/" + s.getMetadata().getName(),
          s.getData() == null ? Map.of() : new TreeMap<>(s.getData()));
    }
    return out;
  }

  private static Map<String, String> accountJwts(String ns) {
    Map<String, String> out = new TreeMap<>();
    for (Account a : API.client().resources(Account.class).inNamespace(ns).list().getItems()) {
      if (a.getStatus() != null && a.getStatus().getJwt() != null) {
        out.put(a.getMetadata().getName(), a.getStatus().getJwt());
      }
    }
    return out;
  }
}
