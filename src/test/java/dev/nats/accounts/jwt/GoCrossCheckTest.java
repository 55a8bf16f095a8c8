package dev.nats.accounts.jwt;

import static dev.nats.accounts.jwt.TestKeys.ACCOUNT;
import static dev.nats.accounts.jwt.TestKeys.ACCOUNT_B;
import static dev.nats.accounts.jwt.TestKeys.ACCOUNT_C;
import static dev.nats.accounts.jwt.TestKeys.ACCOUNT_SK;
import static dev.nats.accounts.jwt.TestKeys.OPERATOR;
import static dev.nats.accounts.jwt.TestKeys.OPERATOR_SK;
import static dev.nats.accounts.jwt.TestKeys.SYS;
import static dev.nats.accounts.jwt.TestKeys.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.testing.Cli;
import dev.nats.accounts.testing.TestBed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Decodes our JWTs with the official Go library and runs its {@code Validate}; any blocking issue,
 * including a failed decode, fails the test. The library is github.com/nats-io/jwt/v2 at the
 * version pinned as {@code NATS_JWT_VERSION} in tools/versions.env (v2.8.3; nats-server 2.15.2
 * requires v2.8.2, nsc 2.12.0 v2.8.0), compiled into the {@code jwtcheck} program of
 * tools/go/jwtcheck by scripts/lib/ensure-tools.sh. Until the test bed existed this ran Debian's
 * v2.3.0 sources with {@code go run} and skipped without them; v2.8.3 gives the same summaries for
 * these tokens, and no warning.
 *
 * <p>Never skipped: a missing {@code jwtcheck} fails the test ({@link TestBed#tool}); build it with
 * {@code bash -c '. scripts/lib/ensure-tools.sh && ensure_tools cli'}.
 */
class GoCrossCheckTest {
  @Test
  void officialGoLibraryDecodesAndValidatesOurJwts() throws Exception {
    Path jwtcheck = TestBed.tool("jwtcheck");

    long iat = IssuedAt.next(0);
    String act =
        JwtEncoder.encode(
            new ActivationClaims(
                "grant",
                ACCOUNT.publicKey(),
                "priv.>",
                ExportType.SERVICE,
                ACCOUNT_B.publicKey(),
                iat + 3600),
            ACCOUNT_C,
            iat);
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put(
        "operator",
        JwtEncoder.encode(
            OperatorClaims.of("op", OPERATOR.publicKey())
                .withSigningKeys(List.of(OPERATOR_SK.publicKey()))
                .withSystemAccount(SYS.publicKey())
                .withServiceUrls(
                    List.of("nats://localhost:4222", "tls://h:4443"), "nats://localhost:4222")
                .withStrictSigningKeyUsage(true)
                .withAssertServerVersion("2.9.0"),
            OPERATOR,
            iat));
    AccountClaims account =
        AccountClaims.builder("A", ACCOUNT.publicKey())
            .addExport(
                Export.service("help", "help")
                    .withResponseType(ResponseType.STREAM)
                    .withLatency(new ServiceLatency("50", "lat.help"))
                    .withResponseThreshold(Duration.ofSeconds(5)))
            .addExport(
                Export.service("pos", "pos.*.req")
                    .withAccountTokenPosition(2)
                    .withTokenReq(true)
                    .withRevocations(Map.of(ACCOUNT_C.publicKey(), iat - 10)))
            .addExport(
                Export.stream("ev", "ev.>")
                    .withAdvertise(true)
                    .withInfo("events", "https://example.com/ev"))
            .addImport(
                Import.service("priv", "priv.help", ACCOUNT_B.publicKey())
                    .withToken(act)
                    .withLocalSubject("b.help"))
            .addImport(
                Import.service("w", "w.*.x", ACCOUNT_C.publicKey())
                    .withLocalSubject("c.$1.x")
                    .withShare(true))
            .addImport(
                Import.stream("feed", "feed.>", ACCOUNT_C.publicKey())
                    .withLocalSubject("in.feed.>"))
            .addSigningKey(ACCOUNT_SK.publicKey())
            .addSigningKey(
                new SigningKey.Scoped(
                    TestKeys.fixed(KeyType.ACCOUNT, 9).publicKey(),
                    "app",
                    UserPermissionLimits.of(
                        new Permissions(new Permission(List.of("{{name()}}.>"), null), null, null)),
                    "app users"))
            .revoke(USER.publicKey(), iat - 100)
            .defaultPermissions(
                new Permissions(
                    new Permission(List.of("a.>"), null),
                    new Permission(List.of("q.* grp"), null),
                    new ResponsePermission(1, Duration.ofSeconds(1))))
            .addMapping(
                "m.a", List.of(new Mapping("m.b", 60, null), new Mapping("m.c", 40, "east")))
            .limits(AccountLimits.UNLIMITED.withTiered(Map.of("R1", JetStreamLimits.UNLIMITED)))
            .description("d")
            .infoUrl("https://example.com/a")
            .addTag("env:prod")
            .expires(iat + 3600)
            .build();
    tokens.put("account", JwtEncoder.encode(account, OPERATOR_SK, iat));
    tokens.put(
        "account-js",
        JwtEncoder.encode(
            AccountClaims.builder("SYS", SYS.publicKey())
                .limits(AccountLimits.UNLIMITED.withJetStream(JetStreamLimits.UNLIMITED))
                .build(),
            OPERATOR,
            iat));
    tokens.put(
        "user",
        JwtEncoder.encode(
            UserClaims.of(
                    "u",
                    USER.publicKey(),
                    UserPermissionLimits.of(
                            new Permissions(
                                new Permission(List.of("a.>"), List.of("a.secret")),
                                new Permission(List.of("_INBOX.>", "w.* q"), null),
                                new ResponsePermission(1, Duration.ZERO)))
                        .withSourceNetworks(List.of("10.0.0.0/8", "2001:db8::/32"))
                        .withTimes(List.of(new TimeRange("08:00:00", "18:00:00")), "Europe/Berlin")
                        .withAllowedConnectionTypes(List.of("STANDARD", "WEBSOCKET")))
                .withIssuerAccount(ACCOUNT.publicKey())
                .withExpires(iat + 3600),
            ACCOUNT_SK,
            account,
            iat));
    tokens.put(
        "user-scoped",
        JwtEncoder.encode(
            UserClaims.of("s", USER.publicKey(), UserPermissionLimits.EMPTY)
                .withIssuerAccount(ACCOUNT.publicKey()),
            TestKeys.fixed(KeyType.ACCOUNT, 9),
            account,
            iat));
    tokens.put("activation", act);
    tokens.put(
        "generic",
        JwtEncoder.encode(
            new DeleteRequest(OPERATOR.publicKey(), List.of(ACCOUNT_B.publicKey())),
            OPERATOR,
            iat));

    StringBuilder input = new StringBuilder();
    for (Map.Entry<String, String> e : tokens.entrySet()) {
      input.append(e.getKey().replaceAll("-.*", "")).append(' ').append(e.getValue()).append('\n');
    }
    List<String> out = runJwtCheck(jwtcheck, input.toString());

    List<String> ok = new ArrayList<>();
    for (String line : out) {
      assertTrue(
          line.startsWith("OK ") || line.startsWith("WARN "),
          "Go library reported: " + line + "\nall: " + out);
      if (line.startsWith("OK ")) {
        ok.add(line);
      }
    }
    assertEquals(tokens.size(), ok.size(), "one OK per token: " + out);
    assertEquals(
        "OK operator sub=" + OPERATOR.publicKey() + " sk=1 sys=" + SYS.publicKey() + " strict=true",
        ok.get(0));
    assertEquals(
        "OK account sub="
            + ACCOUNT.publicKey()
            + " imports=3 exports=3 conn=-1 subs=-1 wildcards=true sk=2",
        ok.get(1));
    assertEquals(
        "OK account sub="
            + SYS.publicKey()
            + " imports=0 exports=0 conn=-1 subs=-1 wildcards=true sk=0",
        ok.get(2));
    assertEquals(
        "OK user sub="
            + USER.publicKey()
            + " iss_acct="
            + ACCOUNT.publicKey()
            + " subs=-1 empty=false",
        ok.get(3));
    assertEquals(
        "OK user sub="
            + USER.publicKey()
            + " iss_acct="
            + ACCOUNT.publicKey()
            + " subs=0 empty=true",
        ok.get(4));
    assertEquals(
        "OK activation sub=" + ACCOUNT.publicKey() + " subject=priv.> kind=service", ok.get(5));
    assertEquals(
        "OK generic sub="
            + OPERATOR.publicKey()
            + " iss="
            + OPERATOR.publicKey()
            + " accounts=["
            + ACCOUNT_B.publicKey()
            + "]",
        ok.get(6));
  }

  private static List<String> runJwtCheck(Path jwtcheck, String input) {
    Cli.Result r =
        Cli.command(jwtcheck).stdin(input).timeout(Duration.ofMinutes(1)).run().assertOk();
    return r.output().lines().filter(l -> !l.isBlank()).toList();
  }
}
