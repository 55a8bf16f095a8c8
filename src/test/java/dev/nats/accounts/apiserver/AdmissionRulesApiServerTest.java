package dev.nats.accounts.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Crds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code x-kubernetes-validations} rule and every {@code pattern} in crds/, judged by a real
 * kube-apiserver: a manifest that breaks it is refused with 422 and the rule's message (or the
 * pattern's "should match" naming the field), and a neighbour that differs only in the offending
 * value is accepted. The mock API server enforces none of this, so this is where our admission
 * rules are proven.
 *
 * <p>Cases come from the CRDs themselves: patterns get a bad and a good value by what they match
 * (subjects, durations, names, keys, URLs, networks); rules get a hand-written pair keyed by kind,
 * path and message. {@link #everyRuleAndPatternInCrdsHasACase()} fails when crds/ gains a rule or
 * pattern with no case. Requests use server-side dry run, except the immutability rules, which need
 * an object to update.
 */
@Tag("apiserver")
class AdmissionRulesApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "admission";
  private static final String KEY = "ABJHLOVMPA4CI6R5KLNGOB4GSLNIY7IOUPAJC4YFNDLQVIOBYQGUWVLA";
  private static final String GROUP = "accounts.nats.dev";
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** The key under which a value of a map field is placed: valid for every map in crds/. */
  private static final String MAP_KEY = "R1";

  /** One rule or pattern at one place in one CRD. */
  record Constraint(String kind, String path, String type, String expression, String message) {
    String id() {
      return kind + " " + path + " " + type + " " + (message.isEmpty() ? expression : message);
    }
  }

  /**
   * A manifest the server must refuse (with {@code expected} in the message) and its accepted
   * neighbour.
   */
  record Case(
      Constraint constraint,
      String kind,
      ObjectNode badSpec,
      ObjectNode goodSpec,
      String expected,
      boolean update) {
    @Override
    public String toString() {
      return constraint.id();
    }
  }

  @BeforeAll
  static void namespace() {
    API.namespaces(NS);
  }

  // ---- the constraints in crds/
  // --------------------------------------------------------------------------------

  static List<Constraint> constraints() {
    List<Constraint> out = new ArrayList<>();
    for (CustomResourceDefinition crd : Crds.load()) {
      String kind = crd.getSpec().getNames().getKind();
      JSONSchemaProps spec =
          crd.getSpec()
              .getVersions()
              .get(0)
              .getSchema()
              .getOpenAPIV3Schema()
              .getProperties()
              .get("spec");
      walk(spec, ".spec", kind, out);
    }
    return out;
  }

  private static void walk(JSONSchemaProps node, String path, String kind, List<Constraint> out) {
    if (node == null) {
      return;
    }
    if (node.getXKubernetesValidations() != null) {
      for (ValidationRule r : node.getXKubernetesValidations()) {
        out.add(
            new Constraint(
                kind, path, "rule", r.getRule(), r.getMessage() == null ? "" : r.getMessage()));
      }
    }
    if (node.getPattern() != null) {
      out.add(new Constraint(kind, path, "pattern", node.getPattern(), ""));
    }
    if (node.getProperties() != null) {
      node.getProperties().forEach((k, v) -> walk(v, path + "." + k, kind, out));
    }
    if (node.getItems() != null) {
      walk(node.getItems().getSchema(), path + "[]", kind, out);
    }
    if (node.getAdditionalProperties() != null) {
      walk(node.getAdditionalProperties().getSchema(), path + "{}", kind, out);
    }
  }

  // ---- values for patterns, by what the pattern matches
  // ---------------------------------------------------------

  /** pattern → {bad value, good value}. A pattern missing here fails the completeness test. */
  private static final Map<String, String[]> PATTERN_VALUES = new LinkedHashMap<>();

  static {
    PATTERN_VALUES.put(
        "^(([^.\\s*>]+|\\*)\\.)*([^.\\s*>]+|\\*|>)( [^\\s]+)?$",
        new String[] {"a..b", "a.* workers"});
    PATTERN_VALUES.put(
        "^(([^.\\s*>]+|\\*)\\.)*([^.\\s*>]+|\\*|>)$", new String[] {"a.>.b", "a.*.>"});
    PATTERN_VALUES.put(
        "^(0|([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+)$", new String[] {"10 minutes", "1h30m"});
    PATTERN_VALUES.put(
        "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        new String[] {"Bad_Name", "ok.name-1"});
    PATTERN_VALUES.put("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", new String[] {"not.a.label", "ok-label"});
    PATTERN_VALUES.put("^[-._a-zA-Z0-9]+$", new String[] {"bad/key", "seed.nk"});
    PATTERN_VALUES.put(
        "^https?://[^\\s/]+[^\\s]*$",
        new String[] {"ftp://example.com/x", "https://example.com/x"});
    PATTERN_VALUES.put("^A[A-Z2-7]{55}$", new String[] {"U" + KEY.substring(1), KEY});
    PATTERN_VALUES.put(
        "^(nats|tls|ws|wss)://[^\\s]+$", new String[] {"http://nats:4222", "tls://nats:4443"});
    PATTERN_VALUES.put("^[0-9a-fA-F:.]+/[0-9]{1,3}$", new String[] {"10.0.0.0", "2001:db8::/32"});
    PATTERN_VALUES.put("^[^.\\s*>]+(\\.[^.\\s*>]+)*$", new String[] {"lat.*", "lat.help"});
  }

  // ---- hand-written pairs for rules: spec fields replacing the base spec's (null removes)
  // -------------------------

  /** kind + " " + path + " " + message → {bad spec fields, good spec fields} as JSON. */
  private static final Map<String, String[]> RULE_CASES = new LinkedHashMap<>();

  private static void rule(String kinds, String path, String message, String bad, String good) {
    for (String kind : kinds.split(",")) {
      RULE_CASES.put(kind + " " + path + " " + message, new String[] {bad, good});
    }
  }

  static {
    String exports = "ServiceExport,StreamExport";
    String imports = "ServiceImport,StreamImport";
    rule(
        "Account",
        ".spec",
        "signingKeys names must be unique",
        "{\"signingKeys\":[{\"name\":\"k\"},{\"name\":\"k\"}]}",
        "{\"signingKeys\":[{\"name\":\"k\"},{\"name\":\"j\"}]}");
    rule(
        "Account",
        ".spec.signingKeys[]",
        "role applies to scoped keys only: set template as well",
        "{\"signingKeys\":[{\"name\":\"k\",\"role\":\"app\"}]}",
        "{\"signingKeys\":[{\"name\":\"k\",\"role\":\"app\",\"template\":{\"subscribe\":{\"allow\":[\"a.>\"]}}}]}");
    rule(
        "Operator",
        ".spec.accountNamespaces",
        "use either selector or names, not both",
        "{\"accountNamespaces\":{\"names\":[\"a\"],\"selector\":{\"matchLabels\":{\"t\":\"x\"}}}}",
        "{\"accountNamespaces\":{\"names\":[\"a\"]}}");
    rule(
        "Operator",
        ".spec.resolver",
        "resolver.dir is required for full and cache resolvers",
        "{\"resolver\":{\"type\":\"full\"}}",
        "{\"resolver\":{\"type\":\"memory\"}}");
    rule(
        "Operator",
        ".spec.resolver",
        "allowDelete applies to the full resolver only",
        "{\"resolver\":{\"type\":\"cache\",\"dir\":\"/d\",\"allowDelete\":true}}",
        "{\"resolver\":{\"type\":\"full\",\"dir\":\"/d\",\"allowDelete\":true}}");
    rule(
        exports,
        ".spec",
        "grants need private: true (a public export needs no activation tokens)",
        "{\"grants\":[{\"publicKey\":\"" + KEY + "\"}]}",
        "{\"private\":true,\"grants\":[{\"publicKey\":\"" + KEY + "\"}]}");
    rule(
        exports,
        ".spec",
        "accountTokenPosition needs a * token in subject",
        "{\"subject\":\"a.b\",\"accountTokenPosition\":2}",
        "{\"subject\":\"a.*\",\"accountTokenPosition\":2}");
    rule(
        exports,
        ".spec.grants[]",
        "a grant names exactly one of account or publicKey",
        "{\"private\":true,\"grants\":[{\"publicKey\":\""
            + KEY
            + "\",\"account\":{\"name\":\"b\"}}]}",
        "{\"private\":true,\"grants\":[{\"account\":{\"name\":\"b\"}}]}");
    rule(
        "ServiceExport",
        ".spec.latency.sampling",
        "sampling must be 1..100 or \"headers\"",
        "{\"latency\":{\"sampling\":0,\"subject\":\"lat.x\"}}",
        "{\"latency\":{\"sampling\":\"headers\",\"subject\":\"lat.x\"}}");
    rule(
        imports,
        ".spec.from",
        "from needs exactly one of exportRef or account",
        "{\"from\":{\"exportRef\":{\"name\":\"e\"},\"account\":{\"publicKey\":\"" + KEY + "\"}}}",
        "{\"from\":{\"account\":{\"publicKey\":\"" + KEY + "\"},\"subject\":\"a.b\"}}");
    rule(
        imports,
        ".spec.from",
        "from.subject is required with from.account",
        "{\"from\":{\"account\":{\"publicKey\":\"" + KEY + "\"}}}",
        "{\"from\":{\"account\":{\"publicKey\":\"" + KEY + "\"},\"subject\":\"a.b\"}}");
    rule(
        imports,
        ".spec.from",
        "from.subject, from.tokenSecretRef and from.tokenURL apply to from.account only; with exportRef"
            + " use spec.subject",
        "{\"from\":{\"exportRef\":{\"name\":\"e\"},\"tokenURL\":\"http://t/x\"}}",
        "{\"from\":{\"exportRef\":{\"name\":\"e\"}},\"subject\":\"a.b\"}");
    rule(
        imports,
        ".spec.from",
        "from needs at most one of tokenSecretRef or tokenURL",
        "{\"from\":{\"account\":{\"publicKey\":\""
            + KEY
            + "\"},\"subject\":\"a.b\",\"tokenSecretRef\":{\"name\":\"t\"},"
            + "\"tokenURL\":\"http://t/x\"}}",
        "{\"from\":{\"account\":{\"publicKey\":\""
            + KEY
            + "\"},\"subject\":\"a.b\",\"tokenURL\":\"http://t/x\"}}");
    rule(
        "Account",
        ".spec.limits.jetstream",
        "tiers cannot be combined with the flat limits memoryStorage, diskStorage, streams,"
            + " consumers and maxAckPending: set them inside each tier",
        "{\"limits\":{\"jetstream\":{\"streams\":1,\"tiers\":{\"R1\":{\"streams\":1}}}}}",
        "{\"limits\":{\"jetstream\":{\"tiers\":{\"R1\":{\"streams\":1}}}}}");
    rule(
        "Account",
        ".spec.limits.jetstream.tiers",
        "tier names are R1 to R5: a stream with N replicas draws from tier RN",
        "{\"limits\":{\"jetstream\":{\"tiers\":{\"R1\":{},\"r3\":{}}}}}",
        "{\"limits\":{\"jetstream\":{\"tiers\":{\"R1\":{},\"R3\":{}}}}}");
    rule(
        "User",
        ".spec",
        "renewBefore needs expiresAfter",
        "{\"renewBefore\":\"1h\"}",
        "{\"renewBefore\":\"1h\",\"expiresAfter\":\"24h\"}");
  }

  /** Rules that appear at several places with one message get their pair from the path. */
  private static String[] genericRule(Constraint c) {
    if (c.message().startsWith("must be -1 or a byte quantity")) {
      return new String[] {"\"1 gigabyte\"", "\"10Mi\""};
    }
    if (c.message().startsWith("publish permissions must not contain spaces")) {
      return new String[] {
        "{\"publish\":{\"allow\":[\"a.b workers\"]}}", "{\"publish\":{\"allow\":[\"a.b\"]}}"
      };
    }
    return null;
  }

  // ---- building cases
  // ---------------------------------------------------------------------------------------------

  static Stream<Case> cases() {
    return constraints().stream().map(AdmissionRulesApiServerTest::caseFor).filter(c -> c != null);
  }

  private static Case caseFor(Constraint c) {
    try {
      if (c.type().equals("pattern")) {
        String[] values = PATTERN_VALUES.get(c.expression());
        if (values == null) {
          return null;
        }
        // Queue groups pass the pattern but publish rules refuse them: the good publish value has
        // none.
        String good = c.path().contains(".publish.") ? "a.*.>" : values[1];
        return new Case(
            c,
            c.kind(),
            at(c, JSON.valueToTree(values[0])),
            at(c, JSON.valueToTree(good)),
            "should match",
            false);
      }
      if (c.expression().contains("oldSelf")) {
        ObjectNode bad = base(c.kind());
        ((ObjectNode) bad.get("accountRef")).put("name", "someone-else");
        return new Case(c, c.kind(), bad, base(c.kind()), c.message(), true);
      }
      String[] generic = genericRule(c);
      if (generic != null) {
        return new Case(
            c,
            c.kind(),
            at(c, JSON.readTree(generic[0])),
            at(c, JSON.readTree(generic[1])),
            c.message(),
            false);
      }
      String[] pair = RULE_CASES.get(c.kind() + " " + c.path() + " " + c.message());
      if (pair == null) {
        return null;
      }
      return new Case(
          c,
          c.kind(),
          replaced(c.kind(), pair[0]),
          replaced(c.kind(), pair[1]),
          c.message(),
          false);
    } catch (Exception e) {
      throw new IllegalStateException(c.id(), e);
    }
  }

  /** The base spec with top-level fields replaced (a JSON null removes one). */
  private static ObjectNode replaced(String kind, String fields) throws Exception {
    ObjectNode spec = base(kind);
    JsonNode f = JSON.readTree(fields);
    f.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isNull()) {
                spec.remove(e.getKey());
              } else {
                spec.set(e.getKey(), e.getValue());
              }
            });
    return spec;
  }

  /** A valid spec of each kind; references need not resolve, admission does not look. */
  static ObjectNode base(String kind) {
    String json =
        switch (kind) {
          case "Operator" ->
              "{\"servers\":[\"nats://127.0.0.1:4222\"],\"resolver\":{\"type\":\"full\",\"dir\":\"/data/jwt\"}}";
          case "Account" -> "{\"operatorRef\":{\"name\":\"main\",\"namespace\":\"nats\"}}";
          case "User" -> "{\"accountRef\":{\"name\":\"a\"}}";
          case "ServiceExport" -> "{\"accountRef\":{\"name\":\"a\"},\"subject\":\"svc.a\"}";
          case "StreamExport" -> "{\"accountRef\":{\"name\":\"a\"},\"subject\":\"ev.a\"}";
          case "ServiceImport", "StreamImport" ->
              "{\"accountRef\":{\"name\":\"b\"},\"from\":{\"exportRef\":{\"name\":\"help\",\"namespace\":\"tenant-a\"}}}";
          default -> throw new IllegalArgumentException(kind);
        };
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The base spec with {@code value} placed at the constraint's path: objects and one-element lists
   * are created on the way, with the fields their schema requires, so that only the value decides.
   */
  private static ObjectNode at(Constraint c, JsonNode value) {
    ObjectNode spec = base(c.kind());
    String path = c.path().substring(".spec".length());
    if (path.startsWith(".grants")) {
      spec.put("private", true);
    }
    if (path.equals(".renewBefore")) {
      spec.put("expiresAfter", "24h");
    }
    if (path.startsWith(".from.account")
        || path.startsWith(".from.subject")
        || path.startsWith(".from.tokenSecretRef")
        || path.startsWith(".from.tokenURL")) {
      ObjectNode from = spec.putObject("from");
      from.putObject("account").put("publicKey", KEY);
      from.put("subject", "a.b");
    }
    if (path.isEmpty()) {
      value.fields().forEachRemaining(e -> spec.set(e.getKey(), e.getValue()));
      return spec;
    }
    List<String> parts = List.of(path.substring(1).split("\\."));
    JsonNode node = spec;
    String prefix = "";
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      boolean list = part.endsWith("[]");
      boolean map = part.endsWith("{}");
      String name = list || map ? part.substring(0, part.length() - 2) : part;
      prefix = prefix + "." + part;
      ObjectNode parent = (ObjectNode) node;
      boolean last = i == parts.size() - 1;
      if (last) {
        if (list) {
          parent.putArray(name).add(value);
        } else if (value.isObject() && parent.get(name) instanceof ObjectNode existing) {
          value.fields().forEachRemaining(e -> existing.set(e.getKey(), e.getValue()));
        } else {
          parent.set(name, value);
        }
        break;
      }
      if (map) {
        // Map values (the JetStream tiers) go under one valid key.
        ObjectNode m = parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
        node =
            m.get(MAP_KEY) instanceof ObjectNode o ? o : m.set(MAP_KEY, required(prefix, parts, i));
        node = m.get(MAP_KEY);
      } else if (list) {
        ArrayNode array = parent.get(name) instanceof ArrayNode a ? a : parent.putArray(name);
        if (array.isEmpty()) {
          array.add(required(prefix, parts, i));
        }
        node = array.get(0);
      } else {
        node =
            parent.get(name) instanceof ObjectNode o
                ? o
                : parent.set(name, required(prefix, parts, i));
        node = parent.get(name);
      }
    }
    return spec;
  }

  /** A new object for the path prefix, holding what its schema requires. */
  private static ObjectNode required(String prefix, List<String> parts, int i) {
    ObjectNode o = JSON.createObjectNode();
    switch (prefix) {
      case ".identitySecretRef" -> o.put("name", "identity");
      case ".signingKeys[]" -> o.put("name", "k1");
      case ".grants[]" -> {
        if (i + 1 >= parts.size() || !parts.get(i + 1).equals("account")) {
          o.put("publicKey", KEY);
        }
      }
      case ".grants[].account" -> o.put("name", "b");
      case ".latency" -> o.put("sampling", 50).put("subject", "lat.x");
      case ".from.tokenSecretRef" -> o.put("name", "token");
      default -> {}
    }
    return o;
  }

  // ---- the tests
  // --------------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedWithTheRuleMessageBesideAnAcceptedNeighbour(Case c) {
    if (c.update()) {
      GenericKubernetesResource created =
          resources(c.kind()).resource(resource(c.kind(), c.goodSpec())).create();
      created.setAdditionalProperty("spec", JSON.convertValue(c.badSpec(), Map.class));
      assertRefused(c, () -> resources(c.kind()).resource(created).update());
      GenericKubernetesResource stored =
          resources(c.kind()).withName(created.getMetadata().getName()).get();
      assertEquals(
          c.goodSpec().get("accountRef"),
          JSON.valueToTree(stored.getAdditionalProperties().get("spec")).get("accountRef"),
          c + ": the refused update changed the stored object");
      return;
    }
    assertRefused(
        c, () -> resources(c.kind()).resource(resource(c.kind(), c.badSpec())).dryRun().create());
    try {
      resources(c.kind()).resource(resource(c.kind(), c.goodSpec())).dryRun().create();
    } catch (KubernetesClientException e) {
      fail(
          c
              + ": the accepted neighbour was refused: "
              + e.getStatus().getMessage()
              + "\nspec: "
              + c.goodSpec());
    }
  }

  private static void assertRefused(Case c, Runnable request) {
    try {
      request.run();
      fail(c + ": accepted, expected 422 with \"" + c.expected() + "\"\nspec: " + c.badSpec());
    } catch (KubernetesClientException e) {
      assertEquals(422, e.getCode(), c + ": " + e.getMessage());
      String message = e.getStatus().getMessage();
      assertTrue(
          message.contains(c.expected()),
          c + ": message does not contain \"" + c.expected() + "\": " + message);
      if (c.constraint().type().equals("pattern")) {
        String field = c.constraint().path().substring(1).replace("[]", "[0]");
        assertTrue(
            message.contains(field), c + ": message does not name " + field + ": " + message);
      }
    }
  }

  @Test
  void everyRuleAndPatternInCrdsHasACase() {
    List<Constraint> all = constraints();
    Set<String> covered = cases().map(c -> c.constraint().id()).collect(Collectors.toSet());
    Set<String> missing = new TreeSet<>();
    for (Constraint c : all) {
      if (!covered.contains(c.id())) {
        missing.add(c.id());
      }
    }
    assertTrue(missing.isEmpty(), "rules or patterns in crds/ without a case here: " + missing);
    long rules = all.stream().filter(c -> c.type().equals("rule")).count();
    long patterns = all.size() - rules;
    System.out.printf(
        "admission cases: %d rules and %d patterns in crds/, all exercised%n", rules, patterns);
    assertTrue(
        rules >= 35 && patterns >= 68,
        "fewer constraints than crds/ had when this test was written");
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      resources(String kind) {
    String plural = kind.toLowerCase() + "s";
    ResourceDefinitionContext ctx =
        new ResourceDefinitionContext.Builder()
            .withGroup(GROUP)
            .withVersion("v1alpha1")
            .withKind(kind)
            .withPlural(plural)
            .withNamespaced(true)
            .build();
    return API.client().genericKubernetesResources(ctx).inNamespace(NS);
  }

  private static GenericKubernetesResource resource(String kind, ObjectNode spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(GROUP + "/v1alpha1");
    r.setKind(kind);
    r.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(kind.toLowerCase() + "-" + NAMES.incrementAndGet())
            .withNamespace(NS)
            .build());
    r.setAdditionalProperty("spec", JSON.convertValue(spec, Map.class));
    return r;
  }
}
