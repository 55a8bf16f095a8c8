package dev.nats.accounts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.app.ExitCode;
import dev.nats.accounts.app.Setting;
import dev.nats.accounts.app.StartupChecks;
import dev.nats.accounts.app.Version;
import dev.nats.accounts.demo.DemoOptions;
import dev.nats.accounts.testing.Crds;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The jar's command line as a user meets it: help, version, crds, and mistakes. */
class CliTest {
  record Result(int code, String out, String err) {}

  static Result main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.execute(
            List.of(args),
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryCommandEverySettingEveryDemoOptionAndEveryExitCode() {
    for (String flag : List.of("--help", "-h", "help")) {
      Result r = main(flag);
      assertEquals(0, r.code());
      assertEquals("", r.err());
      for (Help.Command c : Help.COMMANDS) {
        assertTrue(r.out().contains("\n  " + c.name() + " "), c.name() + " in\n" + r.out());
      }
      assertSettings(r.out());
      for (DemoOptions.Option o : DemoOptions.OPTIONS) {
        assertTrue(r.out().contains(o.flag()) && r.out().contains(o.meaning()), o.flag());
      }
      for (ExitCode c : ExitCode.values()) {
        assertTrue(r.out().contains("  " + c.code() + "  " + c.meaning()), c.name());
      }
    }
  }

  @Test
  void eachCommandHasItsOwnHelp() {
    for (String[] args : List.of(new String[] {"run", "--help"}, new String[] {"help", "run"})) {
      Result run = main(args);
      assertEquals(0, run.code());
      assertTrue(
          run.out().startsWith("Usage: java -jar nats-account-operator.jar run [OPTIONS]"),
          run.out());
      assertSettings(run.out());
    }
    Result demo = main("demo", "--help");
    assertEquals(0, demo.code());
    DemoOptions.OPTIONS.forEach(o -> assertTrue(demo.out().contains(o.flag()), o.flag()));
    assertTrue(main("crds", "--help").out().contains(StartupChecks.INSTALL_CRDS));
    assertTrue(main("version", "--help").out().contains("git commit"));
  }

  private static void assertSettings(String help) {
    for (Setting s : Setting.ALL) {
      String line =
          help.lines()
              .filter(l -> l.trim().startsWith(s.flag() + " "))
              .findFirst()
              .orElseThrow(() -> new AssertionError(s.flag() + " missing in\n" + help));
      assertTrue(line.contains(s.env()) && line.contains("default: " + s.defaultValue()), line);
      assertTrue(help.contains(s.meaning()), s.meaning());
    }
  }

  @Test
  void versionPrintsTheVersionAndTheCommitGitReports() throws Exception {
    Result r = main("--version");
    assertEquals(0, r.code());
    assertEquals(r.out(), main("version").out());
    Version v = Version.current();
    assertTrue(r.out().startsWith("nats-account-operator " + v.version() + " (commit "), r.out());
    String pom = Files.readString(Crds.projectRoot().resolve("pom.xml"));
    assertTrue(
        pom.contains("<version>" + v.version() + "</version>"),
        "the version is the pom's: " + v.version());
    Process git =
        new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD")
            .directory(Crds.projectRoot().toFile())
            .redirectErrorStream(true)
            .start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(git.waitFor(30, TimeUnit.SECONDS));
    boolean inGit = Files.exists(Crds.projectRoot().resolve(".git"));
    // Built in a clone or worktree: the commit is HEAD's (the build ran just now on this tree);
    // outside git: unknown.
    assertEquals(inGit ? head : "unknown", v.commit(), "git rev-parse said: " + head);
  }

  @Test
  void crdsPrintsTheCommittedCrds() throws Exception {
    Result r = main("crds");
    assertEquals(0, r.code());
    for (var file : Crds.files()) {
      assertTrue(r.out().contains(Files.readString(file)), file + " printed verbatim");
    }
    assertEquals(Crds.files().size(), r.out().lines().filter(l -> l.equals("---")).count());
  }

  @Test
  void mistakesAreOneLineAndAUsageExitCode() {
    Result unknown = main("runn");
    assertEquals(ExitCode.USAGE.code(), unknown.code());
    assertEquals(
        "nats-account-operator: unknown command 'runn'; the commands are run, demo, crds, describe, list,"
            + " verify, version, help (see --help)\n",
        unknown.err());
    Result flag = main("--resync-interval=10x");
    assertEquals(ExitCode.INVALID_SETTING.code(), flag.code(), "a run option alone means run");
    assertEquals(
        "nats-account-operator: --resync-interval \"10x\" is not a positive duration; use e.g. 10m, 90s,"
            + " 1h30m or PT10M\n",
        flag.err());
    assertEquals("", flag.out());
  }
}
