package dev.nats.accounts.reconciler.account;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.KeyRotation;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.api.v1alpha1.SigningKeyStatus;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.testing.ClaimsUpdates;
import dev.nats.accounts.testing.Clients;
import dev.nats.accounts.testing.MockApiTest;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.api.model.Event;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Account signing key rotation on a real nats-server (the current one, 2.15) with live traffic: the
 * seed tutorial's responder (User u of Account a) answers a requester of the same account (User r)
 * and one of the importing Account b (User b, through the private export's activation token), while
 * Account a's signing key rotates. Clients use a creds file that a mirror thread keeps equal to the
 * creds Secret, as the kubelet does for a mounted Secret, and reload it on reconnect (jnats' file
 * auth handler reads the file at every connect).
 */
class AccountSigningKeyRotationLiveTest extends MockApiTest {
  static final String A = "tenant-a";
  static final String B = "tenant-b";

  @Test
  void aScheduledRotationMovesUsersAndActivationTokensToTheNewKeyWithoutAFailedRequest()
      throws Exception {
    h = OperatorHarness.start(client, dir);
    SeedTutorial.applyAndVerify(h);
    h.create(user(A, "r", "a"));
    h.awaitReady(User.class, A, "r");
    String first = signingKey().getPublicKey();
    String firstToken = activationToken();
    assertEquals(first, JwtDecoder.decode(firstToken).issuer());

    try (ClaimsUpdates updates = ClaimsUpdates.watch(h);
        Traffic t = new Traffic()) {
      t.exporterUpdates = () -> updates.of(accountKey());
      t.start();
      t.awaitAnswers(20);
      schedule("20s", "8s");
      SigningKeyStatus overlap =
          await()
              .atMost(OperatorHarness.WAIT)
              .until(this::signingKey, k -> "Overlap".equals(k.getPhase()));
      printStatus("overlap", overlap);
      String second = overlap.getPublicKey();
      assertNotEquals(first, second);
      assertEquals(first, overlap.getPreviousKey(), "the replaced key stays for the overlap");
      SigningKeyStatus idle =
          await()
              .atMost(OperatorHarness.WAIT)
              .until(this::signingKey, k -> "Idle".equals(k.getPhase()));
      printStatus("idle", idle);
      assertEquals(second, idle.getPublicKey());
      assertNull(idle.getPreviousKey());
      assertEquals(List.of(second), accountJwtSigningKeys(), "the replaced key left the JWT");
      assertEquals(
          second,
          JwtDecoder.decode(activationToken()).issuer(),
          "the importer's token follows the exporter's key");
      for (String u : List.of("u", "r")) {
        assertEquals(second, JwtDecoder.decode(credsJwt(A, u)).issuer(), u + " is re-signed");
      }
      t.awaitAnswersAfterNow(20);
      t.stop();
      t.print("scheduled");
      // The replaced key leaving the JWT closes the connections it signed (u and r); they come
      // back at once with the re-signed creds file. A request may fail only while one of them is
      // away (the responder's subscriptions are gone then), or, for b's requests through the
      // import, when nats-server applies a JWT of Account a while the request is in flight (it
      // drops the way back of the replies then: ExporterUpdateDuringARequestTest). None fails
      // outside those moments.
      assertTrue(t.disconnects.get() >= 1, "the server closed connections of the old key");
      assertTrue(
          updates.of(accountKey()).size() >= 2, "Account a's JWT was sent (next key in, old out)");
      assertEquals(0, t.unexplained(), "no request failed beyond a reconnect: " + t.summary());
    }
    printEvents();
    assertTrue(events("KeyRotated") >= 3, "staged, switched, previous left");
    assertTrue(rotations("scheduled") >= 1);
  }

  @Test
  void anEmergencyDropsTheOldKeyAtOnceAndClientsReconnectWithTheNewCreds() throws Exception {
    h = OperatorHarness.start(client, dir);
    SeedTutorial.applyAndVerify(h);
    h.create(user(A, "r", "a"));
    h.awaitReady(User.class, A, "r");
    String first = signingKey().getPublicKey();

    try (Traffic t = new Traffic()) {
      t.start();
      t.awaitAnswers(20);
      annotate(SigningKeyRotation.EMERGENCY, "leaked");
      SigningKeyStatus replaced =
          await()
              .atMost(OperatorHarness.WAIT)
              .until(this::signingKey, k -> !first.equals(k.getPublicKey()));
      String second = replaced.getPublicKey();
      assertNull(replaced.getPreviousKey(), "nothing of the old key stays");
      assertEquals(List.of(second), accountJwtSigningKeys());
      await().atMost(OperatorHarness.WAIT).until(() -> t.reconnects.get() >= 1);
      t.awaitAnswersAfterNow(200);
      t.stop();
      t.print("emergency");
      assertTrue(t.disconnects.get() >= 2, "u and r, signed by the dropped key, were closed");
      assertEquals(
          second,
          JwtDecoder.decode(activationToken()).issuer(),
          "the importer's token is signed again");
    }
    assertEquals(1.0, rotations("emergency"));
  }

  @Test
  void withARotationScheduleNothingIsSignedPushedOrWrittenUntilItIsDue() throws Exception {
    h = OperatorHarness.start(client, dir);
    SeedTutorial.applyAndVerify(h);
    schedule("720h", "24h");
    SigningKeyStatus idle =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(this::signingKey, k -> k.getNextRotationAt() != null);
    assertEquals("Idle", idle.getPhase());
    Account before = h.get(Account.class, A, "a");
    String keysVersion = keySecret().getMetadata().getResourceVersion();
    double reconciled = h.metrics().reconciliations("Account");
    // A change that reconciles the Account (a label) but asks for no rotation.
    client
        .resources(Account.class)
        .inNamespace(A)
        .withName("a")
        .edit(
            x -> {
              x.getMetadata().setLabels(Map.of("touched", "1"));
              return x;
            });
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> h.metrics().reconciliations("Account") > reconciled);
    Account after = h.awaitReady(Account.class, A, "a");
    assertEquals(before.getStatus().getJwt(), after.getStatus().getJwt(), "not signed again");
    assertEquals(keysVersion, keySecret().getMetadata().getResourceVersion(), "no key write");
    assertEquals(idle.getRotatedAt(), signingKey().getRotatedAt());
  }

  @Test
  void anOverlapNotShorterThanEveryIsRefusedNamingTheFieldAndNothingRotates() throws Exception {
    h = OperatorHarness.start(client, dir);
    Account a = dev.nats.accounts.reconciler.Fixtures.account(A, "bad");
    SigningKeySpec k = new SigningKeySpec();
    k.setName("main");
    KeyRotation r = new KeyRotation();
    r.setEvery("1h");
    r.setOverlap("1h");
    k.setRotation(r);
    a.getSpec().setSigningKeys(List.of(k));
    h.create(a);
    Account refused =
        h.awaitCondition(
            Account.class,
            A,
            "bad",
            dev.nats.accounts.status.ConditionType.READY,
            dev.nats.accounts.status.Conditions.FALSE,
            dev.nats.accounts.status.Reason.INVALID_SPEC);
    String message =
        dev.nats.accounts.status.Conditions.message(
            refused.getStatus().getConditions(), dev.nats.accounts.status.ConditionType.READY);
    assertTrue(message.contains("spec.signingKeys[0].rotation.overlap"), message);
    assertNull(h.secretValue(A, Names.accountKeys("bad"), SigningKeyRotation.STATE_ENTRY));
  }

  // --- traffic --------------------------------------------------------------------------------

  /**
   * u answers on {@code help} and {@code private.help.*}; r (Account a) asks {@code help}, b
   * (Account b) asks {@code private.help} through its import. Counts per run.
   */
  final class Traffic implements AutoCloseable {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong failedCount = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong disconnects = new AtomicLong();
    final AtomicLong firstFailure = new AtomicLong();

    /** Per disconnect: from it until the connection is back with its subscriptions (nanoTime). */
    final List<long[]> away = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * Per failed request: when it was sent and when it failed (nanoTime), whether it went through
     * the import (1) and whether it timed out (1).
     */
    final List<long[]> failedAt = java.util.Collections.synchronizedList(new ArrayList<>());

    final Map<String, Long> failedBy = new java.util.concurrent.ConcurrentSkipListMap<>();
    final AtomicLong lastFailure = new AtomicLong();
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<Thread> threads = new ArrayList<>();
    final List<Connection> connections = new ArrayList<>();

    void start() throws Exception {
      Path u = mirror(A, "u");
      Path r = mirror(A, "r");
      Path b = mirror(B, "b");
      Connection responder = connect(u);
      Clients.respond(responder, "help", "I will help");
      Clients.respond(responder, "private.help.*", "help is here");
      ask(connect(r), "help");
      ask(connect(b), "private.help");
    }

    /** Keeps a file equal to the creds Secret's user.creds, replaced atomically as the kubelet. */
    Path mirror(String ns, String user) throws IOException {
      Path file = dir.resolve(ns + "-" + user + ".creds");
      Path tmp = dir.resolve(ns + "-" + user + ".creds.tmp");
      String creds = h.secretValue(ns, Names.userCreds(user), "user.creds");
      Files.writeString(file, creds);
      Thread t =
          new Thread(
              () -> {
                String last = creds;
                while (running.get()) {
                  try {
                    String now = h.secretValue(ns, Names.userCreds(user), "user.creds");
                    if (now != null && !now.equals(last)) {
                      Files.writeString(tmp, now);
                      Files.move(
                          tmp,
                          file,
                          StandardCopyOption.ATOMIC_MOVE,
                          StandardCopyOption.REPLACE_EXISTING);
                      last = now;
                    }
                    Thread.sleep(200);
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    // the API may be slow for a moment; the next round reads again
                  }
                }
              },
              "creds-mirror-" + user);
      t.setDaemon(true);
      t.start();
      threads.add(t);
      return file;
    }

    Connection connect(Path creds) throws Exception {
      long[][] open = new long[1][];
      ConnectionListener listener =
          (conn, event) -> {
            if (event == ConnectionListener.Events.RECONNECTED) {
              reconnects.incrementAndGet();
              long[] window = open[0];
              // Away until the server has the re-sent subscriptions: a flush proves it.
              Thread flush =
                  new Thread(
                      () -> {
                        try {
                          conn.flush(Duration.ofSeconds(5));
                        } catch (Exception e) {
                          return; // still away: the window stays open
                        }
                        if (window != null) {
                          window[1] = System.nanoTime();
                        }
                      });
              flush.setDaemon(true);
              flush.start();
            } else if (event == ConnectionListener.Events.DISCONNECTED) {
              disconnects.incrementAndGet();
              if (open[0] == null || open[0][1] != Long.MAX_VALUE) {
                open[0] = new long[] {System.nanoTime(), Long.MAX_VALUE};
                away.add(open[0]);
              }
            }
          };
      Options o =
          new Options.Builder()
              .server(h.url())
              .authHandler(Nats.credentials(creds.toString()))
              .maxReconnects(-1)
              .reconnectWait(Duration.ofMillis(250))
              .connectionListener(listener)
              .errorListener(new io.nats.client.ErrorListener() {})
              .build();
      Connection c = Nats.connect(o);
      connections.add(c);
      return c;
    }

    void ask(Connection c, String subject) {
      boolean crossAccount = subject.startsWith("private.");
      Thread t =
          new Thread(
              () -> {
                while (running.get()) {
                  sent.incrementAndGet();
                  long start = System.nanoTime();
                  try {
                    c.requestWithTimeout(
                            subject, "me".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2))
                        .get();
                    answered.incrementAndGet();
                  } catch (Exception e) {
                    failedCount.incrementAndGet();
                    // jnats cancels a request the server answered with "no responders" at once,
                    // and one that got no answer in time with this message.
                    boolean timedOut =
                        String.valueOf(e.getMessage()).contains("not registered in time");
                    failedBy.merge(
                        subject + (timedOut ? " timeout" : " no-responders"), 1L, Long::sum);
                    failedAt.add(
                        new long[] {
                          start, System.nanoTime(), crossAccount ? 1 : 0, timedOut ? 1 : 0
                        });
                    long at = System.currentTimeMillis();
                    firstFailure.compareAndSet(0, at);
                    lastFailure.set(at);
                  }
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "requester-" + subject);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }

    void awaitAnswers(long n) {
      await().atMost(OperatorHarness.WAIT).until(() -> answered.get() >= n);
    }

    void awaitAnswersAfterNow(long n) {
      long base = answered.get();
      await().atMost(OperatorHarness.WAIT).until(() -> answered.get() >= base + n);
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(5000);
      }
    }

    long failed() {
      return failedCount.get();
    }

    /** When nats-server was sent a JWT of the exporting Account a (nanoTime); none if unset. */
    java.util.function.Supplier<List<Long>> exporterUpdates = List::of;

    /** Failed requests during which no client (responder or requester) was away. */
    long beyondReconnect() {
      List<Long> updates = exporterUpdates.get();
      synchronized (failedAt) {
        synchronized (away) {
          return failedAt.stream().filter(f -> !whileAway(f, updates)).count();
        }
      }
    }

    /**
     * Failed requests neither a client away nor an update of the exporter explains: a request
     * through the import that timed out with a JWT of Account a sent while it was in flight.
     */
    long unexplained() {
      List<Long> updates = exporterUpdates.get();
      synchronized (failedAt) {
        synchronized (away) {
          return failedAt.stream()
              .filter(f -> !whileAway(f, updates))
              .filter(f -> !(f[2] == 1 && f[3] == 1 && inFlightAt(f, updates)))
              .count();
        }
      }
    }

    /**
     * Whether a client was away while the request was out. nats-server closes the connections of a
     * dropped key (and with them the responder's subscriptions) when it applies the exporter's JWT
     * without that key; the client hears of it a moment later. So a window opens at the exporter's
     * last update before its disconnect: a request answered "no responders" in between failed
     * because the responder was already gone (seen once in CI: one private.help no-responders, no
     * client away yet, no update in flight).
     */
    private boolean whileAway(long[] f, List<Long> updates) {
      return away.stream()
          .anyMatch(
              w -> {
                long from = updates.stream().filter(u -> u <= w[0]).max(Long::compare).orElse(w[0]);
                return from <= f[1] && f[0] <= w[1];
              });
    }

    private static boolean inFlightAt(long[] f, List<Long> updates) {
      return updates.stream().anyMatch(u -> f[0] <= u && u <= f[1]);
    }

    String summary() {
      return "sent="
          + sent.get()
          + " answered="
          + answered.get()
          + " failed="
          + failedCount.get()
          + " reconnects="
          + reconnects.get()
          + " disconnects="
          + disconnects.get()
          + " failed beyond a reconnect="
          + beyondReconnect()
          + " of them at an update of the exporter="
          + (beyondReconnect() - unexplained())
          + (firstFailure.get() == 0
              ? ""
              : " failures within " + (lastFailure.get() - firstFailure.get()) + " ms")
          + (failedBy.isEmpty() ? "" : " " + failedBy)
          + (failedCount.get() == 0 ? "" : "; " + timeline());
    }

    /**
     * Failed requests (sent..failed), exporter updates and away windows in ms from the first
     * exporter update, so a failure nobody explains shows where it fell.
     */
    private String timeline() {
      List<Long> updates = exporterUpdates.get();
      List<long[]> failed;
      synchronized (failedAt) {
        failed = List.copyOf(failedAt);
      }
      long zero = updates.isEmpty() ? failed.get(0)[0] : updates.get(0);
      java.util.function.LongFunction<String> ms = t -> String.valueOf((t - zero) / 1_000_000);
      StringBuilder out =
          new StringBuilder(
              updates.isEmpty()
                  ? "ms from the first failure:"
                  : "ms from the exporter's first update:");
      out.append(" failed");
      failed.stream()
          .limit(10)
          .forEach(f -> out.append(' ').append(ms.apply(f[0])).append("..").append(ms.apply(f[1])));
      if (failed.size() > 10) {
        out.append(" (").append(failed.size() - 10).append(" more)");
      }
      out.append(", exporter updates");
      updates.forEach(u -> out.append(' ').append(ms.apply(u)));
      out.append(", away");
      synchronized (away) {
        away.forEach(
            w ->
                out.append(' ')
                    .append(ms.apply(w[0]))
                    .append("..")
                    .append(w[1] == Long.MAX_VALUE ? "" : ms.apply(w[1])));
      }
      return out.toString();
    }

    void print(String what) {
      System.out.println("ACCOUNT SIGNING KEY ROTATION (" + what + "): " + summary());
    }

    @Override
    public void close() throws Exception {
      running.set(false);
      for (Connection c : connections) {
        c.close();
      }
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static User user(String ns, String name, String account) {
    return dev.nats.accounts.reconciler.Fixtures.user(ns, name, account);
  }

  private void schedule(String every, String overlap) {
    Account a = h.get(Account.class, A, "a");
    SigningKeySpec k = new SigningKeySpec();
    k.setName("default");
    KeyRotation r = new KeyRotation();
    r.setEvery(every);
    r.setOverlap(overlap);
    k.setRotation(r);
    a.getSpec().setSigningKeys(List.of(k));
    h.updateSpec(a);
  }

  private void annotate(String key, String value) {
    client
        .resources(Account.class)
        .inNamespace(A)
        .withName("a")
        .edit(
            x -> {
              Map<String, String> ann =
                  new HashMap<>(
                      x.getMetadata().getAnnotations() == null
                          ? Map.of()
                          : x.getMetadata().getAnnotations());
              ann.put(key, value);
              x.getMetadata().setAnnotations(ann);
              return x;
            });
  }

  private String accountKey() {
    return h.get(Account.class, A, "a").getStatus().getPublicKey();
  }

  private SigningKeyStatus signingKey() {
    Account a = h.get(Account.class, A, "a");
    return a.getStatus().getSigningKeys().get(0);
  }

  private List<String> accountJwtSigningKeys() {
    List<String> out = new ArrayList<>();
    JwtDecoder.decode(h.get(Account.class, A, "a").getStatus().getJwt())
        .payload()
        .path("nats")
        .path("signing_keys")
        .forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("key").asText()));
    return out;
  }

  private String activationToken() {
    ServiceExport e = h.get(ServiceExport.class, A, "private-help");
    return h.secretValue(
        A, e.getStatus().getActivations().get(0).getSecretName(), "activation.jwt");
  }

  private String credsJwt(String ns, String user) {
    return h.secretValue(ns, Names.userCreds(user), "user.jwt");
  }

  private io.fabric8.kubernetes.api.model.Secret keySecret() {
    return client.secrets().inNamespace(A).withName(Names.accountKeys("a")).get();
  }

  private void printStatus(String when, SigningKeyStatus k) {
    System.out.println(
        "ACCOUNT SIGNING KEY STATUS ("
            + when
            + "): "
            + io.fabric8.kubernetes.client.utils.Serialization.asJson(k));
  }

  private void printEvents() {
    client.v1().events().inNamespace(A).list().getItems().stream()
        .filter((Event e) -> "a".equals(e.getInvolvedObject().getName()))
        .filter(e -> "KeyRotated".equals(e.getReason()))
        .forEach(e -> System.out.println("ACCOUNT EVENT KeyRotated: " + e.getMessage()));
  }

  private long events(String reason) {
    return h.events("Account", A, "a", reason);
  }

  private double rotations(String why) {
    return h.counter(
        OperatorMetrics.KEY_ROTATIONS, "kind", SigningKeyRotator.METRIC_KIND, "why", why);
  }
}
