package dev.nats.accounts.reconciler.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountKeyRef;
import dev.nats.accounts.api.v1alpha1.AccountSpec;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.ExportSpec;
import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.ImportSource;
import dev.nats.accounts.api.v1alpha1.ImportSpec;
import dev.nats.accounts.api.v1alpha1.LocalObjectRef;
import dev.nats.accounts.api.v1alpha1.ObjectRef;
import dev.nats.accounts.api.v1alpha1.SecretKeyRef;
import dev.nats.accounts.api.v1alpha1.ServiceExportSpec;
import dev.nats.accounts.api.v1alpha1.ServiceImportSpec;
import dev.nats.accounts.api.v1alpha1.StreamExportSpec;
import dev.nats.accounts.api.v1alpha1.StreamImportSpec;
import dev.nats.accounts.jwt.ActivationClaims;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.reconciler.Indexes.OperatorId;
import dev.nats.accounts.reconciler.exports.ExportView;
import dev.nats.accounts.reconciler.exports.Grants;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.tokenurl.TokenFetcher;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Import resolution against a map-backed stand-in for the informer caches. Each api.md reason is
 * produced from the smallest input that should cause it, and every success is compared as a whole
 * import claim, because a wrong subject or token in the claim is silently dropped by nats-server.
 */
class ImportResolutionTest {
  private static final String NS_A = "tenant-a";
  private static final String NS_B = "tenant-b";
  private static final String NS_C = "tenant-c";
  private static final OperatorId OPERATOR = new OperatorId("nats", "main");

  private static final KeyPair A = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair A_SIGNING = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair B = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair C = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair X = KeyPair.create(KeyType.ACCOUNT);

  private FakeCaches lookup;
  private Account a;
  private Account b;
  private Account c;

  /** Maps instead of informers: the only fake here, and it fakes Kubernetes, never NATS. */
  static final class FakeCaches implements ImportResolution.Lookup {
    final Map<String, ExportView> exports = new HashMap<>();
    final Map<String, Account> accounts = new HashMap<>();
    final Map<String, Secret> managedSecrets = new HashMap<>();
    final Map<String, Secret> userSecrets = new HashMap<>();
    final Map<String, OperatorId> operators = new HashMap<>();
    final Map<String, TokenFetcher.Fetched> urls = new HashMap<>();

    @Override
    public Optional<ExportView> export(ExportType type, String namespace, String name) {
      return Optional.ofNullable(exports.get(type + "/" + namespace + "/" + name));
    }

    @Override
    public Optional<Account> account(String namespace, String name) {
      return Optional.ofNullable(accounts.get(namespace + "/" + name));
    }

    @Override
    public Optional<Secret> managedSecret(String namespace, String name) {
      return Optional.ofNullable(managedSecrets.get(namespace + "/" + name));
    }

    @Override
    public Optional<Secret> userSecret(String namespace, String name) {
      return Optional.ofNullable(userSecrets.get(namespace + "/" + name));
    }

    @Override
    public OperatorId operatorOf(Account account) {
      return operators.get(
          account.getMetadata().getNamespace() + "/" + account.getMetadata().getName());
    }

    @Override
    public TokenFetcher.Fetched tokenAt(String url) {
      return urls.getOrDefault(
          url, new TokenFetcher.Fetched(null, "GET " + url + " failed", Duration.ofSeconds(5)));
    }

    void add(ExportView e) {
      exports.put(e.type() + "/" + e.namespace() + "/" + e.name(), e);
    }

    void add(Account acc, OperatorId operator) {
      String ref = acc.getMetadata().getNamespace() + "/" + acc.getMetadata().getName();
      accounts.put(ref, acc);
      if (operator != null) {
        operators.put(ref, operator);
      }
    }
  }

  @BeforeEach
  void setUp() {
    lookup = new FakeCaches();
    a = account(NS_A, "a", A.publicKey());
    b = account(NS_B, "b", B.publicKey());
    c = account(NS_C, "c", C.publicKey());
    lookup.add(a, OPERATOR);
    lookup.add(b, OPERATOR);
    lookup.add(c, OPERATOR);
    // the seed tutorial's two exports
    lookup.add(export(ExportType.SERVICE, NS_A, "help", "a", "help"));
    ServiceExportSpec priv = serviceExportSpec("a", "private.help.*");
    priv.setPrivate(true);
    priv.setGrants(List.of(grantTo(NS_B, "b", "private.help.{{account}}")));
    lookup.add(view(ExportType.SERVICE, NS_A, "private-help", priv));
  }

  // ------------------------------------------------------------------ in-cluster exports:
  // successes

  @Test
  void publicExportDefaultsToTheExportSubjectWithoutToken() {
    ImportResolution.Outcome o = resolve(b, B, serviceImport(NS_B, "help", NS_A, "help"));

    assertTrue(o.ok(), o.message());
    assertEquals(
        new Import("help", "help", A.publicKey(), null, null, ExportType.SERVICE, false),
        o.claim());
    assertEquals(A.publicKey(), o.exporterKey());
    assertNull(o.hashId());
    assertNull(o.reason());
  }

  @Test
  void localSubjectAndShareAreCarriedIntoTheClaim() {
    ImportView v = serviceImport(NS_B, "help", NS_A, "help");
    v.spec().setLocalSubject("a.help");
    ((ServiceImportSpec) v.spec()).setShare(true);

    ImportResolution.Outcome o = resolve(b, B, v);

    assertEquals(
        new Import("help", "help", A.publicKey(), null, "a.help", ExportType.SERVICE, true),
        o.claim());
  }

  @Test
  void blankLocalSubjectIsLeftOut() {
    ImportView v = serviceImport(NS_B, "help", NS_A, "help");
    v.spec().setLocalSubject("");

    assertNull(resolve(b, B, v).claim().localSubject());
  }

  @Test
  void exportRefWithoutNamespaceMeansTheImportNamespace() {
    Account b2 = account(NS_B, "b2", X.publicKey());
    lookup.add(b2, OPERATOR);
    lookup.add(export(ExportType.SERVICE, NS_B, "local-help", "b2", "local.help"));

    ImportResolution.Outcome o = resolve(b, B, serviceImport(NS_B, "lh", null, "local-help"));

    assertTrue(o.ok(), o.message());
    assertEquals(
        new Import("lh", "local.help", X.publicKey(), null, null, ExportType.SERVICE, false),
        o.claim());
  }

  @Test
  void narrowerSubjectInsideAPublicWildcardExportIsKept() {
    lookup.add(export(ExportType.STREAM, NS_A, "orders", "a", "orders.*"));
    ImportView v = streamImport(NS_B, "eu-orders", NS_A, "orders");
    v.spec().setSubject("orders.eu");

    ImportResolution.Outcome o = resolve(b, B, v);

    assertEquals(
        new Import("eu-orders", "orders.eu", A.publicKey(), null, null, ExportType.STREAM, false),
        o.claim());
  }

  @Test
  void privateExportUsesTheGrantSubjectWithTheImporterKeyAndPlacesTheToken() {
    String token =
        activation(
            A, null, B.publicKey(), "private.help." + B.publicKey(), ExportType.SERVICE, null);
    putManagedActivation(NS_A, "private-help", B.publicKey(), token);
    ImportView v = serviceImport(NS_B, "private-help", NS_A, "private-help");
    v.spec().setLocalSubject("private.help");

    ImportResolution.Outcome o = resolve(b, B, v);

    assertTrue(o.ok(), o.message());
    assertEquals(
        new Import(
            "private-help",
            "private.help." + B.publicKey(),
            A.publicKey(),
            token,
            "private.help",
            ExportType.SERVICE,
            false),
        o.claim());
    assertEquals(JwtDecoder.decode(token).id(), o.hashId());
    assertNotNull(o.hashId());
  }

  @Test
  void grantWithoutSubjectCoversTheWholeExportSubject() {
    ServiceExportSpec s = serviceExportSpec("a", "priv.>");
    s.setPrivate(true);
    s.setGrants(List.of(grantTo(NS_B, "b", null)));
    lookup.add(view(ExportType.SERVICE, NS_A, "all", s));
    String token = activation(A, null, B.publicKey(), "priv.>", ExportType.SERVICE, null);
    putManagedActivation(NS_A, "all", B.publicKey(), token);

    ImportResolution.Outcome o = resolve(b, B, serviceImport(NS_B, "all", NS_A, "all"));

    assertEquals("priv.>", o.claim().subject());
    assertEquals(token, o.claim().token());
  }

  @Test
  void grantByPublicKeyNamesTheImporter() {
    ServiceExportSpec s = serviceExportSpec("a", "pk.*");
    s.setPrivate(true);
    Grant g = new Grant();
    g.setPublicKey(B.publicKey());
    g.setSubject("pk.{{account}}");
    s.setGrants(List.of(g));
    lookup.add(view(ExportType.SERVICE, NS_A, "pk", s));
    String token =
        activation(A, null, B.publicKey(), "pk." + B.publicKey(), ExportType.SERVICE, null);
    putManagedActivation(NS_A, "pk", B.publicKey(), token);

    ImportResolution.Outcome o = resolve(b, B, serviceImport(NS_B, "pk", NS_A, "pk"));

    assertTrue(o.ok(), o.message());
    assertEquals("pk." + B.publicKey(), o.claim().subject());
  }

  @Test
  void accountTokenPositionWithoutGrantSubstitutesTheImporterKey() {
    lookup.add(export(ExportType.SERVICE, NS_A, "atp", "a", "atp.*.help"));
    lookup.exports.get("SERVICE/" + NS_A + "/atp").spec().setAccountTokenPosition(2);

    ImportResolution.Outcome o = resolve(b, B, serviceImport(NS_B, "atp", NS_A, "atp"));

    assertTrue(o.ok(), o.message());
    assertEquals(
        new Import(
            "atp",
            "atp." + B.publicKey() + ".help",
            A.publicKey(),
            null,
            null,
            ExportType.SERVICE,
            false),
        o.claim());
  }

  @Test
  void privateAccountTokenPositionExportNeedsNoGrantAndNoToken() {
    // what nats-server 2.9.10 does (verified-facts 1c): accountPos short-circuits the token check
    ServiceExportSpec s = serviceExportSpec("a", "atp.*.help");
    s.setPrivate(true);
    s.setAccountTokenPosition(2);
    lookup.add(view(ExportType.SERVICE, NS_A, "patp", s));

    ImportResolution.Outcome o = resolve(c, C, serviceImport(NS_C, "patp", NS_A, "patp"));

    assertTrue(o.ok(), o.message());
    assertEquals("atp." + C.publicKey() + ".help", o.claim().subject());
    assertNull(o.claim().token());
    assertNull(o.hashId());
  }

  // ------------------------------------------------------------------ in-cluster exports: failures

  /**
   * An Account's first push waits only for imports that resolve by themselves shortly (a neighbour
   * applied with it), never for a refusal.
   */
  @Test
  void importsAreOnTheirWayOnlyWhenEveryFailureIsAWaitOrAMissingReference() {
    ImportResolution.Outcome ok = resolve(b, B, serviceImport(NS_B, "help", NS_A, "help"));
    ImportResolution.Outcome missing = resolve(b, B, serviceImport(NS_B, "nope", NS_A, "nope"));
    ImportResolution.Outcome refused = resolve(b, B, streamImport(NS_B, "help", NS_A, "help"));
    a.setStatus(null);
    ImportResolution.Outcome waiting = resolve(b, B, serviceImport(NS_B, "help", NS_A, "help"));
    assertTrue(ok.ok());
    assertEquals(Reason.PENDING, waiting.reason());

    assertFalse(ImportResolution.onTheirWay(List.of()), "no imports");
    assertFalse(ImportResolution.onTheirWay(List.of(ok)), "all resolved");
    assertTrue(ImportResolution.onTheirWay(List.of(ok, waiting)));
    assertTrue(ImportResolution.onTheirWay(List.of(missing, waiting)));
    assertFalse(
        ImportResolution.onTheirWay(List.of(waiting, refused)), "a refusal does not resolve");
  }

  @Test
  void missingFromIsInvalidSpec() {
    ServiceImportSpec spec = new ServiceImportSpec();
    ImportResolution.Outcome o = resolve(b, B, new ImportView(ExportType.SERVICE, NS_B, "x", spec));

    assertFailed(o, Reason.INVALID_SPEC, "spec.from");
  }

  @Test
  void unknownExportIsExportNotFound() {
    ImportResolution.Outcome o = resolve(b, B, serviceImport(NS_B, "nope", NS_A, "nope"));

    assertFailed(
        o, Reason.EXPORT_NOT_FOUND, "spec.from.exportRef: ServiceExport tenant-a/nope not found");
  }

  @Test
  void streamImportOfAServiceExportIsTypeMismatch() {
    ImportResolution.Outcome o = resolve(b, B, streamImport(NS_B, "help", NS_A, "help"));

    assertFailed(
        o,
        Reason.TYPE_MISMATCH,
        "tenant-a/help is a ServiceExport; a StreamImport needs a StreamExport");
  }

  @Test
  void serviceImportOfAStreamExportIsTypeMismatch() {
    lookup.add(export(ExportType.STREAM, NS_A, "feed", "a", "feed.>"));

    ImportResolution.Outcome o = resolve(b, B, serviceImport(NS_B, "feed", NS_A, "feed"));

    assertFailed(
        o,
        Reason.TYPE_MISMATCH,
        "tenant-a/feed is a StreamExport; a ServiceImport needs a ServiceExport");
  }

  @Test
  void exporterWithoutKeyIsPending() {
    a.setStatus(null);

    ImportResolution.Outcome o = resolve(b, B, serviceImport(NS_B, "help", NS_A, "help"));

    assertFailed(o, Reason.PENDING, "waiting for Account tenant-a/a");
  }

  @Test
  void missingExporterAccountIsPending() {
    lookup.accounts.remove(NS_A + "/a");

    ImportResolution.Outcome o = resolve(b, B, serviceImport(NS_B, "help", NS_A, "help"));

    assertFailed(o, Reason.PENDING, "tenant-a/a");
  }

  @Test
  void importingOwnExportIsSelfImport() {
    ImportResolution.Outcome o = resolve(a, A, serviceImport(NS_A, "help", NS_A, "help"));

    assertFailed(o, Reason.SELF_IMPORT, "tenant-a/help belongs to this account");
  }

  @Test
  void exporterUnderAnotherOperatorIsOperatorMismatch() {
    lookup.operators.put(NS_B + "/b", new OperatorId("other", "second"));

    ImportResolution.Outcome o = resolve(b, B, serviceImport(NS_B, "help", NS_A, "help"));

    assertFailed(
        o, Reason.OPERATOR_MISMATCH, "under Operator nats/main, this account under other/second");
  }

  @Test
  void importerWithoutResolvedOperatorIsOperatorMismatch() {
    lookup.operators.remove(NS_B + "/b");

    assertFailed(
        resolve(b, B, serviceImport(NS_B, "help", NS_A, "help")),
        Reason.OPERATOR_MISMATCH,
        "under null");
  }

  @Test
  void privateExportWithoutGrantIsNotGranted() {
    ImportResolution.Outcome o =
        resolve(c, C, serviceImport(NS_C, "private-help", NS_A, "private-help"));

    assertFailed(o, Reason.NOT_GRANTED, "no grant for Account tenant-c/c");
  }

  @Test
  void grantByReferenceWithoutNamespaceMeansTheExportNamespace() {
    ServiceExportSpec s = serviceExportSpec("a", "ns.help");
    s.setPrivate(true);
    s.setGrants(List.of(grantTo(null, "b", null))); // names tenant-a/b, not tenant-b/b
    lookup.add(view(ExportType.SERVICE, NS_A, "ns-help", s));

    assertFailed(
        resolve(b, B, serviceImport(NS_B, "ns-help", NS_A, "ns-help")),
        Reason.NOT_GRANTED,
        "tenant-b/b");
  }

  @Test
  void wrongAccountTokenIsNotGranted() {
    lookup.add(export(ExportType.SERVICE, NS_A, "atp", "a", "atp.*.help"));
    lookup.exports.get("SERVICE/" + NS_A + "/atp").spec().setAccountTokenPosition(2);
    ImportView v = serviceImport(NS_B, "atp", NS_A, "atp");
    v.spec().setSubject("atp." + C.publicKey() + ".help");

    ImportResolution.Outcome o = resolve(b, B, v);

    assertFailed(
        o,
        Reason.NOT_GRANTED,
        "token 2 of 'atp." + C.publicKey() + ".help' must be this account's key");
  }

  @Test
  void subjectOutsideTheExportIsSubjectNotInExport() {
    ImportView v = serviceImport(NS_B, "help", NS_A, "help");
    v.spec().setSubject("helpdesk");

    assertFailed(
        resolve(b, B, v),
        Reason.SUBJECT_NOT_IN_EXPORT,
        "spec.subject 'helpdesk' is not within the subject 'help' of ServiceExport tenant-a/help");
  }

  @Test
  void widerSubjectThanTheExportIsSubjectNotInExport() {
    lookup.add(export(ExportType.STREAM, NS_A, "orders", "a", "orders.*"));
    ImportView v = streamImport(NS_B, "orders", NS_A, "orders");
    v.spec().setSubject("orders.>");

    assertFailed(resolve(b, B, v), Reason.SUBJECT_NOT_IN_EXPORT, "spec.subject 'orders.>'");
  }

  @Test
  void malformedSubjectIsSubjectNotInExport() {
    lookup.add(export(ExportType.STREAM, NS_A, "orders", "a", "orders.>"));
    ImportView v = streamImport(NS_B, "orders", NS_A, "orders");
    v.spec().setSubject("orders..eu");

    assertFailed(resolve(b, B, v), Reason.SUBJECT_NOT_IN_EXPORT, "'orders..eu'");
  }

  @Test
  void subjectInsideTheExportButOutsideTheGrantIsSubjectNotInExport() {
    ImportView v = serviceImport(NS_B, "private-help", NS_A, "private-help");
    v.spec().setSubject("private.help." + C.publicKey());

    ImportResolution.Outcome o = resolve(b, B, v);

    assertFailed(
        o,
        Reason.SUBJECT_NOT_IN_EXPORT,
        "is not within the granted subject 'private.help." + B.publicKey() + "'");
  }

  @Test
  void missingActivationSecretIsPending() {
    ImportResolution.Outcome o =
        resolve(b, B, serviceImport(NS_B, "private-help", NS_A, "private-help"));

    assertFailed(
        o,
        Reason.PENDING,
        "activation token Secret tenant-a/" + Grants.secretName("private-help", B.publicKey()));
  }

  @Test
  void activationTokenForANarrowerSubjectIsPending() {
    // a token minted before the grant subject was widened: the importer waits for the renewal
    String token =
        activation(A, null, B.publicKey(), "private.help.other", ExportType.SERVICE, null);
    putManagedActivation(NS_A, "private-help", B.publicKey(), token);

    ImportResolution.Outcome o =
        resolve(b, B, serviceImport(NS_B, "private-help", NS_A, "private-help"));

    assertFailed(o, Reason.PENDING, "does not cover 'private.help." + B.publicKey() + "'");
  }

  @Test
  void unreadableActivationTokenIsPending() {
    putManagedActivation(NS_A, "private-help", B.publicKey(), "not-a-jwt");

    ImportResolution.Outcome o =
        resolve(b, B, serviceImport(NS_B, "private-help", NS_A, "private-help"));

    assertFailed(o, Reason.PENDING, "the activation token is not valid");
  }

  // ------------------------------------------------------------------ external imports

  @Test
  void externalPublicImportNeedsOnlyKeyAndSubject() {
    ImportResolution.Outcome o =
        resolve(b, B, external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help", null));

    assertTrue(o.ok(), o.message());
    assertEquals(
        new Import("ext", "ext.help", X.publicKey(), null, null, ExportType.SERVICE, false),
        o.claim());
    assertEquals(X.publicKey(), o.exporterKey());
    assertNull(o.hashId());
  }

  @Test
  void externalWithoutSubjectIsInvalidSpec() {
    assertFailed(
        resolve(b, B, external(ExportType.SERVICE, "ext", X.publicKey(), null, null)),
        Reason.INVALID_SPEC,
        "account.publicKey with subject");
  }

  @Test
  void externalOwnKeyIsSelfImport() {
    assertFailed(
        resolve(b, B, external(ExportType.SERVICE, "ext", B.publicKey(), "ext.help", null)),
        Reason.SELF_IMPORT,
        "spec.from.account.publicKey");
  }

  @Test
  void externalTokenSecretMissingIsSecretNotFound() {
    ImportResolution.Outcome o =
        resolve(
            b, B, external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help", ref("tok", null)));

    assertFailed(
        o, Reason.SECRET_NOT_FOUND, "Secret tenant-b/tok (key 'activation.jwt') not found");
  }

  @Test
  void externalTokenSecretWithoutTheNamedKeyIsSecretNotFound() {
    String token = activation(X, null, B.publicKey(), "ext.help", ExportType.SERVICE, null);
    putUserSecret(NS_B, "tok", Map.of("activation.jwt", token));

    ImportResolution.Outcome o =
        resolve(
            b,
            B,
            external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help", ref("tok", "other")));

    assertFailed(o, Reason.SECRET_NOT_FOUND, "(key 'other')");
  }

  @Test
  void externalGoodTokenIsPlacedWithItsJtiAsHashId() {
    String token = activation(X, null, B.publicKey(), "ext.help.>", ExportType.SERVICE, null);
    putUserSecret(NS_B, "tok", Map.of("activation.jwt", token));
    ImportView v =
        external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help.b", ref("tok", null));
    v.spec().setLocalSubject("help.ext");

    ImportResolution.Outcome o = resolve(b, B, v);

    assertTrue(o.ok(), o.message());
    assertEquals(
        new Import(
            "ext", "ext.help.b", X.publicKey(), token, "help.ext", ExportType.SERVICE, false),
        o.claim());
    assertEquals(JwtDecoder.decode(token).id(), o.hashId());
  }

  @Test
  void externalTokenFromAUrlIsPlacedAndCheckedLikeASecretsToken() {
    String url = "http://tokens.example/jwt/v1/activations/H";
    String token = activation(X, null, B.publicKey(), "ext.help.>", ExportType.SERVICE, null);
    lookup.urls.put(url, new TokenFetcher.Fetched(token, null, Duration.ofSeconds(30)));
    ImportView v = external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help.b", null);
    v.spec().getFrom().setTokenURL(url);

    ImportResolution.Outcome o = resolve(b, B, v);

    assertTrue(o.ok(), o.message());
    assertEquals(token, o.claim().token(), "the token itself, never the URL: nats-server 2.15");
    assertEquals(JwtDecoder.decode(token).id(), o.hashId());

    lookup.urls.put(
        url,
        new TokenFetcher.Fetched(
            activation(X, null, C.publicKey(), "ext.help.>", ExportType.SERVICE, null),
            null,
            Duration.ofSeconds(30)));
    assertFailed(
        resolve(b, B, v),
        Reason.INVALID_TOKEN,
        "spec.from.tokenURL: the activation token does not fit: it was issued to " + C.publicKey());
  }

  @Test
  void externalTokenUrlWithoutATokenIsTokenFetchFailed() {
    String url = "http://tokens.example/jwt/v1/activations/H";
    lookup.urls.put(
        url,
        new TokenFetcher.Fetched(
            null, "GET " + url + " answered 404: no token is served there", Duration.ofSeconds(5)));
    ImportView v = external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help", null);
    v.spec().getFrom().setTokenURL(url);

    assertFailed(
        resolve(b, B, v),
        Reason.TOKEN_FETCH_FAILED,
        "spec.from.tokenURL: GET " + url + " answered 404");
  }

  @Test
  void externalTokenSignedByAnExporterSigningKeyIsAccepted() {
    String token =
        activation(A_SIGNING, X.publicKey(), B.publicKey(), "ext.feed", ExportType.STREAM, null);
    Secret s =
        new SecretBuilder()
            .withNewMetadata()
            .withName("tok")
            .withNamespace(NS_B)
            .endMetadata()
            .withStringData(Map.of("jwt", token + "\n"))
            .build(); // a hand-made Secret with a trailing newline
    lookup.userSecrets.put(NS_B + "/tok", s);

    ImportResolution.Outcome o =
        resolve(
            b,
            B,
            external(ExportType.STREAM, "feed", X.publicKey(), "ext.feed", ref("tok", "jwt")));

    assertTrue(o.ok(), o.message());
    assertEquals(token, o.claim().token());
    assertEquals(ExportType.STREAM, o.claim().type());
  }

  @Test
  void externalTokenForAnotherAccountIsInvalidToken() {
    String token = activation(X, null, C.publicKey(), "ext.help", ExportType.SERVICE, null);
    putUserSecret(NS_B, "tok", Map.of("activation.jwt", token));

    ImportResolution.Outcome o =
        resolve(
            b, B, external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help", ref("tok", null)));

    assertFailed(
        o, Reason.INVALID_TOKEN, "it was issued to " + C.publicKey() + ", not to this account");
  }

  @Test
  void externalTokenFromAnotherExporterIsInvalidToken() {
    String token = activation(A, null, B.publicKey(), "ext.help", ExportType.SERVICE, null);
    putUserSecret(NS_B, "tok", Map.of("activation.jwt", token));

    ImportResolution.Outcome o =
        resolve(
            b, B, external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help", ref("tok", null)));

    assertFailed(
        o, Reason.INVALID_TOKEN, "it was issued by " + A.publicKey() + ", not by " + X.publicKey());
  }

  @Test
  void externalTokenOfTheWrongKindIsInvalidToken() {
    String token = activation(X, null, B.publicKey(), "ext.help", ExportType.STREAM, null);
    putUserSecret(NS_B, "tok", Map.of("activation.jwt", token));

    ImportResolution.Outcome o =
        resolve(
            b, B, external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help", ref("tok", null)));

    assertFailed(o, Reason.INVALID_TOKEN, "it is for a stream import");
  }

  @Test
  void externalTokenNotCoveringTheSubjectIsInvalidToken() {
    String token = activation(X, null, B.publicKey(), "ext.help.one", ExportType.SERVICE, null);
    putUserSecret(NS_B, "tok", Map.of("activation.jwt", token));

    ImportResolution.Outcome o =
        resolve(
            b,
            B,
            external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help.*", ref("tok", null)));

    assertFailed(o, Reason.INVALID_TOKEN, "it covers 'ext.help.one', not 'ext.help.*'");
  }

  @Test
  void externalTokenWithABadSignatureIsInvalidToken() {
    String token = activation(X, null, B.publicKey(), "ext.help", ExportType.SERVICE, null);
    String other = activation(X, null, B.publicKey(), "ext.other", ExportType.SERVICE, null);
    String forged =
        token.substring(0, token.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));
    putUserSecret(NS_B, "tok", Map.of("activation.jwt", forged));

    ImportResolution.Outcome o =
        resolve(
            b, B, external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help", ref("tok", null)));

    assertFailed(o, Reason.INVALID_TOKEN, "signature verification failed");
  }

  @Test
  void externalExpiredTokenIsInvalidToken() {
    long past = Instant.now().getEpochSecond() - 3600;
    String token = activation(X, null, B.publicKey(), "ext.help", ExportType.SERVICE, past);
    putUserSecret(NS_B, "tok", Map.of("activation.jwt", token));

    ImportResolution.Outcome o =
        resolve(
            b, B, external(ExportType.SERVICE, "ext", X.publicKey(), "ext.help", ref("tok", null)));

    assertFailed(o, Reason.INVALID_TOKEN, "expired");
  }

  // ------------------------------------------------------------------ resolveAll: local subject
  // clashes

  @Test
  void overlappingServiceImportsLetTheLaterNameLose() {
    lookup.add(export(ExportType.SERVICE, NS_A, "orders", "a", "orders.*"));
    ImportView later = serviceImport(NS_B, "beta", NS_A, "orders");
    later.spec().setSubject("orders.eu");
    ImportView earlier = serviceImport(NS_B, "alpha", NS_A, "orders");

    List<ImportResolution.Outcome> out =
        ImportResolution.resolveAll(List.of(later, earlier), b, B.publicKey(), lookup);

    assertEquals(List.of("alpha", "beta"), out.stream().map(o -> o.source().name()).toList());
    assertTrue(out.get(0).ok(), out.get(0).message());
    assertEquals("orders.*", out.get(0).claim().subject());
    assertFailed(
        out.get(1),
        Reason.LOCAL_SUBJECT_CONFLICT,
        "local subject 'orders.eu' overlaps ServiceImport tenant-b/alpha ('orders.*')");
  }

  @Test
  void serviceImportsClashOnTheirLocalSubjectNotTheirExportSubject() {
    lookup.add(export(ExportType.SERVICE, NS_A, "other", "a", "other"));
    ImportView one = serviceImport(NS_B, "one", NS_A, "help");
    one.spec().setLocalSubject("svc.>");
    ImportView two = serviceImport(NS_B, "two", NS_A, "other");
    two.spec().setLocalSubject("svc.other");
    ImportView three = serviceImport(NS_B, "three", NS_A, "help");
    three.spec().setLocalSubject("help.local");

    List<ImportResolution.Outcome> out =
        ImportResolution.resolveAll(List.of(one, two, three), b, B.publicKey(), lookup);

    assertEquals(List.of("one", "three", "two"), out.stream().map(o -> o.source().name()).toList());
    assertTrue(out.get(0).ok());
    assertTrue(out.get(1).ok(), "distinct local subject of the same export does not clash");
    assertFailed(
        out.get(2),
        Reason.LOCAL_SUBJECT_CONFLICT,
        "'svc.other' overlaps ServiceImport tenant-b/one ('svc.>')");
  }

  @Test
  void streamImportsClashOnlyOnAnIdenticalLocalSubject() {
    lookup.add(export(ExportType.STREAM, NS_A, "orders", "a", "orders.*"));
    ImportView all = streamImport(NS_B, "all", NS_A, "orders");
    ImportView eu = streamImport(NS_B, "eu", NS_A, "orders");
    eu.spec().setSubject("orders.eu");
    ImportView same = streamImport(NS_B, "same", NS_A, "orders");
    same.spec().setSubject("orders.us");
    same.spec().setLocalSubject("orders.*");

    List<ImportResolution.Outcome> out =
        ImportResolution.resolveAll(List.of(same, eu, all), b, B.publicKey(), lookup);

    assertEquals(List.of("all", "eu", "same"), out.stream().map(o -> o.source().name()).toList());
    assertTrue(out.get(0).ok());
    assertTrue(out.get(1).ok(), "overlapping but different stream subjects are fine");
    assertFailed(
        out.get(2),
        Reason.LOCAL_SUBJECT_CONFLICT,
        "overlaps StreamImport tenant-b/all ('orders.*')");
  }

  @Test
  void aServiceAndAStreamImportNeverClash() {
    lookup.add(export(ExportType.STREAM, NS_A, "help-feed", "a", "help"));
    ImportView svc = serviceImport(NS_B, "x", NS_A, "help");
    ImportView stream = streamImport(NS_B, "x", NS_A, "help-feed");

    List<ImportResolution.Outcome> out =
        ImportResolution.resolveAll(List.of(stream, svc), b, B.publicKey(), lookup);

    assertEquals(2, out.size());
    assertTrue(out.stream().allMatch(ImportResolution.Outcome::ok));
    // same name: services sort before streams, so the order is stable
    assertEquals(
        List.of(ExportType.SERVICE, ExportType.STREAM),
        out.stream().map(o -> o.source().type()).toList());
  }

  @Test
  void aFailedImportDoesNotOccupyItsLocalSubject() {
    ImportView broken = serviceImport(NS_B, "alpha", NS_A, "missing");
    ImportView good = serviceImport(NS_B, "beta", NS_A, "help");

    List<ImportResolution.Outcome> out =
        ImportResolution.resolveAll(List.of(good, broken), b, B.publicKey(), lookup);

    assertEquals(Reason.EXPORT_NOT_FOUND, out.get(0).reason());
    assertTrue(out.get(1).ok(), out.get(1).message());
  }

  // ------------------------------------------------------------------ package helpers

  @Test
  void tokenHelpersAreOneBased() {
    assertEquals("a.K.c", ImportResolution.withToken("a.*.c", 2, "K"));
    assertEquals("K.b", ImportResolution.withToken("a.b", 1, "K"));
    assertEquals("a.b", ImportResolution.withToken("a.b", 3, "K"));
    assertEquals("c", ImportResolution.tokenAt("a.b.c", 3));
    assertNull(ImportResolution.tokenAt("a.b.c", 4));
    assertNull(ImportResolution.tokenAt("a.b.c", 0));
  }

  // ------------------------------------------------------------------ helpers

  private ImportResolution.Outcome resolve(Account importer, KeyPair key, ImportView v) {
    return ImportResolution.resolve(v, importer, key.publicKey(), lookup);
  }

  private static void assertFailed(ImportResolution.Outcome o, Reason reason, String messagePart) {
    assertFalse(o.ok(), "expected " + reason + " but resolved to " + o.claim());
    assertNull(o.claim());
    assertEquals(reason, o.reason(), o.message());
    assertTrue(
        o.message().contains(messagePart),
        "message '" + o.message() + "' lacks '" + messagePart + "'");
  }

  static Account account(String ns, String name, String publicKey) {
    Account acc = new Account();
    acc.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    acc.setSpec(new AccountSpec());
    AccountStatus st = new AccountStatus();
    st.setPublicKey(publicKey);
    acc.setStatus(st);
    return acc;
  }

  static ServiceExportSpec serviceExportSpec(String account, String subject) {
    ServiceExportSpec s = new ServiceExportSpec();
    s.setAccountRef(local(account));
    s.setSubject(subject);
    return s;
  }

  static ExportView export(
      ExportType type, String ns, String name, String account, String subject) {
    ExportSpec s = type == ExportType.SERVICE ? new ServiceExportSpec() : new StreamExportSpec();
    s.setAccountRef(local(account));
    s.setSubject(subject);
    return view(type, ns, name, s);
  }

  static ExportView view(ExportType type, String ns, String name, ExportSpec spec) {
    return new ExportView(type, ns, name, "uid-" + name, spec, null, null);
  }

  static Grant grantTo(String ns, String name, String subject) {
    ObjectRef r = new ObjectRef();
    r.setNamespace(ns);
    r.setName(name);
    Grant g = new Grant();
    g.setAccount(r);
    g.setSubject(subject);
    return g;
  }

  static ImportView serviceImport(String ns, String name, String exportNs, String exportName) {
    return importOf(ExportType.SERVICE, new ServiceImportSpec(), ns, name, exportNs, exportName);
  }

  static ImportView streamImport(String ns, String name, String exportNs, String exportName) {
    return importOf(ExportType.STREAM, new StreamImportSpec(), ns, name, exportNs, exportName);
  }

  private static ImportView importOf(
      ExportType type,
      ImportSpec spec,
      String ns,
      String name,
      String exportNs,
      String exportName) {
    ObjectRef r = new ObjectRef();
    r.setNamespace(exportNs);
    r.setName(exportName);
    ImportSource from = new ImportSource();
    from.setExportRef(r);
    spec.setFrom(from);
    spec.setAccountRef(local(ns.equals(NS_A) ? "a" : ns.equals(NS_B) ? "b" : "c"));
    return new ImportView(type, ns, name, spec);
  }

  private static ImportView external(
      ExportType type, String name, String exporterKey, String subject, SecretKeyRef token) {
    ImportSpec spec = type == ExportType.SERVICE ? new ServiceImportSpec() : new StreamImportSpec();
    AccountKeyRef k = new AccountKeyRef();
    k.setPublicKey(exporterKey);
    ImportSource from = new ImportSource();
    from.setAccount(k);
    from.setSubject(subject);
    from.setTokenSecretRef(token);
    spec.setFrom(from);
    spec.setAccountRef(local("b"));
    return new ImportView(type, NS_B, name, spec);
  }

  private static SecretKeyRef ref(String name, String key) {
    SecretKeyRef r = new SecretKeyRef();
    r.setName(name);
    r.setKey(key);
    return r;
  }

  private static LocalObjectRef local(String name) {
    LocalObjectRef r = new LocalObjectRef();
    r.setName(name);
    return r;
  }

  static String activation(
      KeyPair signer,
      String issuerAccount,
      String grantee,
      String subject,
      ExportType kind,
      Long expires) {
    ActivationClaims claims =
        new ActivationClaims(subject, grantee, subject, kind, issuerAccount, expires);
    return JwtEncoder.encode(claims, signer, Instant.now().getEpochSecond());
  }

  private void putManagedActivation(String ns, String export, String grantee, String token) {
    String name = Grants.secretName(export, grantee);
    lookup.managedSecrets.put(ns + "/" + name, secret(ns, name, Map.of(Grants.TOKEN_KEY, token)));
  }

  private void putUserSecret(String ns, String name, Map<String, String> plain) {
    lookup.userSecrets.put(ns + "/" + name, secret(ns, name, plain));
  }

  private static Secret secret(String ns, String name, Map<String, String> plain) {
    Map<String, String> data = new HashMap<>();
    plain.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withData(data)
        .build();
  }
}
