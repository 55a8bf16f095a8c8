package dev.nats.accounts.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nats.accounts.inspect.InspectCommand;
import dev.nats.accounts.logging.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our {@code describe jwt} reads what nsc signs, and says what {@code nsc describe jwt} says about
 * the same token, row by row: the nsc Services tutorial (operator with a signing key, account A
 * exporting help publicly and private.help.* privately, account B importing both with an activation
 * token, user u, its creds file), all signed by the real nsc. Both outputs are read with the same
 * table reader, so a label or value that differs fails.
 */
class DescribeJwtAgainstNscTest {
  @TempDir Path dir;
  Nsc nsc;
  Path store;
  String bKey;

  @BeforeEach
  void tutorial() {
    nsc = new Nsc(dir.resolve("nsc"));
    nsc.run("add", "operator", "-n", "O", "--sys", "--generate-signing-key");
    String operatorSk =
        nsc.describeJson("describe", "operator").path("nats").path("signing_keys").path(0).asText();
    nsc.run("add", "account", "-n", "A", "-K", operatorSk);
    nsc.run("edit", "account", "A", "--sk", "generate", "-K", operatorSk);
    nsc.run("add", "export", "-a", "A", "--name", "help", "--subject", "help", "--service");
    nsc.run(
        "add",
        "export",
        "-a",
        "A",
        "--name",
        "private.help.*",
        "--subject",
        "private.help.*",
        "--service",
        "--private");
    nsc.run("add", "account", "-n", "B", "-K", operatorSk);
    String aKey = nsc.describeJson("describe", "account", "A").path("sub").asText();
    bKey = nsc.describeJson("describe", "account", "B").path("sub").asText();
    Path token = dir.resolve("activation.jwt");
    nsc.run(
        "generate",
        "activation",
        "-a",
        "A",
        "--target-account",
        bKey,
        "--subject",
        "private.help." + bKey,
        "-o",
        token);
    nsc.run(
        "add", "import", "-a", "B", "--src-account", aKey, "--remote-subject", "help", "--service");
    nsc.run("add", "import", "-a", "B", "--token", token, "--local-subject", "private.help");
    nsc.run("add", "user", "-a", "A", "-n", "u");
    nsc.run("generate", "creds", "-a", "A", "-n", "u", "-o", dir.resolve("u.creds"));
    store = dir.resolve("nsc").resolve("store").resolve("O");
  }

  record Ours(int code, String out, String err) {}

  static Ours describe(Path file, String... more) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new java.util.ArrayList<>(List.of("jwt", "-f", file.toString()));
    args.addAll(List.of(more));
    int code =
        InspectCommand.run(
            "describe",
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            k -> {
              throw new AssertionError("describe jwt needs no cluster");
            },
            Clock.systemUTC());
    return new Ours(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Nsc.Tables nscTables(Path file) {
    return Nsc.Tables.parse(nsc.run("describe", "jwt", "--long-ids", "-f", file).stdout());
  }

  private static void sameValues(Nsc.Tables theirs, Nsc.Tables ours, String... labels) {
    for (String l : labels) {
      assertEquals(theirs.values(l), ours.values(l), l);
    }
  }

  @Test
  void operatorAccountsUserCredsAndActivationReadAsNscReadsThem() throws Exception {
    Path operator = store.resolve("O.jwt");
    Path a = store.resolve("accounts").resolve("A").resolve("A.jwt");
    Path b = store.resolve("accounts").resolve("B").resolve("B.jwt");
    Path user = store.resolve("accounts").resolve("A").resolve("users").resolve("u.jwt");
    Path creds = dir.resolve("u.creds");
    Path activation = dir.resolve("activation.jwt");

    for (Path f : List.of(operator, a, b, user, creds, activation)) {
      Ours ours = describe(f);
      assertEquals(0, ours.code(), f + ": " + ours.err() + ours.out());
      assertTrue(ours.out().contains("| Signature "), ours.out());
      assertFalse(Seeds.PATTERN.matcher(ours.out()).find(), "no seed from " + f);
    }

    Nsc.Tables o = Nsc.Tables.parse(describe(operator).out());
    Nsc.Tables no = nscTables(operator);
    assertEquals("Operator Details", o.rows().get(0).get(0));
    sameValues(
        no,
        o,
        "Name",
        "Operator ID",
        "Issuer ID",
        "Issued",
        "Expires",
        "Require Signing Keys",
        "Signing Keys");
    assertTrue(
        no.value("System Account").startsWith(o.value("System Account")), "nsc adds the name");
    assertEquals("self-signed: identity key of operator O", o.value("Issuer Chain"));

    for (Path account : List.of(a, b)) {
      Nsc.Tables ours = Nsc.Tables.parse(describe(account).out());
      Nsc.Tables theirs = nscTables(account);
      sameValues(
          theirs,
          ours,
          "Name",
          "Account ID",
          "Issuer ID",
          "Issued",
          "Expires",
          "Max Connections",
          "Max Leaf Node Connections",
          "Max Data",
          "Max Exports",
          "Max Imports",
          "Max Msg Payload",
          "Max Subscriptions",
          "Exports Allows Wildcards",
          "Disallow Bearer Token",
          "Jetstream");
      assertEquals(
          theirs.values("Signing Keys").stream().sorted().toList(),
          ours.values("Signing Keys").stream().sorted().toList());
      for (String table : List.of("Exports", "Imports")) {
        List<Map<String, String>> t = theirs.table(table);
        List<Map<String, String>> u = ours.table(table);
        assertEquals(t.size(), u.size(), table + ": " + t + " vs " + u);
        for (int i = 0; i < t.size(); i++) {
          for (String col :
              List.of("Name", "Type", "Subject", "Remote", "Local", "Public", "Revocations")) {
            if (t.get(i).containsKey(col)) {
              assertEquals(t.get(i).get(col), u.get(i).get(col), table + " " + col + " row " + i);
            }
          }
        }
      }
    }
    List<Map<String, String>> bImports = Nsc.Tables.parse(describe(b).out()).table("Imports");
    Map<String, String> privateImport =
        bImports.stream().filter(r -> r.get("Public").equals("No")).findFirst().orElseThrow();
    assertTrue(
        privateImport.get("Token").startsWith("valid"),
        "the token nsc generated: " + privateImport);

    for (Path f : List.of(user, creds)) {
      Nsc.Tables ours = Nsc.Tables.parse(describe(f).out());
      sameValues(
          nscTables(f),
          ours,
          "Name",
          "User ID",
          "Issuer ID",
          "Issued",
          "Expires",
          "Bearer Token",
          "Max Msg Payload",
          "Max Data",
          "Max Subs",
          "Network Src");
    }

    Nsc.Tables act = Nsc.Tables.parse(describe(activation).out());
    sameValues(
        nscTables(activation),
        act,
        "Name",
        "Account ID",
        "Issuer ID",
        "Issued",
        "Expires",
        "Import Type",
        "Import Subject",
        "Hash ID");
    assertEquals(bKey, act.value("Account ID"));

    JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(describe(a, "-o", "json").out());
    assertEquals(
        nsc.describeJson("describe", "account", "A").path("sub").asText(),
        json.path("accountDetails").path("accountId").asText());
  }

  @Test
  void aBrokenSignatureExitsOneAndGarbageTwoOrOne() throws Exception {
    Path a = store.resolve("accounts").resolve("A").resolve("A.jwt");
    String token = Files.readString(a).strip();
    Path broken = dir.resolve("broken.jwt");
    Files.writeString(broken, token.substring(0, token.length() - 4) + "AAAA");
    Ours r = describe(broken);
    assertEquals(InspectCommand.NOT_VERIFIED, r.code(), r.out());
    assertTrue(r.out().contains("Not verified:"), r.out());
    assertEquals(InspectCommand.USAGE, describe(a, "-o", "xml").code());
  }

  /** The chain nsc signed, checked file by file with --issuer: each signer is its issuer's key. */
  @Test
  void issuerFilesCheckTheChainNscSigned() {
    Path operator = store.resolve("O.jwt");
    Path a = store.resolve("accounts").resolve("A").resolve("A.jwt");
    Path b = store.resolve("accounts").resolve("B").resolve("B.jwt");
    Path user = store.resolve("accounts").resolve("A").resolve("users").resolve("u.jwt");
    Path activation = dir.resolve("activation.jwt");

    Ours account = describe(a, "--issuer", operator.toString());
    assertEquals(0, account.code(), account.out() + account.err());
    assertTrue(
        Nsc.Tables.parse(account.out())
            .value("Issuer Chain")
            .endsWith(" key of operator O (" + operator + ")"),
        account.out());
    Ours u = describe(dir.resolve("u.creds"), "--issuer", a.toString());
    assertEquals(0, u.code(), u.out() + u.err());
    assertTrue(
        Nsc.Tables.parse(u.out()).value("Issuer Chain").contains("key of account A ("), u.out());
    Ours act = describe(activation, "--issuer", a.toString());
    assertEquals(0, act.code(), act.out() + act.err());

    // The wrong issuer: account B did not sign A's user, and A did not sign the operator's keys.
    Ours wrong = describe(user, "--issuer", b.toString());
    assertEquals(InspectCommand.NOT_VERIFIED, wrong.code(), wrong.out());
    assertTrue(
        wrong.out().contains("which is neither the identity nor a signing key of account B ("),
        wrong.out());
    Ours notJwt = describe(a, "--issuer", dir.resolve("nope.jwt").toString());
    assertEquals(InspectCommand.NOT_VERIFIED, notJwt.code());
    assertTrue(notJwt.err().contains("nope.jwt"), notJwt.err());
  }
}
