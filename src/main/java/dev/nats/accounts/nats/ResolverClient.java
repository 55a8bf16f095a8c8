package dev.nats.accounts.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Talks to the account resolvers of a NATS deployment over a system-user connection.
 *
 * <p>Every full and cache server subscribes to the claims subjects without a queue group, so one
 * request gets one reply <em>per server</em>. A plain request/reply would take the first answer and
 * miss a refusal from another server; instead each call publishes with its own inbox and collects
 * replies until {@code expectedServers} have answered or the timeout passes (the same scheme as
 * nsc's multiRequest).
 *
 * <p>Requests are published without NATS headers: nats-server 2.9.10–2.9.14 hand the header bytes
 * to the JWT decoder and fail with "expected 3 chunks".
 */
public final class ResolverClient {

  public static final String CLAIMS_UPDATE = "$SYS.REQ.CLAIMS.UPDATE";
  public static final String CLAIMS_DELETE = "$SYS.REQ.CLAIMS.DELETE";
  public static final String CLAIMS_LIST = "$SYS.REQ.CLAIMS.LIST";

  /** Every server answers, cluster-wide, with its varz. */
  public static final String PING_VARZ = "$SYS.REQ.SERVER.PING.VARZ";

  private static final Pattern ACCOUNT_KEY = Pattern.compile("A[A-Z2-7]{55}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int NO_RESPONDERS = 503;

  /**
   * How many requests {@link #pushAll} and {@link #lookupEach} keep unanswered at once: enough to
   * keep a server busy, few enough that neither side queues thousands of JWTs.
   */
  static final int WINDOW = 256;

  private final Connection connection;
  private final int expectedServers;
  private final Duration timeout;

  /** One expected server, 2 s timeout. */
  public ResolverClient(Connection connection) {
    this(connection, 1, Duration.ofSeconds(2));
  }

  public ResolverClient(Connection connection, int expectedServers, Duration timeout) {
    this.connection = Objects.requireNonNull(connection, "connection");
    if (expectedServers < 1) {
      throw new IllegalArgumentException("expectedServers must be at least 1");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.expectedServers = expectedServers;
    this.timeout = timeout;
  }

  public static String lookupSubject(String accountPub) {
    return "$SYS.REQ.ACCOUNT." + requireAccountKey(accountPub) + ".CLAIMS.LOOKUP";
  }

  /** Stores (and applies, on servers where the account is loaded) an account JWT. */
  public PushResult push(String accountJwt) {
    return statusRequest(CLAIMS_UPDATE, accountJwt);
  }

  /**
   * Pushes on the per-account subject, the only update a memory resolver answers: it applies the
   * JWT to an account the server has loaded ("jwt updated") and skips it otherwise ("jwt update
   * skipped", also a 200). Nothing is persisted; a memory server learns new accounts from its
   * preload.
   */
  public PushResult pushToAccount(String accountPub, String accountJwt) {
    return statusRequest(
        "$SYS.REQ.ACCOUNT." + requireAccountKey(accountPub) + ".CLAIMS.UPDATE", accountJwt);
  }

  /** Sends an operator-signed delete request; full resolvers need {@code allow_delete: true}. */
  public PushResult delete(String deleteRequestJwt) {
    return statusRequest(CLAIMS_DELETE, deleteRequestJwt);
  }

  /**
   * The account JWT a full resolver holds. Empty when none answered in time: 2.9 does not reply at
   * all for an unknown account, 2.10+ replies with an empty message.
   */
  public Optional<String> lookup(String accountPub) {
    List<Message> replies = collect(lookupSubject(accountPub), new byte[0], 1);
    return replies.stream()
        .map(m -> new String(m.getData(), StandardCharsets.UTF_8).trim())
        .filter(s -> !s.isEmpty())
        .findFirst();
  }

  /**
   * Every copy of an account JWT the answering full resolvers hold, one per server that answered
   * (an empty string is a 2.10+ server saying it holds none). The replies do not name their server:
   * {@link #holdings()} says which server lacks the account.
   */
  public List<String> lookupAll(String accountPub) {
    return collect(lookupSubject(accountPub), new byte[0], expectedServers).stream()
        .map(m -> new String(m.getData(), StandardCharsets.UTF_8).trim())
        .toList();
  }

  /** What one resolver server says it holds. */
  public record Holdings(String serverName, java.util.Set<String> accounts) {}

  /** Each answering server's account list, named: the per-server view of {@link #list()}. */
  public List<Holdings> holdings() {
    List<Holdings> out = new ArrayList<>();
    for (Message m : collect(CLAIMS_LIST, new byte[0], expectedServers)) {
      String name;
      try {
        JsonNode server = JSON.readTree(m.getData()).path("server");
        name = server.path("name").asText(server.path("id").asText("?"));
      } catch (IOException e) {
        throw new ResolverException("unparseable claims list reply", e);
      }
      out.add(new Holdings(name, java.util.Set.copyOf(parseList(m.getData()))));
    }
    return out;
  }

  /** The union of the account keys every answering full/cache resolver holds, sorted. */
  public List<String> list() {
    TreeSet<String> accounts = new TreeSet<>();
    holdings().forEach(h -> accounts.addAll(h.accounts()));
    return List.copyOf(accounts);
  }

  /**
   * One server's trust: its name and the signing keys that the operator JWT it was started with
   * lists for {@code operator}.
   */
  public record ServerTrust(String server, List<String> signingKeys) {}

  /**
   * What every answering server trusts, from {@value #PING_VARZ} ({@code trusted_operators_claim}).
   * It waits out the whole timeout rather than stopping at {@code expectedServers} answers: servers
   * behind one URL answer too, and a server not yet restarted must not hide behind one that was.
   */
  public List<ServerTrust> trust(String operator) {
    List<ServerTrust> out = new ArrayList<>();
    for (Message m : collect(PING_VARZ, new byte[0], Integer.MAX_VALUE)) {
      out.add(parseTrust(m.getData(), operator));
    }
    return out;
  }

  static ServerTrust parseTrust(byte[] body, String operator) {
    JsonNode reply;
    try {
      reply = JSON.readTree(body);
    } catch (IOException e) {
      throw new ResolverException("unparseable varz reply", e);
    }
    JsonNode server = reply.path("server");
    String name = server.path("name").asText(server.path("id").asText("?"));
    List<String> keys = new ArrayList<>();
    for (JsonNode claim : reply.path("data").path("trusted_operators_claim")) {
      if (operator.equals(claim.path("sub").asText())) {
        claim.path("nats").path("signing_keys").forEach(k -> keys.add(signingKey(k)));
      }
    }
    return new ServerTrust(name, keys);
  }

  /** A signing key is a plain key, or (scoped, unused for operators) an object with {@code key}. */
  private static String signingKey(JsonNode k) {
    return k.isTextual() ? k.asText() : k.path("key").asText();
  }

  /**
   * Parses {@code {"data":["A…",…],"server":{…}}}; an unexpected shape is an error, not an empty
   * list.
   */
  static List<String> parseList(byte[] body) {
    JsonNode data;
    try {
      data = JSON.readTree(body).path("data");
    } catch (IOException e) {
      throw new ResolverException("unparseable claims list reply", e);
    }
    if (!data.isArray()) {
      throw new ResolverException("claims list reply has no data array");
    }
    List<String> out = new ArrayList<>();
    data.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * What one request of a pipelined batch got, and how long after it was sent the answer was
   * complete (or, unanswered, how long it was waited for).
   */
  public record Answered<T>(T result, Duration took) {}

  /**
   * Pushes many account JWTs without waiting for each answer before sending the next: after a
   * resolver lost its accounts, one after another is bound by the round trip, this by the server.
   * The results are in the order of {@code accountJwts}; a request still unanswered when the
   * timeout passes after the last one sent has the replies it got (none, when the batch stopped
   * before sending it).
   */
  public List<Answered<PushResult>> pushAll(List<String> accountJwts) {
    List<byte[]> bodies =
        accountJwts.stream().map(j -> j.getBytes(StandardCharsets.US_ASCII)).toList();
    List<Answered<List<Message>>> replies = pipelined(i -> CLAIMS_UPDATE, bodies, expectedServers);
    return replies.stream()
        .map(
            a ->
                new Answered<>(
                    new PushResult(
                        a.result().stream().map(m -> ServerReply.parse(m.getData())).toList(),
                        expectedServers),
                    a.took()))
        .toList();
  }

  /**
   * {@link #lookup} for many accounts at once, in their order. Only for accounts the server lists:
   * nats-server 2.9 does not answer a lookup of an account it lacks, and each such lookup would
   * hold the batch until the timeout.
   */
  public List<Optional<String>> lookupEach(List<String> accountPubs) {
    accountPubs.forEach(ResolverClient::requireAccountKey);
    List<byte[]> empty = accountPubs.stream().map(p -> new byte[0]).toList();
    return pipelined(i -> lookupSubject(accountPubs.get(i)), empty, 1).stream()
        .map(
            a ->
                a.result().stream()
                    .map(m -> new String(m.getData(), StandardCharsets.UTF_8).trim())
                    .filter(s -> !s.isEmpty())
                    .findFirst())
        .toList();
  }

  /**
   * Sends request {@code i} on {@code subjects.apply(i)} with reply subject {@code <inbox>.i}, at
   * most {@link #WINDOW} unanswered at a time (refilled half a window at a time), and gathers up to
   * {@code max} replies each through one subscription. A request is answered with its {@code max}
   * replies or a no-responders status; the batch ends when all are, or when nothing came for the
   * timeout.
   */
  private List<Answered<List<Message>>> pipelined(
      java.util.function.IntFunction<String> subjects, List<byte[]> bodies, int max) {
    int n = bodies.size();
    List<List<Message>> replies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      replies.add(new ArrayList<>());
    }
    long[] sentAt = new long[n];
    long[] answeredAt = new long[n];
    boolean[] done = new boolean[n];
    int sent = 0;
    if (n > 0) {
      String prefix = connection.createInbox() + ".";
      Subscription sub = connection.subscribe(prefix + "*");
      int finished = 0;
      try {
        long deadline = 0;
        while (finished < n) {
          // Refilled in bursts, once half the window is answered: one request sent per answer
          // would wake the connection's writer, and the server's reader, once per request.
          if (sent - finished <= WINDOW / 2) {
            while (sent < n && sent - finished < WINDOW) {
              connection.publish(subjects.apply(sent), prefix + sent, bodies.get(sent));
              sentAt[sent] = System.nanoTime();
              deadline = sentAt[sent] + timeout.toNanos();
              sent++;
            }
          }
          long left = deadline - System.nanoTime();
          Message m = left <= 0 ? null : sub.nextMessage(Duration.ofNanos(left));
          if (m == null) {
            break;
          }
          int i = requestIndex(m.getSubject(), prefix, sent);
          if (i < 0 || done[i]) {
            continue;
          }
          if (m.isStatusMessage()) {
            if (m.getStatus().getCode() != NO_RESPONDERS) {
              continue;
            }
          } else {
            replies.get(i).add(m);
            if (replies.get(i).size() < max) {
              continue;
            }
          }
          answeredAt[i] = System.nanoTime();
          done[i] = true;
          finished++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ResolverException("interrupted while waiting for pipelined replies", e);
      } finally {
        if (connection.getStatus() == Connection.Status.CONNECTED) {
          sub.unsubscribe();
        }
      }
    }
    long end = System.nanoTime();
    List<Answered<List<Message>>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // Unanswered: how long it was waited for; never sent: not at all.
      long took = i >= sent ? 0 : (done[i] ? answeredAt[i] : end) - sentAt[i];
      out.add(new Answered<>(replies.get(i), Duration.ofNanos(took)));
    }
    return out;
  }

  /** The request a reply subject {@code <prefix><i>} answers, or -1 for anything else. */
  private static int requestIndex(String subject, String prefix, int sent) {
    if (subject == null || !subject.startsWith(prefix)) {
      return -1;
    }
    try {
      int i = Integer.parseInt(subject.substring(prefix.length()));
      return i >= 0 && i < sent ? i : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private PushResult statusRequest(String subject, String jwt) {
    Objects.requireNonNull(jwt, "jwt");
    List<ServerReply> replies =
        collect(subject, jwt.getBytes(StandardCharsets.US_ASCII), expectedServers).stream()
            .map(m -> ServerReply.parse(m.getData()))
            .toList();
    return new PushResult(replies, expectedServers);
  }

  /**
   * Publishes {@code body} with a private inbox as reply subject and gathers up to {@code max}
   * replies: a batch of one.
   */
  private List<Message> collect(String subject, byte[] body, int max) {
    return pipelined(i -> subject, List.of(body), max).get(0).result();
  }

  private static String requireAccountKey(String pub) {
    if (pub == null || !ACCOUNT_KEY.matcher(pub).matches()) {
      throw new IllegalArgumentException("not an account public key: " + pub);
    }
    return pub;
  }
}
