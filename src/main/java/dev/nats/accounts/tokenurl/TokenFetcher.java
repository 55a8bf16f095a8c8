package dev.nats.accounts.tokenurl;

import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches activation tokens that imports name by URL ({@code spec.from.tokenURL}). nats-server 2.15
 * no longer fetches a token URL itself (it refuses an account JWT that holds one), so the operator
 * does and embeds the token; one cache per process serves the Account and import reconcilers alike,
 * so both see the same token and a reconcile never waits on the network twice.
 *
 * <p>A token is fetched again after {@link #maxAge}, sooner when a third of its lifetime is left
 * (when its exporter renews it). A 404 or 410 means the exporter serves no token there any more:
 * the import loses it. Any other failure (unreachable, timeout, 5xx, not a JWT) keeps the token
 * fetched last until it expires, as nats-server once kept a fetched token: an exporter's outage
 * does not cut importers off before their token ends.
 */
public final class TokenFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(TokenFetcher.class);
  private static final int MAX_BODY = 64 * 1024;

  /**
   * What an import gets from a URL now.
   *
   * @param token the token to embed, or null
   * @param problem why the last fetch failed, or null when it worked
   * @param next when to look again
   */
  public record Fetched(String token, String problem, Duration next) {}

  private record Entry(String token, Long expires, long lifetime, Instant at, String problem) {}

  private final HttpClient http;
  private final Duration maxAge;
  private final Clock clock;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public TokenFetcher(Duration maxAge, Clock clock) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.maxAge = maxAge;
    this.clock = clock;
  }

  /** The token at {@code url}: from the cache while it is fresh, else fetched now. */
  public Fetched get(String url) {
    Instant now = clock.instant();
    Entry e = cache.get(url);
    if (e == null || !now.isBefore(due(e))) {
      e = fetch(url, e, now);
      cache.put(url, e);
    }
    String token = e.token();
    if (token != null && e.expires() != null && now.getEpochSecond() >= e.expires()) {
      token = null;
    }
    Duration next = Duration.between(now, due(e));
    return new Fetched(
        token, e.problem(), next.isNegative() ? Duration.ofSeconds(1) : next.plusMillis(100));
  }

  /** Forgets a URL no import names any more. */
  public void forget(String url) {
    cache.remove(url);
  }

  /**
   * A tenant chooses the URL the operator fetches, so addresses that only make sense as a target of
   * such a request are refused: link-local ones hold the cloud providers' metadata services
   * (credentials of the node), and the unspecified address reaches the operator's own host.
   * Resolved once per fetch; the NetworkPolicy in docs/operations/activation-urls.md is the real
   * fence.
   */
  static Optional<String> refusedHost(URI uri) throws IOException {
    String host = uri.getHost();
    if (host == null) {
      return Optional.of("the URL names no host");
    }
    for (InetAddress a : InetAddress.getAllByName(host)) {
      if (a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
        return Optional.of(
            host
                + " is "
                + a.getHostAddress()
                + ", a link-local or unspecified address (where cloud metadata services answer)");
      }
    }
    return Optional.empty();
  }

  private Instant due(Entry e) {
    Duration age = maxAge;
    if (e.token() != null && e.lifetime() > 0) {
      Duration third = Duration.ofSeconds(Math.max(1, e.lifetime() / 3));
      age = third.compareTo(age) < 0 ? third : age;
    }
    if (e.problem() != null) {
      Duration retry = Duration.ofSeconds(5);
      age = retry.compareTo(age) < 0 ? retry : age;
    }
    return e.at().plus(age);
  }

  private Entry fetch(String url, Entry previous, Instant now) {
    String problem;
    try {
      Optional<String> refused = refusedHost(URI.create(url));
      if (refused.isPresent()) {
        return new Entry(null, null, 0, now, "GET " + url + " refused: " + refused.get());
      }
      HttpResponse<InputStream> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      String body;
      try (InputStream in = r.body()) {
        body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8).strip();
      }
      if (r.statusCode() == 404 || r.statusCode() == 410) {
        return new Entry(
            null,
            null,
            0,
            now,
            "GET " + url + " answered " + r.statusCode() + ": no token is served there (any more)");
      }
      if (r.statusCode() != 200) {
        problem = "GET " + url + " answered " + r.statusCode();
      } else {
        try {
          DecodedJwt d = JwtDecoder.decodeIgnoringTime(body);
          long lifetime = d.expires() == null ? 0 : d.expires() - d.issuedAt();
          return new Entry(body, d.expires(), lifetime, now, null);
        } catch (JwtException e) {
          problem = "GET " + url + " did not return a JWT: " + e.getMessage();
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      problem = "GET " + url + " failed: " + e.getClass().getSimpleName() + " " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "GET " + url + " was interrupted";
    }
    LOG.warn(
        "{}{}",
        problem,
        previous != null && previous.token() != null
            ? "; keeping the token fetched at " + previous.at() + " until it expires"
            : "");
    return previous != null && previous.token() != null
        ? new Entry(previous.token(), previous.expires(), previous.lifetime(), now, problem)
        : new Entry(null, null, 0, now, problem);
  }
}
