package dev.nats.accounts.tokenurl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.nats.accounts.jwt.ActivationClaims;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fetching, re-fetching and losing a token served at a URL, against a real HTTP server. */
class TokenFetcherTest {
  static final KeyPair EXPORTER = KeyPair.create(KeyType.ACCOUNT);
  static final String GRANTEE = KeyPair.create(KeyType.ACCOUNT).publicKey();
  static final long T0 = 1_900_000_000L;

  /** A clock the test moves. */
  static final class Manual extends Clock {
    Instant now = Instant.ofEpochSecond(T0);

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final Manual clock = new Manual();
  final AtomicReference<String> body = new AtomicReference<>();
  final AtomicInteger status = new AtomicInteger(200);
  final AtomicInteger requests = new AtomicInteger();
  HttpServer http;
  String url;

  @BeforeEach
  void start() throws Exception {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        x -> {
          requests.incrementAndGet();
          byte[] b = body.get() == null ? new byte[0] : body.get().getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(status.get(), b.length == 0 ? -1 : b.length);
          if (b.length > 0) {
            x.getResponseBody().write(b);
          }
          x.close();
        });
    http.start();
    url = "http://127.0.0.1:" + http.getAddress().getPort() + "/jwt/v1/activations/H";
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.stop(0);
    }
  }

  /** A token for {@code lifetime} seconds; 0: one that does not expire. */
  static String token(long iat, long lifetime) {
    return JwtEncoder.encode(
        new ActivationClaims(
            "s", GRANTEE, "s", ExportType.SERVICE, null, lifetime == 0 ? null : iat + lifetime),
        EXPORTER,
        iat);
  }

  @Test
  void aTokenIsFetchedOnceAndAgainWhenAThirdOfItsLifeIsLeft() {
    TokenFetcher f = new TokenFetcher(Duration.ofSeconds(30), clock);
    String first = token(T0, 9);
    body.set(first);

    assertEquals(first, f.get(url).token());
    assertEquals(first, f.get(url).token());
    assertEquals(1, requests.get(), "cached");
    assertEquals(Duration.ofMillis(3100), f.get(url).next(), "a third of 9s, and a margin");

    String renewed = token(T0 + 3, 9);
    body.set(renewed);
    clock.now = clock.now.plusSeconds(3);
    assertEquals(renewed, f.get(url).token());
    assertEquals(2, requests.get());
  }

  /** A tenant's URL must not make the operator ask the node's cloud metadata service. */
  @Test
  void linkLocalAndUnspecifiedAddressesAreRefusedWithoutARequest() {
    TokenFetcher f = new TokenFetcher(Duration.ofSeconds(30), clock);
    for (String refused :
        List.of(
            "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]:8080/t",
            "http://0.0.0.0:" + URI.create(url).getPort() + "/t")) {
      TokenFetcher.Fetched r = f.get(refused);
      assertNull(r.token(), refused);
      assertTrue(
          r.problem().contains("refused: ") && r.problem().contains("link-local"), r.problem());
    }
    assertEquals(0, requests.get(), "nothing was fetched, not even from 0.0.0.0 (this host)");
  }

  @Test
  void aNotFoundUrlLosesTheToken() {
    TokenFetcher f = new TokenFetcher(Duration.ofSeconds(30), clock);
    body.set(token(T0, 0));
    assertEquals(body.get(), f.get(url).token());

    status.set(404);
    body.set("gone");
    clock.now = clock.now.plusSeconds(30);
    TokenFetcher.Fetched gone = f.get(url);
    assertNull(gone.token());
    assertTrue(gone.problem().contains("answered 404"), gone.problem());
  }

  @Test
  void anUnreachableUrlKeepsTheLastTokenUntilItExpires() {
    TokenFetcher f = new TokenFetcher(Duration.ofSeconds(30), clock);
    String t = token(T0, 60);
    body.set(t);
    assertEquals(t, f.get(url).token());

    http.stop(0);
    http = null;
    clock.now = clock.now.plusSeconds(20);
    TokenFetcher.Fetched kept = f.get(url);
    assertEquals(t, kept.token(), "still valid: kept");
    assertTrue(kept.problem().contains("failed"), kept.problem());
    assertEquals(Duration.ofMillis(5100), kept.next(), "retried soon");

    clock.now = Instant.ofEpochSecond(T0 + 60);
    TokenFetcher.Fetched expired = f.get(url);
    assertNull(expired.token(), "expired: nothing left to embed");
  }

  @Test
  void somethingThatIsNotAJwtIsNotAToken() {
    TokenFetcher f = new TokenFetcher(Duration.ofSeconds(30), clock);
    body.set("<html>login</html>");
    TokenFetcher.Fetched r = f.get(url);
    assertNull(r.token());
    assertTrue(r.problem().contains("did not return a JWT"), r.problem());
  }
}
