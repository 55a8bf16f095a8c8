package dev.nats.accounts.testing;

import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.nats.NatsServerProcess;
import dev.nats.accounts.nats.PushResult;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.nats.SystemConnection;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real nats-server in operator mode with a full resolver, for tests.
 *
 * <p>Register it as a {@code static} field to share one server across a test class (the usual case:
 * tests then create fresh accounts, which costs a push of about a millisecond, instead of a server
 * start); as an instance field it starts one server per test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NatsServerExtension NATS = new NatsServerExtension();
 * }</pre>
 *
 * <p>Connections opened through {@link #connect} are closed after each test.
 */
public final class NatsServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final boolean debug;
  private final Path binary;
  private final AtomicInteger names = new AtomicInteger();
  private final List<Connection> testConnections = new ArrayList<>();

  private Path workDir;
  private TestOperator operator;
  private NatsServerProcess server;
  private Connection system;
  private ResolverClient resolver;
  private boolean perClass;

  public NatsServerExtension() {
    this(false);
  }

  /**
   * @param debug run the server with {@code -D}, e.g. to read import-authorization DBG lines
   */
  public NatsServerExtension(boolean debug) {
    this(debug, null);
  }

  /**
   * @param binary the nats-server to run; null: {@link NatsServerProcess#findBinary()} (the current
   *     server built by ensure-tools.sh)
   */
  public NatsServerExtension(boolean debug, Path binary) {
    this.debug = debug;
    this.binary = binary;
  }

  /** A server on Debian's nats-server 2.9.10, the oldest version we support. */
  public static NatsServerExtension oldestSupported() {
    return new NatsServerExtension(false, TestBed.debianNatsServer());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    perClass = true;
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    synchronized (testConnections) {
      for (Connection c : testConnections) {
        closeQuietly(c);
      }
      testConnections.clear();
    }
    if (!perClass) {
      stop();
    }
  }

  private void start() throws IOException, InterruptedException {
    workDir = Files.createTempDirectory("nats-test-");
    operator = TestOperator.create("test-operator");
    Path jwtDir = workDir.resolve("jwt");
    Files.createDirectories(jwtDir);
    Files.writeString(
        workDir.resolve("resolver.conf"),
        operator.resolverConfig(jwtDir).render(),
        StandardCharsets.UTF_8);
    server =
        NatsServerProcess.builder(workDir)
            .binary(binary)
            .serverName("test-nats")
            .debug(debug)
            .ringLines(debug ? 20_000 : 2000)
            .config("include resolver.conf\n")
            .start();
    system =
        SystemConnection.connect(List.of(server.url()), operator.systemUserCreds(), "test-system");
    resolver = new ResolverClient(system, 1, Duration.ofSeconds(2));
  }

  private void stop() {
    if (system != null) {
      closeQuietly(system);
      system = null;
    }
    if (server != null) {
      server.stop();
      server = null;
    }
    if (workDir != null) {
      deleteRecursively(workDir);
      workDir = null;
    }
  }

  /** nats://127.0.0.1:port of the running server. */
  public String url() {
    return running().url();
  }

  public NatsServerProcess server() {
    return running();
  }

  public TestOperator operator() {
    running();
    return operator;
  }

  public KeyPair operatorSigningKey() {
    return operator().signingKey();
  }

  public String systemUserCreds() {
    return operator().systemUserCreds();
  }

  /**
   * A resolver client over the shared system-user connection (one server expected, 2 s timeout).
   */
  public ResolverClient resolver() {
    running();
    return resolver;
  }

  public Connection systemConnection() {
    running();
    return system;
  }

  /** A unique account name per test run, so that log lines can be told apart. */
  public String uniqueName(String base) {
    return base + "-" + names.incrementAndGet();
  }

  /** Creates and pushes an account; fails unless the server acknowledged it. */
  public TestAccount createAccount(String name) {
    return createAccount(name, UnaryOperator.identity());
  }

  public TestAccount createAccount(String name, UnaryOperator<AccountClaims.Builder> customize) {
    return pushOrFail(operator().newAccount(name, customize));
  }

  /** Re-signs with changed claims and pushes; fails unless acknowledged. */
  public TestAccount updateAccount(
      TestAccount account, UnaryOperator<AccountClaims.Builder> change) {
    return pushOrFail(operator().update(account, change));
  }

  public PushResult push(String accountJwt) {
    return resolver().push(accountJwt);
  }

  private TestAccount pushOrFail(TestAccount account) {
    PushResult result = push(account.jwt());
    if (!result.allAcknowledged()) {
      throw new AssertionError("push of " + account + " was not acknowledged: " + result);
    }
    return account;
  }

  public String userCreds(TestAccount account, String userName) {
    return account.userCreds(userName);
  }

  /**
   * Options for a client of the test server: no reconnects (a dropped connection stays closed,
   * which is what tests of deletes and limits observe) and explicit no-responders errors.
   */
  public Options.Builder clientOptions(String creds) {
    return Options.builder()
        .server(url())
        .authHandler(Nats.staticCredentials(creds.getBytes(StandardCharsets.UTF_8)))
        .maxReconnects(0)
        .connectionTimeout(Duration.ofSeconds(5))
        .reportNoResponders();
  }

  /** Connects with the creds; the connection is closed after the test. */
  public Connection connect(String creds) throws IOException, InterruptedException {
    return connect(clientOptions(creds).build());
  }

  public Connection connect(String creds, ErrorListener errorListener)
      throws IOException, InterruptedException {
    return connect(clientOptions(creds).errorListener(errorListener).build());
  }

  public Connection connect(Options options) throws IOException, InterruptedException {
    Connection c = Nats.connect(options);
    synchronized (testConnections) {
      testConnections.add(c);
    }
    return c;
  }

  /**
   * Tries to connect with {@code creds} and returns the error the server sent (e.g. "Authorization
   * Violation", "maximum account active connections exceeded"); fails if the connection is
   * accepted.
   *
   * <p>jnats reports a refused CONNECT at once to the error listener but only gives up on the
   * connect call at its connection timeout, so the attempt runs in the background and we return as
   * soon as the server's error has arrived.
   */
  public String connectionRefusal(String creds) {
    List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    ErrorListener listener =
        new ErrorListener() {
          @Override
          public void errorOccurred(Connection conn, String error) {
            errors.add(error);
          }
        };
    Options options = clientOptions(creds).errorListener(listener).build();
    java.util.concurrent.CompletableFuture<Connection> attempt =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return Nats.connect(options);
              } catch (IOException e) {
                return null;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
              }
            });
    org.awaitility.Awaitility.await("server error or accepted connection")
        .atMost(Duration.ofSeconds(15))
        .until(() -> !errors.isEmpty() || attempt.isDone());
    Connection accepted = attempt.getNow(null);
    if (accepted != null) {
      closeQuietly(accepted);
      throw new AssertionError("the connection was accepted; errors seen: " + errors);
    }
    if (errors.isEmpty()) {
      throw new AssertionError("the connection failed without an error from the server");
    }
    return String.join("; ", errors);
  }

  private NatsServerProcess running() {
    if (server == null) {
      throw new IllegalStateException(
          "the NATS test server is not running (register the extension with "
              + "@RegisterExtension and use it inside a test)");
    }
    return server;
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
