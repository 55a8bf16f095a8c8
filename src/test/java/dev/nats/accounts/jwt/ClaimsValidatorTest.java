package dev.nats.accounts.jwt;

import static dev.nats.accounts.jwt.TestKeys.ACCOUNT;
import static dev.nats.accounts.jwt.TestKeys.ACCOUNT_B;
import static dev.nats.accounts.jwt.TestKeys.ACCOUNT_C;
import static dev.nats.accounts.jwt.TestKeys.ACCOUNT_SK;
import static dev.nats.accounts.jwt.TestKeys.OPERATOR;
import static dev.nats.accounts.jwt.TestKeys.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per validation rule: a good input that passes and a bad input with the exact violation.
 * Bad account claims are also fed to the encoder to prove nothing invalid gets signed.
 */
class ClaimsValidatorTest {
  static final String A = ACCOUNT.publicKey();
  static final String B = ACCOUNT_B.publicKey();
  static final String C = ACCOUNT_C.publicKey();

  static AccountClaims.Builder acct() {
    return AccountClaims.builder("A", A);
  }

  static String activation(
      String importer, String subject, ExportType kind, KeyPair signer, String issuerAccount) {
    return JwtEncoder.encode(
        new ActivationClaims("g", importer, subject, kind, issuerAccount, null),
        signer,
        1700000000L);
  }

  static Arguments bad(String name, AccountClaims c, String field, String message) {
    return Arguments.of(name, c, field, message);
  }

  static Stream<Arguments> goodAccounts() {
    return Stream.of(
        Arguments.of("minimal", acct().build()),
        Arguments.of(
            "service + stream same subject (different kinds)",
            acct()
                .addExport(Export.service("s", "x.>"))
                .addExport(Export.stream("t", "x.>"))
                .build()),
        Arguments.of(
            "disjoint exports",
            acct()
                .addExport(Export.service("a", "a.*"))
                .addExport(Export.service("b", "b.>"))
                .build()),
        Arguments.of(
            "account token position",
            acct().addExport(Export.service("p", "pos.*.req").withAccountTokenPosition(2)).build()),
        Arguments.of(
            "latency headers",
            acct()
                .addExport(
                    Export.service("l", "l").withLatency(new ServiceLatency("headers", "lat")))
                .build()),
        Arguments.of(
            "local subject with $ reference",
            acct().addImport(Import.service("i", "a.*.b", B).withLocalSubject("x.$1")).build()),
        Arguments.of(
            "local subject with * and >",
            acct().addImport(Import.stream("i", "a.*.>", B).withLocalSubject("in.*.>")).build()),
        Arguments.of(
            "token for the import",
            acct()
                .addImport(
                    Import.service("i", "priv.help", B)
                        .withToken(activation(A, "priv.>", ExportType.SERVICE, ACCOUNT_B, null)))
                .build()),
        Arguments.of(
            "token signed by exporter signing key",
            acct()
                .addImport(
                    Import.service("i", "priv.help", B)
                        .withToken(activation(A, "priv.help", ExportType.SERVICE, ACCOUNT_SK, B)))
                .build()),
        Arguments.of(
            "two service imports with distinct local subjects",
            acct()
                .addImport(Import.service("i", "h", B).withLocalSubject("b.h"))
                .addImport(Import.service("j", "h", C).withLocalSubject("c.h"))
                .build()),
        Arguments.of(
            "stream imports may overlap",
            acct()
                .addImport(Import.stream("i", "e.>", B))
                .addImport(Import.stream("j", "e.>", C))
                .build()),
        Arguments.of(
            "limits exactly met",
            acct()
                .limits(new AccountLimits(-1, -1, -1, 1, 1, false, false, -1, -1, null, null))
                .addImport(Import.stream("i", "e", B))
                .addExport(Export.service("s", "s"))
                .build()),
        Arguments.of(
            "tiered JS with flat disabled",
            acct()
                .limits(
                    AccountLimits.UNLIMITED.withTiered(
                        Map.of("R1", JetStreamLimits.UNLIMITED, "R3", JetStreamLimits.UNLIMITED)))
                .build()),
        Arguments.of(
            "mappings sum to 100",
            acct()
                .addMapping("m", List.of(new Mapping("m1", 50, null), new Mapping("m2", 50, null)))
                .build()),
        Arguments.of(
            "scoped signing key with template",
            acct()
                .addSigningKey(
                    new SigningKey.Scoped(
                        ACCOUNT_SK.publicKey(),
                        "r",
                        UserPermissionLimits.of(
                            new Permissions(
                                new Permission(List.of("{{name()}}.>"), null), null, null)),
                        "d"))
                .build()),
        Arguments.of(
            "default permissions with queue on sub",
            acct()
                .defaultPermissions(
                    new Permissions(
                        new Permission(List.of("a.>"), null),
                        new Permission(List.of("w.* q1"), null),
                        new ResponsePermission(1, Duration.ofSeconds(1))))
                .build()),
        Arguments.of(
            "info",
            acct().description("x".repeat(8192)).infoUrl("https://example.com/docs").build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodAccounts")
  void goodAccountPassesAndSigns(String name, AccountClaims c) {
    assertEquals(List.of(), ClaimsValidator.validate(c));
    assertEquals(A, JwtDecoder.decode(JwtEncoder.encode(c, OPERATOR, 1700000000L)).subject());
  }

  static Stream<Arguments> badAccounts() {
    return Stream.of(
        // subject / keys
        bad(
            "subject is a user key",
            AccountClaims.builder("A", USER.publicKey()).build(),
            "subject",
            "must be an account public key (starts with 'A'), got a user key " + USER.publicKey()),
        bad(
            "subject missing",
            AccountClaims.builder("A", null).build(),
            "subject",
            "is required: set it to an account public key"),
        // exports
        bad(
            "export subject with space",
            acct().addExport(Export.service("s", "a b")).build(),
            "exports[0].subject",
            "\"a b\" is not a valid subject (no spaces, no empty tokens, > only last)"),
        bad(
            "export subject empty token",
            acct().addExport(Export.service("s", "a..b")).build(),
            "exports[0].subject",
            "\"a..b\" is not a valid subject (no spaces, no empty tokens, > only last)"),
        bad(
            "export subject > not last",
            acct().addExport(Export.service("s", "a.>.b")).build(),
            "exports[0].subject",
            "\"a.>.b\" is not a valid subject (no spaces, no empty tokens, > only last)"),
        bad(
            "export subject missing",
            acct().addExport(Export.service("s", null)).build(),
            "exports[0].subject",
            "is required"),
        bad(
            "export type missing",
            acct()
                .addExport(Export.service("s", "s").withTokenReq(false).withResponseType(null))
                .build()
                .toBuilder()
                .exports(
                    List.of(
                        new Export(
                            "s", "s", null, false, null, null, null, null, 0, false, null, null)))
                .build(),
            "exports[0].type",
            "is required (service or stream)"),
        bad(
            "response type on stream",
            acct().addExport(Export.stream("s", "s").withResponseType(ResponseType.STREAM)).build(),
            "exports[0].responseType",
            "only services have a response type"),
        bad(
            "threshold on stream",
            acct()
                .addExport(Export.stream("s", "s").withResponseThreshold(Duration.ofSeconds(1)))
                .build(),
            "exports[0].responseThreshold",
            "only services have a response threshold"),
        bad(
            "negative threshold",
            acct()
                .addExport(Export.service("s", "s").withResponseThreshold(Duration.ofSeconds(-1)))
                .build(),
            "exports[0].responseThreshold",
            "must not be negative"),
        bad(
            "latency on stream",
            acct()
                .addExport(Export.stream("s", "s").withLatency(new ServiceLatency("10", "lat")))
                .build(),
            "exports[0].latency",
            "latency tracking is only possible for services"),
        bad(
            "sampling out of range",
            acct()
                .addExport(Export.service("s", "s").withLatency(new ServiceLatency("101", "lat")))
                .build(),
            "exports[0].latency.sampling",
            "must be a percentage 1..100 or \"headers\", got \"101\""),
        bad(
            "latency results wildcard",
            acct()
                .addExport(Export.service("s", "s").withLatency(new ServiceLatency("10", "lat.*")))
                .build(),
            "exports[0].latency.results",
            "\"lat.*\" must not contain wildcards"),
        bad(
            "token position without wildcard",
            acct().addExport(Export.service("s", "a.b").withAccountTokenPosition(1)).build(),
            "exports[0].accountTokenPosition",
            "needs a wildcard subject; \"a.b\" has none"),
        bad(
            "token position too large",
            acct().addExport(Export.service("s", "a.*").withAccountTokenPosition(3)).build(),
            "exports[0].accountTokenPosition",
            "position 3 exceeds the 2 tokens of \"a.*\""),
        bad(
            "token position not on *",
            acct().addExport(Export.service("s", "a.*").withAccountTokenPosition(1)).build(),
            "exports[0].accountTokenPosition",
            "token 1 of \"a.*\" is \"a\" but must be *"),
        bad(
            "overlapping service exports",
            acct()
                .addExport(Export.service("a", "x.>"))
                .addExport(Export.service("b", "x.y"))
                .build(),
            "exports[1].subject",
            "service export \"x.y\" overlaps \"x.>\" of exports[0]; exports of the same kind must not overlap"),
        bad(
            "identical stream exports",
            acct().addExport(Export.stream("a", "e")).addExport(Export.stream("b", "e")).build(),
            "exports[1].subject",
            "stream export \"e\" overlaps \"e\" of exports[0]; exports of the same kind must not overlap"),
        bad(
            "export info url without host",
            acct().addExport(Export.service("s", "s").withInfo(null, "docs/page")).build(),
            "exports[0].infoUrl",
            "\"docs/page\" must be a URL with scheme and host, e.g. https://example.com/docs"),
        // imports
        bad(
            "import account missing",
            acct().addImport(Import.service("i", "h", null)).build(),
            "imports[0].account",
            "account to import from is required"),
        bad(
            "import account is an operator key",
            acct().addImport(Import.service("i", "h", OPERATOR.publicKey())).build(),
            "imports[0].account",
            "must be an account public key (starts with 'A'), got an operator key "
                + OPERATOR.publicKey()),
        bad(
            "self import",
            acct().addImport(Import.service("i", "h", A)).build(),
            "imports[0].account",
            "an account cannot import from itself; use the subject directly instead"),
        bad(
            "import type missing",
            acct().addImport(new Import("i", "h", B, null, null, null, false)).build(),
            "imports[0].type",
            "is required (service or stream)"),
        bad(
            "import subject invalid",
            acct().addImport(Import.stream("i", "a b", B)).build(),
            "imports[0].subject",
            "\"a b\" is not a valid subject (no spaces, no empty tokens, > only last)"),
        bad(
            "local subject > mismatch",
            acct().addImport(Import.stream("i", "e.>", B).withLocalSubject("in.e")).build(),
            "imports[0].localSubject",
            "\"in.e\" and subject \"e.>\" must both end in > or both not end in >"),
        bad(
            "local subject drops a wildcard",
            acct().addImport(Import.service("i", "a.*", B).withLocalSubject("x")).build(),
            "imports[0].localSubject",
            "\"x\" must use each of the 1 * wildcards of \"a.*\" exactly once, as * or $1..$1"),
        bad(
            "local subject bad reference",
            acct().addImport(Import.service("i", "a.*", B).withLocalSubject("x.$2")).build(),
            "imports[0].localSubject",
            "reference $2 in \"x.$2\" points to a * that \"a.*\" does not have (it has 1)"),
        bad(
            "share on stream",
            acct().addImport(Import.stream("i", "e", B).withShare(true)).build(),
            "imports[0].share",
            "sharing latency information is only valid for service imports"),
        bad(
            "token garbage",
            acct().addImport(Import.service("i", "h", B).withToken("nope")).build(),
            "imports[0].token",
            "activation token does not decode: JWT must have 3 dot-separated parts"),
        bad(
            "token from another exporter",
            acct()
                .addImport(
                    Import.service("i", "h", B)
                        .withToken(activation(A, "h", ExportType.SERVICE, ACCOUNT_C, null)))
                .build(),
            "imports[0].token",
            "activation token was issued by " + C + ", not by the exporting account " + B),
        bad(
            "token for another importer",
            acct()
                .addImport(
                    Import.service("i", "h", B)
                        .withToken(activation(C, "h", ExportType.SERVICE, ACCOUNT_B, null)))
                .build(),
            "imports[0].token",
            "activation token was issued for account " + C + ", not for this account " + A),
        bad(
            "token kind mismatch",
            acct()
                .addImport(
                    Import.service("i", "h", B)
                        .withToken(activation(A, "h", ExportType.STREAM, ACCOUNT_B, null)))
                .build(),
            "imports[0].token",
            "activation token kind stream does not match import type service"),
        bad(
            "import subject outside token",
            acct()
                .addImport(
                    Import.service("i", "priv.other", B)
                        .withToken(activation(A, "priv.help", ExportType.SERVICE, ACCOUNT_B, null)))
                .build(),
            "imports[0].token",
            "activation token grants \"priv.help\" which does not contain import subject \"priv.other\""),
        bad(
            "token is not an activation",
            acct()
                .addImport(
                    Import.service("i", "h", B)
                        .withToken(
                            JwtEncoder.encode(AccountClaims.builder("X", B).build(), OPERATOR, 1L)))
                .build(),
            "imports[0].token",
            "token is a account JWT, not an activation"),
        bad(
            "overlapping service import local subjects",
            acct()
                .addImport(Import.service("i", "h.>", B))
                .addImport(Import.service("j", "q", C).withLocalSubject("h.x"))
                .build(),
            "imports[1]",
            "service import local subject \"h.x\" overlaps \"h.>\" of imports[0]; give one of them a distinct localSubject"),
        // limits
        bad(
            "too many imports",
            acct()
                .limits(new AccountLimits(-1, -1, -1, 0, -1, true, false, -1, -1, null, null))
                .addImport(Import.stream("i", "e", B))
                .build(),
            "imports",
            "the account has 1 imports but limits.imports allows 0"),
        bad(
            "too many exports",
            acct()
                .limits(new AccountLimits(-1, -1, -1, -1, 1, true, false, -1, -1, null, null))
                .addExport(Export.stream("a", "a"))
                .addExport(Export.stream("b", "b"))
                .build(),
            "exports",
            "the account has 2 exports but limits.exports allows 1"),
        bad(
            "wildcard export not allowed",
            acct()
                .limits(new AccountLimits(-1, -1, -1, -1, 5, false, false, -1, -1, null, null))
                .addExport(Export.stream("a", "a.*"))
                .build(),
            "exports[0].subject",
            "wildcard export \"a.*\" is not allowed because limits.wildcards is false"),
        bad(
            "flat and tiered JetStream",
            acct()
                .limits(
                    AccountLimits.UNLIMITED
                        .withJetStream(JetStreamLimits.UNLIMITED)
                        .withTiered(Map.of("R1", JetStreamLimits.UNLIMITED)))
                .build(),
            "limits.jetStream",
            "flat JetStream limits and tiered limits are mutually exclusive; use JetStreamLimits.DISABLED when tiers are set"),
        bad(
            "empty tier name",
            acct()
                .limits(AccountLimits.UNLIMITED.withTiered(Map.of("", JetStreamLimits.UNLIMITED)))
                .build(),
            "limits.tiered",
            "tier name must not be empty (use R1, R3, ...)"),
        // signing keys, permissions, mappings, info
        bad(
            "signing key is an operator key",
            acct().addSigningKey(OPERATOR.publicKey()).build(),
            "signingKeys[0].key",
            "must be an account public key (starts with 'A'), got an operator key "
                + OPERATOR.publicKey()),
        bad(
            "scope template bad cidr",
            acct()
                .addSigningKey(
                    new SigningKey.Scoped(
                        ACCOUNT_SK.publicKey(),
                        "r",
                        UserPermissionLimits.UNLIMITED.withSourceNetworks(List.of("10.0.0.1")),
                        null))
                .build(),
            "signingKeys[0].template.sourceNetworks[0]",
            "\"10.0.0.1\" is not a CIDR; write e.g. 10.0.0.0/8 or 192.168.1.5/32"),
        bad(
            "queue on pub permission",
            acct()
                .defaultPermissions(
                    new Permissions(new Permission(List.of("a q"), null), null, null))
                .build(),
            "defaultPermissions.pub.allow[0]",
            "\"a q\" must not contain a queue (only subscribe permissions may)"),
        bad(
            "too many spaces in permission",
            acct()
                .defaultPermissions(
                    new Permissions(null, new Permission(null, List.of("a q r")), null))
                .build(),
            "defaultPermissions.sub.deny[0]",
            "\"a q r\" has too many spaces; use \"subject\" or \"subject queue\""),
        bad(
            "mapping weights over 100",
            acct()
                .addMapping("m", List.of(new Mapping("m1", 60, null), new Mapping("m2", 50, null)))
                .build(),
            "mappings[m]",
            "weights add up to 110%, must be at most 100%"),
        bad(
            "mapping default weight counts as 100",
            acct().addMapping("m", List.of(Mapping.to("m1"), new Mapping("m2", 1, null))).build(),
            "mappings[m]",
            "weights add up to 101%, must be at most 100%"),
        bad(
            "mapping wildcard destination",
            acct().addMapping("m.*", List.of(Mapping.to("n.*"))).build(),
            "mappings[m.*][0].subject",
            "destination \"n.*\" must not contain wildcards (nats-server 2.9 rejects them)"),
        bad(
            "mapping weight out of range",
            acct().addMapping("m", List.of(new Mapping("m1", 101, null))).build(),
            "mappings[m][0].weight",
            "must be between 1 and 100 (0 means 100), got 101"),
        bad(
            "description too long",
            acct().description("x".repeat(8193)).build(),
            "description",
            "is 8193 characters, at most 8192 allowed"),
        bad(
            "info url without scheme",
            acct().infoUrl("example.com").build(),
            "infoUrl",
            "\"example.com\" must be a URL with scheme and host, e.g. https://example.com/docs"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAccounts")
  void badAccountIsRejectedAndNotSigned(
      String name, AccountClaims c, String field, String message) {
    List<Violation> v = ClaimsValidator.validate(c);
    assertTrue(
        v.contains(new Violation(field, message)),
        "expected " + field + ": " + message + " in " + v);
    InvalidClaimsException e =
        assertThrows(InvalidClaimsException.class, () -> JwtEncoder.encode(c, OPERATOR, 1L));
    assertEquals(v, e.violations());
    assertTrue(e.getMessage().startsWith("invalid account claims: "));
  }

  // ------------------------------------------------------------------ user, operator, activation,
  // delete

  static Stream<Arguments> badUsers() {
    UserPermissionLimits u = UserPermissionLimits.UNLIMITED;
    return Stream.of(
        Arguments.of(
            "bare IP as src",
            u.withSourceNetworks(List.of("10.1.2.3")),
            "perms.sourceNetworks[0]",
            "\"10.1.2.3\" is not a CIDR; write e.g. 10.0.0.0/8 or 192.168.1.5/32"),
        Arguments.of(
            "bad mask",
            u.withSourceNetworks(List.of("10.0.0.0/33")),
            "perms.sourceNetworks[0]",
            "\"10.0.0.0/33\" is not a CIDR; write e.g. 10.0.0.0/8 or 192.168.1.5/32"),
        Arguments.of(
            "time without seconds",
            u.withTimes(List.of(new TimeRange("08:00", "18:00:00")), null),
            "perms.times[0].start",
            "\"08:00\" must be HH:MM:SS (24h)"),
        Arguments.of(
            "hour 24",
            u.withTimes(List.of(new TimeRange("08:00:00", "24:00:00")), null),
            "perms.times[0].end",
            "\"24:00:00\" must be HH:MM:SS (24h)"),
        Arguments.of(
            "bad zone",
            u.withTimes(List.of(new TimeRange("08:00:00", "09:00:00")), "Mars/Base"),
            "perms.locale",
            "\"Mars/Base\" is not an IANA time zone, e.g. Europe/Berlin"),
        Arguments.of(
            "unknown connection type",
            u.withAllowedConnectionTypes(List.of("STANDARD", "IN_PROCESS")),
            "perms.allowedConnectionTypes[1]",
            "\"IN_PROCESS\" is not one of STANDARD, WEBSOCKET, LEAFNODE, LEAFNODE_WS, MQTT, MQTT_WS"),
        Arguments.of(
            "queue in pub",
            UserPermissionLimits.of(
                new Permissions(new Permission(List.of("a q"), null), null, null)),
            "perms.permissions.pub.allow[0]",
            "\"a q\" must not contain a queue (only subscribe permissions may)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUsers")
  void badUserIsRejected(String name, UserPermissionLimits perms, String field, String message) {
    UserClaims c = UserClaims.of("u", USER.publicKey(), perms);
    assertEquals(List.of(new Violation(field, message)), ClaimsValidator.validate(c));
    assertThrows(InvalidClaimsException.class, () -> JwtEncoder.encode(c, ACCOUNT, 1L));
  }

  @ParameterizedTest(name = "good user {0}")
  @MethodSource("goodUserPerms")
  void goodUserPasses(String name, UserPermissionLimits perms) {
    assertEquals(List.of(), ClaimsValidator.validate(UserClaims.of("u", USER.publicKey(), perms)));
  }

  static Stream<Arguments> goodUserPerms() {
    UserPermissionLimits u = UserPermissionLimits.UNLIMITED;
    return Stream.of(
        Arguments.of("ipv4 cidr", u.withSourceNetworks(List.of("10.0.0.0/8", "192.168.1.5/32"))),
        Arguments.of("ipv6 cidr", u.withSourceNetworks(List.of("2001:db8::/32"))),
        Arguments.of(
            "times with zone",
            u.withTimes(List.of(new TimeRange("00:00:00", "23:59:59")), "Europe/Berlin")),
        Arguments.of(
            "all connection types",
            u.withAllowedConnectionTypes(List.copyOf(ClaimsValidator.CONNECTION_TYPES))),
        Arguments.of("empty", UserPermissionLimits.EMPTY));
  }

  static Stream<Arguments> userSigners() {
    AccountClaims account =
        acct()
            .addSigningKey(new SigningKey.Scoped(ACCOUNT_SK.publicKey(), "app", null, null))
            .build();
    AccountClaims plainSk = acct().addSigningKey(ACCOUNT_SK.publicKey()).build();
    UserClaims full =
        UserClaims.of("u", USER.publicKey(), UserPermissionLimits.UNLIMITED).withIssuerAccount(A);
    UserClaims empty =
        UserClaims.of("u", USER.publicKey(), UserPermissionLimits.EMPTY).withIssuerAccount(A);
    return Stream.of(
        Arguments.of(
            "scoped signer, user with limits",
            full,
            ACCOUNT_SK,
            account,
            List.of(
                new Violation(
                    "perms",
                    "users signed by scoped signing key "
                        + ACCOUNT_SK.publicKey()
                        + " must carry no permissions or limits "
                        + "(use UserPermissionLimits.EMPTY); the scope template applies"))),
        Arguments.of("scoped signer, empty user", empty, ACCOUNT_SK, account, List.of()),
        Arguments.of("plain signing key, full user", full, ACCOUNT_SK, plainSk, List.of()),
        Arguments.of(
            "signing key without issuer_account",
            UserClaims.of("u", USER.publicKey(), UserPermissionLimits.UNLIMITED)
                .withIssuerAccount(null),
            ACCOUNT_SK,
            plainSk,
            List.of(
                new Violation(
                    "issuerAccount",
                    "user is issued for account "
                        + ACCOUNT_SK.publicKey()
                        + " but the given account is "
                        + A))),
        Arguments.of(
            "identity key",
            UserClaims.of("u", USER.publicKey(), UserPermissionLimits.UNLIMITED),
            ACCOUNT,
            plainSk,
            List.of()),
        Arguments.of(
            "unknown signer",
            full,
            ACCOUNT_C,
            plainSk,
            List.of(
                new Violation(
                    "signer",
                    C + " is neither the account identity key nor one of its signing keys"))),
        Arguments.of(
            "bearer disallowed",
            UserClaims.of(
                "u", USER.publicKey(), UserPermissionLimits.UNLIMITED.withBearerToken(true)),
            ACCOUNT,
            acct()
                .limits(new AccountLimits(-1, -1, -1, -1, -1, true, true, -1, -1, null, null))
                .build(),
            List.of(
                new Violation(
                    "perms.bearerToken",
                    "the account disallows bearer tokens (limits.disallowBearer)"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("userSigners")
  void userSignerRules(
      String name, UserClaims c, KeyPair signer, AccountClaims account, List<Violation> expected) {
    assertEquals(expected, ClaimsValidator.validateUserSigner(c, signer.publicKey(), account));
    if (expected.isEmpty()) {
      assertEquals(
          USER.publicKey(), JwtDecoder.decode(JwtEncoder.encode(c, signer, account, 1L)).subject());
    } else {
      assertThrows(InvalidClaimsException.class, () -> JwtEncoder.encode(c, signer, account, 1L));
    }
  }

  static Stream<Arguments> badOperators() {
    OperatorClaims o = OperatorClaims.of("op", OPERATOR.publicKey());
    return Stream.of(
        Arguments.of(
            o.withSigningKeys(List.of(A)),
            "signingKeys[0]",
            "must be an operator public key (starts with 'O'), got an account key " + A),
        Arguments.of(
            o.withSystemAccount(USER.publicKey()),
            "systemAccount",
            "must be an account public key (starts with 'A'), got a user key " + USER.publicKey()),
        Arguments.of(
            o.withServiceUrls(List.of(), "nats-host:4222x"),
            "accountServerUrl",
            "\"nats-host:4222x\" needs a scheme and a host, e.g. nats://host:4222"),
        Arguments.of(
            o.withServiceUrls(List.of("http://h:4222"), null),
            "operatorServiceUrls[0]",
            "\"http://h:4222\" must use scheme nats or tls"),
        Arguments.of(
            o.withServiceUrls(List.of("nats://u:p@h:4222"), null),
            "operatorServiceUrls[0]",
            "\"nats://u:p@h:4222\" must not contain credentials"),
        Arguments.of(
            o.withServiceUrls(List.of("nats://h:4222/x"), null),
            "operatorServiceUrls[0]",
            "\"nats://h:4222/x\" must not contain a path"),
        Arguments.of(
            o.withAssertServerVersion("2.9"),
            "assertServerVersion",
            "\"2.9\" must have the form <major>.<minor>.<patch>, e.g. 2.9.0"));
  }

  @ParameterizedTest
  @MethodSource("badOperators")
  void badOperatorIsRejected(OperatorClaims c, String field, String message) {
    assertEquals(List.of(new Violation(field, message)), ClaimsValidator.validate(c));
    assertThrows(InvalidClaimsException.class, () -> JwtEncoder.encode(c, OPERATOR, 1L));
  }

  @org.junit.jupiter.api.Test
  void operatorMustBeSelfSigned() {
    InvalidClaimsException e =
        assertThrows(
            InvalidClaimsException.class,
            () ->
                JwtEncoder.encode(
                    OperatorClaims.of("op", OPERATOR.publicKey()), TestKeys.OPERATOR_SK, 1L));
    assertEquals("subject", e.violations().get(0).field());
  }

  static Stream<Arguments> badActivations() {
    return Stream.of(
        Arguments.of(
            new ActivationClaims("g", USER.publicKey(), "s", ExportType.SERVICE, null, null),
            "subject",
            "must be an account public key (starts with 'A'), got a user key " + USER.publicKey()),
        Arguments.of(
            new ActivationClaims("g", A, "s", null, null, null),
            "kind",
            "is required (service or stream)"),
        Arguments.of(
            new ActivationClaims("g", A, "a b", ExportType.STREAM, null, null),
            "importSubject",
            "\"a b\" is not a valid subject (no spaces, no empty tokens, > only last)"),
        Arguments.of(
            new ActivationClaims("g", A, "s", ExportType.STREAM, OPERATOR.publicKey(), null),
            "issuerAccount",
            "must be an account public key (starts with 'A'), got an operator key "
                + OPERATOR.publicKey()));
  }

  @ParameterizedTest
  @MethodSource("badActivations")
  void badActivationIsRejected(ActivationClaims c, String field, String message) {
    assertEquals(List.of(new Violation(field, message)), ClaimsValidator.validate(c));
    assertThrows(InvalidClaimsException.class, () -> JwtEncoder.encode(c, ACCOUNT_B, 1L));
  }

  static Stream<Arguments> badDeletes() {
    return Stream.of(
        Arguments.of(
            new DeleteRequest(OPERATOR.publicKey(), List.of()),
            "accounts",
            "name at least one account to delete"),
        Arguments.of(
            new DeleteRequest(OPERATOR.publicKey(), List.of(A, A)),
            "accounts[1]",
            "duplicate account " + A),
        Arguments.of(
            new DeleteRequest(OPERATOR.publicKey(), List.of(USER.publicKey())),
            "accounts[0]",
            "must be an account public key (starts with 'A'), got a user key " + USER.publicKey()));
  }

  @ParameterizedTest
  @MethodSource("badDeletes")
  void badDeleteIsRejected(DeleteRequest r, String field, String message) {
    assertEquals(List.of(new Violation(field, message)), ClaimsValidator.validate(r));
    assertThrows(InvalidClaimsException.class, () -> JwtEncoder.encode(r, OPERATOR, 1L));
  }

  @org.junit.jupiter.api.Test
  void deleteMustBeSignedByNamedOperator() {
    InvalidClaimsException e =
        assertThrows(
            InvalidClaimsException.class,
            () ->
                JwtEncoder.encode(
                    new DeleteRequest(OPERATOR.publicKey(), List.of(A)), TestKeys.OPERATOR_SK, 1L));
    assertEquals("operator", e.violations().get(0).field());
  }

  /**
   * Keys are decoded once per validate call and remembered: a repeated bad key must still be
   * reported at every place it appears, and a key valid in one role must not pass where another
   * role is required.
   */
  @org.junit.jupiter.api.Test
  void repeatedKeysAreReportedAtEveryPlace() {
    String user = USER.publicKey();
    String broken = B.substring(0, 55) + (B.charAt(55) == 'A' ? 'B' : 'A');
    AccountClaims c =
        acct()
            .addImport(Import.service("i0", "a.0", B).withLocalSubject("x.0"))
            .addImport(Import.service("i1", "a.1", user).withLocalSubject("x.1"))
            .addImport(Import.service("i2", "a.2", broken).withLocalSubject("x.2"))
            .addImport(Import.service("i3", "a.3", user).withLocalSubject("x.3"))
            .addImport(Import.service("i4", "a.4", broken).withLocalSubject("x.4"))
            .addImport(Import.service("i5", "a.5", B).withLocalSubject("x.5"))
            .addSigningKey(SigningKey.plain(user))
            .build();
    List<Violation> v = ClaimsValidator.validate(c);
    String userMsg = "must be an account public key (starts with 'A'), got a user key " + user;
    String brokenMsg =
        "is not an account public key: public nkey has a bad checksum (mistyped or truncated?)";
    assertEquals(
        List.of(
            new Violation("imports[1].account", userMsg),
            new Violation("imports[2].account", brokenMsg),
            new Violation("imports[3].account", userMsg),
            new Violation("imports[4].account", brokenMsg),
            new Violation("signingKeys[0].key", userMsg)),
        v);
  }
}
