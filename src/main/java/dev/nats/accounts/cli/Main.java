package dev.nats.accounts.cli;

import dev.nats.accounts.app.BundledCrds;
import dev.nats.accounts.app.ExitCode;
import dev.nats.accounts.app.KubeTarget;
import dev.nats.accounts.app.RunCommand;
import dev.nats.accounts.app.Setting;
import dev.nats.accounts.app.StartupFailure;
import dev.nats.accounts.app.Version;
import dev.nats.accounts.demo.Demo;
import dev.nats.accounts.demo.DemoLogging;
import dev.nats.accounts.demo.DemoOptions;
import dev.nats.accounts.inspect.InspectCommand;
import dev.nats.accounts.nats.NatsServerException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar nats-account-operator.jar [run|demo|crds|describe|list|verify|version|help]
 * ...}. {@code run} (the default, also when the first argument is a run option) is what the
 * Deployment starts; {@code demo} is the local, cluster-free tour.
 *
 * <p>A failure the user can fix is one line on stderr and its own exit code ({@link ExitCode});
 * everything else the process has to say goes through the logs.
 */
public final class Main {
  static final String NAME = "nats-account-operator";

  private Main() {}

  public static void main(String[] args) {
    CommonPool.configure();
    System.exit(execute(Arrays.asList(args), System.getenv(), System.out, System.err));
  }

  static int execute(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    String command =
        args.isEmpty() || args.get(0).startsWith("--") && isRunOption(args.get(0))
            ? "run"
            : args.get(0);
    List<String> rest =
        args.isEmpty() || command.equals("run") && !args.get(0).equals("run")
            ? args
            : args.subList(1, args.size());
    boolean help = rest.contains("--help") || rest.contains("-h");
    try {
      return switch (command) {
        case "run" -> {
          if (help) {
            out.print(Help.run());
            yield 0;
          }
          yield RunCommand.run(rest, env);
        }
        case "demo" -> {
          if (help) {
            out.print(Help.demo());
            yield 0;
          }
          DemoLogging.quiet();
          yield new Demo(DemoOptions.parse(rest), out).run();
        }
        case "crds" -> {
          out.print(help ? Help.crds() : BundledCrds.allYaml());
          yield 0;
        }
        case "version", "--version" -> {
          out.println(help ? Help.version() : Version.current().line());
          yield 0;
        }
        case "describe", "list", "verify" -> {
          if (help) {
            out.print(InspectCommand.USAGE_TEXT);
            yield 0;
          }
          yield InspectCommand.run(command, rest, System.in, out, err);
        }
        case "help", "--help", "-h" -> {
          out.print(rest.isEmpty() ? Help.main() : commandHelp(rest.get(0)));
          yield 0;
        }
        default ->
            throw new StartupFailure(
                ExitCode.USAGE,
                "unknown command '"
                    + command
                    + "'; the commands are "
                    + String.join(", ", Help.COMMANDS.stream().map(Help.Command::name).toList())
                    + " (see --help)");
      };
    } catch (StartupFailure e) {
      err.println(NAME + ": " + e.getMessage());
      return e.exitCode().code();
    } catch (DemoOptions.UsageException e) {
      err.println(e.getMessage());
      return ExitCode.USAGE.code();
    } catch (NatsServerException e) {
      // e.g. nats-server is not installed: the message names the install command, a stack trace
      // would bury it
      err.println(command + ": " + e.getMessage());
      return ExitCode.FAILED.code();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILED.code();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(Main.class).error("{} failed", command, e);
      err.println(NAME + ": " + command + " failed: " + KubeTarget.reason(e, "?"));
      return ExitCode.FAILED.code();
    }
  }

  private static boolean isRunOption(String arg) {
    String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
    return Setting.ALL.stream().anyMatch(s -> s.flag().equals(flag));
  }

  private static String commandHelp(String command) {
    return switch (command) {
      case "run" -> Help.run();
      case "demo" -> Help.demo();
      case "crds" -> Help.crds();
      case "version" -> Help.version();
      case "describe", "list", "verify" -> InspectCommand.USAGE_TEXT;
      default -> Help.main();
    };
  }
}
