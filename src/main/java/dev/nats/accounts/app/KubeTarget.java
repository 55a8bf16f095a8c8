package dev.nats.accounts.app;

import dev.nats.accounts.app.RunSettings.Given;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The API server the operator talks to and, in words, where that came from. fabric8 resolves the
 * configuration silently (kubeconfig, else the pod's ServiceAccount, else
 * https://kubernetes.default.svc) and then retries for minutes; a user who forgot KUBECONFIG
 * deserves to be told so at once, with the URL and its origin.
 *
 * @param source e.g. "KUBECONFIG=/home/me/.kube/config, context kind-dev" or "the pod's
 *     ServiceAccount"
 */
public record KubeTarget(Config config, String source) {
  static final Path SERVICE_ACCOUNT_TOKEN = Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH);

  public String url() {
    return config.getMasterUrl().replaceFirst("/$", "");
  }

  /**
   * @param kubeconfig from {@code --kubeconfig} or KUBECONFIG (fabric8 reads the variable itself
   *     and merges a list of files as kubectl does; the flag names one file)
   * @throws StartupFailure (API server unreachable) when there is no configuration at all
   */
  public static KubeTarget resolve(Optional<Given> kubeconfig, Map<String, String> env) {
    // fabric8's own idea of the default (HOME, else user.home), so the message names the file it
    // looked for
    String home = String.join(", ", Config.getKubeconfigFilenames());
    if (kubeconfig.isPresent() && kubeconfig.get().origin().startsWith("--")) {
      File file = new File(kubeconfig.get().value());
      if (!file.isFile()) {
        throw new StartupFailure(
            ExitCode.API_SERVER_UNREACHABLE,
            "no kubeconfig at " + file + " (--kubeconfig): the file does not exist");
      }
      Config config = withoutPointlessTokenRefresh(Config.fromKubeconfig(null, file));
      return new KubeTarget(config, "--kubeconfig " + file + context(config));
    }
    if (kubeconfig.isPresent()) {
      String value = kubeconfig.get().value();
      boolean any =
          Arrays.stream(value.split(File.pathSeparator))
              .anyMatch(f -> !f.isBlank() && new File(f).isFile());
      if (!any) {
        throw new StartupFailure(
            ExitCode.API_SERVER_UNREACHABLE,
            "no kubeconfig at KUBECONFIG="
                + value
                + ": no such file; point KUBECONFIG or --kubeconfig at one");
      }
    }
    Config config = Config.autoConfigure(null);
    if (config.getFile() != null) {
      withoutPointlessTokenRefresh(config);
      String where =
          kubeconfig.isPresent() ? "KUBECONFIG=" + config.getFile() : config.getFile().toString();
      return new KubeTarget(config, where + context(config));
    }
    if (env.containsKey(Config.KUBERNETES_SERVICE_HOST_PROPERTY)
        && Files.isRegularFile(SERVICE_ACCOUNT_TOKEN)) {
      return new KubeTarget(config, "the pod's ServiceAccount (in-cluster)");
    }
    throw new StartupFailure(
        ExitCode.API_SERVER_UNREACHABLE,
        "no kubeconfig found: KUBECONFIG is unset, "
            + home
            + " does not exist, and this is not a pod; set KUBECONFIG or --kubeconfig to a kubeconfig file");
  }

  /**
   * fabric8's token refresher re-reads the kubeconfig before a request once a minute has passed
   * since it last found a token in it. A kubeconfig whose user authenticates with a client
   * certificate holds no token, so the file was parsed again before every request: 15% of the
   * operator's CPU in bench/scale. An explicit empty token switches the refresher off for such a
   * user (no token, provider, auth provider or password); everyone else keeps it.
   */
  static Config withoutPointlessTokenRefresh(Config config) {
    boolean certificateOnly =
        config.getOauthToken() == null
            && config.getAutoOAuthToken() == null
            && config.getOauthTokenProvider() == null
            && config.getAuthProvider() == null
            && config.getUsername() == null
            && (config.getClientCertData() != null || config.getClientCertFile() != null);
    if (certificateOnly) {
      config.setOauthToken("");
    }
    return config;
  }

  private static String context(Config config) {
    return config.getCurrentContext() == null
        ? ""
        : ", context " + config.getCurrentContext().getName();
  }

  /**
   * Asks the server for its version (no retries, short timeouts) and who we are, so that an
   * unreachable server or refused credentials end in one line, not in fabric8's retries and JOSDK's
   * informer traces.
   *
   * @return the authenticated user name, or "the operator's identity" where the server cannot say
   */
  public String check() {
    Config probe =
        new ConfigBuilder(config)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(5_000)
            .withRequestTimeout(10_000)
            // HTTP/1.1: over HTTP/2 the server answers refused credentials with GOAWAY, which the
            // JDK client reports as
            // a broken connection instead of the 401 it is
            .withHttp2Disable(true)
            .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(probe).build()) {
      try {
        // /version is public, but a server answers 401 to credentials it refuses
        client.getKubernetesVersion();
        SelfSubjectReview review = client.resource(new SelfSubjectReviewBuilder().build()).create();
        return review.getStatus().getUserInfo().getUsername();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 401) {
          throw new StartupFailure(
              ExitCode.API_SERVER_UNREACHABLE,
              "the Kubernetes API server at "
                  + url()
                  + " (from "
                  + source
                  + ") refused the credentials: 401 Unauthorized (expired or revoked token?)");
        }
        if (e.getCode() > 0) {
          return "the operator's identity"; // no SelfSubjectReview (before 1.28) or not allowed:
          // not fatal
        }
        throw unreachable(e);
      }
    }
  }

  private StartupFailure unreachable(Exception e) {
    return new StartupFailure(
        ExitCode.API_SERVER_UNREACHABLE,
        "cannot reach the Kubernetes API server at "
            + url()
            + " (from "
            + source
            + "): "
            + reason(e, java.net.URI.create(url()).getHost()));
  }

  /** The cause a person can act on, found anywhere in fabric8's wrapping (most specific first). */
  public static String reason(Throwable e, String host) {
    java.util.List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    if (chain.stream()
        .anyMatch(
            t -> t instanceof UnresolvedAddressException || t instanceof UnknownHostException)) {
      return "cannot resolve host " + host;
    }
    if (chain.stream()
        .anyMatch(
            t -> t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException)) {
      return "no answer within the timeout";
    }
    for (Throwable t : chain) {
      if (t instanceof SSLException) {
        return "TLS failed (" + t.getMessage() + "); is the CA in the kubeconfig the server's?";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
    }
    for (Throwable t : chain) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        return "HTTP "
            + k.getCode()
            + (k.getStatus() == null ? "" : " " + k.getStatus().getMessage());
      }
    }
    Throwable root = chain.get(chain.size() - 1);
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
