package dev.nats.accounts.cli;

import dev.nats.accounts.app.ExitCode;
import dev.nats.accounts.app.Setting;
import dev.nats.accounts.app.StartupChecks;
import dev.nats.accounts.app.Version;
import dev.nats.accounts.demo.DemoOptions;
import java.util.List;

/**
 * The help texts, built from {@link Setting#ALL}, {@link ExitCode} and the demo's options so they
 * cannot drift.
 */
final class Help {
  static final String JAR = "java -jar nats-account-operator.jar";

  record Command(String name, String summary) {}

  static final List<Command> COMMANDS =
      List.of(
          new Command("run", "run the operator (the default command; what the Deployment starts)"),
          new Command(
              "demo", "the local demo: the nsc Services tutorial end to end, no cluster needed"),
          new Command(
              "crds",
              "print this build's CRDs as YAML, for: ... crds | kubectl apply --server-side -f -"),
          new Command(
              "describe",
              "a JWT or creds file (describe jwt), or a resource and the JWT signed for it"),
          new Command("list", "list keys: public keys and the Secret holding each seed"),
          new Command("verify", "check every JWT in the cluster against its issuer's JWT"),
          new Command("version", "print the version and the git commit (also --version)"),
          new Command("help", "this text; 'help COMMAND' or 'COMMAND --help' for one command"));

  private Help() {}

  static String main() {
    StringBuilder b = new StringBuilder();
    b.append(Version.current().line())
        .append('\n')
        .append(
            "Manages NATS decentralized auth (operators, accounts, users, exports, imports) as Kubernetes"
                + " resources.\n\n")
        .append("Usage: ")
        .append(JAR)
        .append(" [COMMAND] [OPTIONS]\n\n")
        .append("Commands:\n");
    for (Command c : COMMANDS) {
      b.append(String.format("  %-9s %s%n", c.name(), c.summary()));
    }
    b.append('\n');
    settings(b);
    b.append('\n');
    demoOptions(b);
    b.append('\n');
    exitCodes(b);
    b.append("\nDocumentation: docs/operations.md\n");
    return b.toString();
  }

  static String run() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: ")
        .append(JAR)
        .append(" run [OPTIONS]\n\n")
        .append(
            "Runs the operator. Before it starts it checks, and stops with one line on stderr if one fails:\n")
        .append(
            "the settings parse; the API server answers and accepts the credentials; every permission the\n")
        .append(
            "operator uses is granted (in the watched namespaces); the CRDs are installed and match this build.\n")
        .append(
            "SIGTERM or SIGINT: stop watching, let in-flight reconciles finish (SHUTDOWN_TIMEOUT), release the\n")
        .append(
            "Lease, close NATS connections, exit 0. /healthz: the process serves; /readyz: informers synced and\n")
        .append(
            "leading (or no election), or a standby while another replica holds a live Lease.\n\n");
    settings(b);
    b.append('\n');
    exitCodes(b);
    return b.toString();
  }

  static String demo() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: ")
        .append(JAR)
        .append(" demo [OPTIONS]\n\n")
        .append(
            "Runs the operator against an in-process Kubernetes API and a local nats-server, applies the nsc\n")
        .append(
            "Services tutorial as resources and checks its request/replies; exits 0 when everything is Ready.\n\n");
    demoOptions(b);
    return b.toString();
  }

  static String crds() {
    return "Usage: "
        + JAR
        + " crds\n\n"
        + "Prints the CRDs this build expects (the repository's crds/), one YAML stream. Install or upgrade them with:\n"
        + "  "
        + StartupChecks.INSTALL_CRDS
        + "\n";
  }

  static String version() {
    return "Usage: "
        + JAR
        + " version   (or --version)\n\nPrints the version and the git commit of this build.\n";
  }

  private static void settings(StringBuilder b) {
    b.append(
            "Settings of run: each as a flag or an environment variable (the flag wins). Durations: 90s, 10m,\n")
        .append("1h30m, 500ms (as in the CRDs) or ISO-8601 (PT10M).\n");
    for (Setting s : Setting.ALL) {
      b.append(
          String.format(
              "  %-31s %-26s default: %s%n",
              s.flag() + " " + placeholder(s), s.env(), s.defaultValue()));
      b.append("      ").append(s.meaning()).append('\n');
    }
  }

  private static String placeholder(Setting s) {
    return switch (s.env()) {
      case "KUBECONFIG" -> "FILE";
      case "WATCH_NAMESPACES", "OPERATOR_NAMESPACES" -> "NS[,NS...]";
      case "LEADER_ELECTION_NAMESPACE" -> "NS";
      case "METRICS_PORT" -> "PORT";
      case "LOG_FORMAT" -> "text|json";
      case "LOG_LEVEL" -> "LEVEL";
      default -> "DURATION";
    };
  }

  private static void demoOptions(StringBuilder b) {
    b.append("Options of demo:\n");
    for (DemoOptions.Option o : DemoOptions.OPTIONS) {
      b.append(String.format("  %-20s %s%n", o.flag(), o.meaning()));
    }
  }

  private static void exitCodes(StringBuilder b) {
    b.append("Exit codes:\n");
    for (ExitCode c : ExitCode.values()) {
      b.append(String.format("  %d  %s%n", c.code(), c.meaning()));
    }
  }
}
