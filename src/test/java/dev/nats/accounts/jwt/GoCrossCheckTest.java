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

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decodes our JWTs with the official Go library (nats-io/jwt v2.3.0, what nats-server 2.9 is built
 * with) and runs its {@code Validate}; any blocking issue, including a failed decode, fails the test.
 *
 * <p>Skipped (via Assumptions) when {@code go} is not on PATH or the Debian package
 * golang-github-nats-io-jwt-dev is not installed under /usr/share/gocode: CI only has what
 * scripts/test installs, so this check is a developer-machine extra, not a CI gate. The program lives
 * in src/test/resources/gocheck/main.go and is run with GO111MODULE=off against the system GOPATH.
 */
class GoCrossCheckTest {
    private static final Path GOPATH = Path.of("/usr/share/gocode");

    @TempDir
    Path tmp;

    @Test
    void officialGoLibraryDecodesAndValidatesOurJwts() throws Exception {
        Path go = findOnPath("go");
        Assumptions.assumeTrue(go != null, "go is not on PATH");
        Assumptions.assumeTrue(Files.isDirectory(GOPATH.resolve("src/github.com/nats-io/jwt/v2")),
                "nats-io/jwt v2 sources not installed under " + GOPATH);
        Path main = tmp.resolve("main.go");
        try (InputStream in = getClass().getResourceAsStream("/gocheck/main.go")) {
            Files.copy(in, main);
        }

        long iat = IssuedAt.next(0);
        String act = JwtEncoder.encode(new ActivationClaims("grant", ACCOUNT.publicKey(), "priv.>", ExportType.SERVICE,
                ACCOUNT_B.publicKey(), iat + 3600), ACCOUNT_C, iat);
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("operator", JwtEncoder.encode(OperatorClaims.of("op", OPERATOR.publicKey())
                .withSigningKeys(List.of(OPERATOR_SK.publicKey())).withSystemAccount(SYS.publicKey())
                .withServiceUrls(List.of("nats://localhost:4222", "tls://h:4443"), "nats://localhost:4222")
                .withStrictSigningKeyUsage(true).withAssertServerVersion("2.9.0"), OPERATOR, iat));
        AccountClaims account = AccountClaims.builder("A", ACCOUNT.publicKey())
                .addExport(Export.service("help", "help").withResponseType(ResponseType.STREAM)
                        .withLatency(new ServiceLatency("50", "lat.help")).withResponseThreshold(Duration.ofSeconds(5)))
                .addExport(Export.service("pos", "pos.*.req").withAccountTokenPosition(2).withTokenReq(true)
                        .withRevocations(Map.of(ACCOUNT_C.publicKey(), iat - 10)))
                .addExport(Export.stream("ev", "ev.>").withAdvertise(true).withInfo("events", "https://example.com/ev"))
                .addImport(Import.service("priv", "priv.help", ACCOUNT_B.publicKey()).withToken(act).withLocalSubject("b.help"))
                .addImport(Import.service("w", "w.*.x", ACCOUNT_C.publicKey()).withLocalSubject("c.$1.x").withShare(true))
                .addImport(Import.stream("feed", "feed.>", ACCOUNT_C.publicKey()).withLocalSubject("in.feed.>"))
                .addSigningKey(ACCOUNT_SK.publicKey())
                .addSigningKey(new SigningKey.Scoped(TestKeys.fixed(KeyType.ACCOUNT, 9).publicKey(), "app",
                        UserPermissionLimits.of(new Permissions(new Permission(List.of("{{name()}}.>"), null), null, null)), "app users"))
                .revoke(USER.publicKey(), iat - 100)
                .defaultPermissions(new Permissions(new Permission(List.of("a.>"), null), new Permission(List.of("q.* grp"), null),
                        new ResponsePermission(1, Duration.ofSeconds(1))))
                .addMapping("m.a", List.of(new Mapping("m.b", 60, null), new Mapping("m.c", 40, "east")))
                .limits(AccountLimits.UNLIMITED.withTiered(Map.of("R1", JetStreamLimits.UNLIMITED)))
                .description("d").infoUrl("https://example.com/a").addTag("env:prod").expires(iat + 3600).build();
        tokens.put("account", JwtEncoder.encode(account, OPERATOR_SK, iat));
        tokens.put("account-js", JwtEncoder.encode(AccountClaims.builder("SYS", SYS.publicKey())
                .limits(AccountLimits.UNLIMITED.withJetStream(JetStreamLimits.UNLIMITED)).build(), OPERATOR, iat));
        tokens.put("user", JwtEncoder.encode(UserClaims.of("u", USER.publicKey(), UserPermissionLimits.of(new Permissions(
                        new Permission(List.of("a.>"), List.of("a.secret")), new Permission(List.of("_INBOX.>", "w.* q"), null),
                        new ResponsePermission(1, Duration.ZERO)))
                .withSourceNetworks(List.of("10.0.0.0/8", "2001:db8::/32"))
                .withTimes(List.of(new TimeRange("08:00:00", "18:00:00")), "Europe/Berlin")
                .withAllowedConnectionTypes(List.of("STANDARD", "WEBSOCKET")))
                .withIssuerAccount(ACCOUNT.publicKey()).withExpires(iat + 3600), ACCOUNT_SK, account, iat));
        tokens.put("user-scoped", JwtEncoder.encode(UserClaims.of("s", USER.publicKey(), UserPermissionLimits.EMPTY)
                .withIssuerAccount(ACCOUNT.publicKey()), TestKeys.fixed(KeyType.ACCOUNT, 9), account, iat));
        tokens.put("activation", act);
        tokens.put("generic", JwtEncoder.encode(new DeleteRequest(OPERATOR.publicKey(), List.of(ACCOUNT_B.publicKey())),
                OPERATOR, iat));

        StringBuilder input = new StringBuilder();
        for (Map.Entry<String, String> e : tokens.entrySet()) {
            input.append(e.getKey().replaceAll("-.*", "")).append(' ').append(e.getValue()).append('\n');
        }
        List<String> out = runGo(go, main, input.toString());

        List<String> ok = new ArrayList<>();
        for (String line : out) {
            assertTrue(line.startsWith("OK ") || line.startsWith("WARN "), "Go library reported: " + line + "\nall: " + out);
            if (line.startsWith("OK ")) {
                ok.add(line);
            }
        }
        assertEquals(tokens.size(), ok.size(), "one OK per token: " + out);
        assertEquals("OK operator sub=" + OPERATOR.publicKey() + " sk=1 sys=" + SYS.publicKey() + " strict=true", ok.get(0));
        assertEquals("OK account sub=" + ACCOUNT.publicKey() + " imports=3 exports=3 conn=-1 subs=-1 wildcards=true sk=2", ok.get(1));
        assertEquals("OK account sub=" + SYS.publicKey() + " imports=0 exports=0 conn=-1 subs=-1 wildcards=true sk=0", ok.get(2));
        assertEquals("OK user sub=" + USER.publicKey() + " iss_acct=" + ACCOUNT.publicKey() + " subs=-1 empty=false", ok.get(3));
        assertEquals("OK user sub=" + USER.publicKey() + " iss_acct=" + ACCOUNT.publicKey() + " subs=0 empty=true", ok.get(4));
        assertEquals("OK activation sub=" + ACCOUNT.publicKey() + " subject=priv.> kind=service", ok.get(5));
        assertEquals("OK generic sub=" + OPERATOR.publicKey() + " iss=" + OPERATOR.publicKey() + " accounts=["
                + ACCOUNT_B.publicKey() + "]", ok.get(6));
    }

    private List<String> runGo(Path go, Path main, String input) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(go.toString(), "run", main.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GO111MODULE", "off");
        env.put("GOPATH", GOPATH.toString());
        env.put("GOCACHE", Path.of(System.getProperty("java.io.tmpdir"), "nats-account-operator-gocache").toString());
        env.put("GOFLAGS", "");
        Process p = pb.start();
        try (OutputStream os = p.getOutputStream()) {
            os.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "go run did not finish");
        assertEquals(0, p.exitValue(), "go run failed:\n" + output);
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    private static Path findOnPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, exe);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
