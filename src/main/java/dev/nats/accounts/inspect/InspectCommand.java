package dev.nats.accounts.inspect;

import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code describe}, {@code list keys} and {@code verify}: the inspection commands, also run as
 * {@code kubectl nats ...}. Exit codes are for scripts: 0 everything found and verified, 1
 * something not verified or not found, 2 a usage mistake.
 */
public final class InspectCommand {
  public static final int OK = 0;
  public static final int NOT_VERIFIED = 1;
  public static final int USAGE = 2;

  public static final String USAGE_TEXT =
      """
      Usage:
        describe jwt [-f FILE | -] [--issuer FILE]      a JWT or creds file (default: stdin), decoded and verified;
                                                        --issuer: the issuer's JWT (an operator JWT for an account
                                                        JWT, an account JWT for a user or activation), so the
                                                        signer is checked to be its identity or a signing key
        describe operator|account|user|export|import NAME [-n NS]
                                                        a resource: its status and the JWT the operator signed
        list keys [-n NS | -A]                          public keys and the Secret holding each seed (never a seed)
        verify [-n NS | -A] [--resolvers [--server URL]...]
                                                        every JWT checked against its issuer's JWT; with
                                                        --resolvers, every account JWT also compared with each
                                                        resolver's copy (as the system user, via spec.servers
                                                        or --server, e.g. a port-forward)
      Options: -o table|json|yaml (default table), --kubeconfig FILE (default: KUBECONFIG, ~/.kube/config;
      the current context and its namespace)
      Exit codes: 0 all found and verified, 1 something not verified or not found, 2 usage
      """;

  private InspectCommand() {}

  /** Options shared by the commands; what is left are the positional arguments. */
  record Options(
      List<String> positional,
      Report.Format format,
      String namespace,
      boolean allNamespaces,
      String file,
      String kubeconfig,
      boolean resolvers,
      List<String> servers,
      String issuer) {
    static Options parse(List<String> args) {
      List<String> pos = new ArrayList<>();
      Report.Format format = Report.Format.TABLE;
      String ns = null;
      boolean all = false;
      String file = null;
      String kubeconfig = null;
      boolean resolvers = false;
      String issuer = null;
      List<String> servers = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "-o", "--output" -> format = Report.Format.parse(value(args, ++i, a));
          case "-n", "--namespace" -> ns = value(args, ++i, a);
          case "-A", "--all-namespaces" -> all = true;
          case "-f", "--file" -> file = value(args, ++i, a);
          case "--kubeconfig" -> kubeconfig = value(args, ++i, a);
          case "--resolvers" -> resolvers = true;
          case "--server" -> servers.add(value(args, ++i, a));
          case "--issuer" -> issuer = value(args, ++i, a);
          default -> {
            if (a.startsWith("-o=") || a.startsWith("--output=")) {
              format = Report.Format.parse(a.substring(a.indexOf('=') + 1));
            } else if (a.startsWith("--namespace=")) {
              ns = a.substring(a.indexOf('=') + 1);
            } else if (a.startsWith("--kubeconfig=")) {
              kubeconfig = a.substring(a.indexOf('=') + 1);
            } else if (a.startsWith("-") && !a.equals("-")) {
              throw new IllegalArgumentException("unknown option " + a);
            } else {
              pos.add(a);
            }
          }
        }
      }
      if (ns != null && all) {
        throw new IllegalArgumentException("-n and -A exclude each other");
      }
      if (!servers.isEmpty() && !resolvers) {
        throw new IllegalArgumentException("--server applies to verify --resolvers only");
      }
      return new Options(
          pos, format, ns, all, file, kubeconfig, resolvers, List.copyOf(servers), issuer);
    }

    private static String value(List<String> args, int i, String flag) {
      if (i >= args.size()) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args.get(i);
    }
  }

  /** With the kubeconfig's client: what the jar's main runs. */
  public static int run(
      String command, List<String> args, InputStream in, PrintStream out, PrintStream err) {
    return run(command, args, in, out, err, InspectCommand::client, Clock.systemUTC());
  }

  /**
   * @param clients the client for a {@code --kubeconfig} file (null: the default configuration)
   */
  public static int run(
      String command,
      List<String> args,
      InputStream in,
      PrintStream out,
      PrintStream err,
      Function<String, KubernetesClient> clients,
      Clock clock) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(command + ": " + e.getMessage() + "\n\n" + USAGE_TEXT);
      return USAGE;
    }
    List<String> p = o.positional();
    try {
      if (command.equals("describe") && !p.isEmpty() && p.get(0).equals("jwt")) {
        if (p.size() > 2 || p.size() == 2 && o.file() != null) {
          return usage(err, "describe jwt takes one file (-f FILE, or - for stdin)");
        }
        String file = o.file() != null ? o.file() : p.size() == 2 ? p.get(1) : "-";
        String text =
            file.equals("-")
                ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(file));
        Trust trust = o.issuer() == null ? null : issuerTrust(Path.of(o.issuer()));
        return print(JwtDescription.describe(text, clock, trust), o, out);
      }
      if (o.issuer() != null) {
        return usage(err, "--issuer applies to describe jwt only");
      }
      boolean cluster =
          command.equals("describe") && p.size() == 2 && ClusterInspection.KINDS.contains(p.get(0))
              || command.equals("list") && p.equals(List.of("keys"))
              || command.equals("verify") && p.isEmpty();
      if (!cluster) {
        return usage(err, "cannot read: " + command + " " + String.join(" ", p));
      }
      try (KubernetesClient client = clients.apply(o.kubeconfig())) {
        ClusterInspection c = new ClusterInspection(client, clock);
        String ns = o.namespace() != null ? o.namespace() : client.getNamespace();
        ClusterInspection.Scope scope =
            o.allNamespaces() ? ClusterInspection.Scope.all() : new ClusterInspection.Scope(ns);
        return switch (command) {
          case "list" -> print(c.listKeys(scope), o, out);
          case "verify" ->
              print(
                  o.resolvers()
                      ? c.verify(scope).plus(c.verifyResolvers(scope, o.servers()))
                      : c.verify(scope),
                  o,
                  out);
          default -> {
            if (o.allNamespaces()) {
              yield usage(err, "describe takes -n NS, not -A");
            }
            Report r = c.describe(p.get(0), p.get(1), ns);
            if (r == null) {
              err.println(p.get(0) + " " + ns + "/" + p.get(1) + " not found");
              yield NOT_VERIFIED;
            }
            yield print(r, o, out);
          }
        };
      }
    } catch (IOException e) {
      err.println(command + ": cannot read " + e.getMessage());
      return NOT_VERIFIED;
    }
  }

  /** The issuer named by what its own JWT says: its type and name, and the file it came from. */
  private static Trust issuerTrust(Path file) throws IOException {
    String token;
    try {
      token = JwtDescription.token(Files.readString(file));
    } catch (JwtException e) {
      throw new IOException(file + ": not a JWT (" + e.getMessage() + ")", e);
    }
    String who = "issuer in " + file;
    try {
      var p = JwtDecoder.decodeIgnoringTime(token).payload();
      who =
          p.path("nats").path("type").asText("issuer")
              + " "
              + p.path("name").asText("")
              + " ("
              + file
              + ")";
    } catch (JwtException e) {
      // Trust.of says it does not verify.
    }
    return Trust.of(who, token);
  }

  private static int print(Report r, Options o, PrintStream out) {
    out.print(r.render(o.format()));
    return r.ok() ? OK : NOT_VERIFIED;
  }

  private static int usage(PrintStream err, String message) {
    err.println(message + "\n\n" + USAGE_TEXT);
    return USAGE;
  }

  static KubernetesClient client(String kubeconfig) {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(null, new File(kubeconfig)))
        .build();
  }
}
