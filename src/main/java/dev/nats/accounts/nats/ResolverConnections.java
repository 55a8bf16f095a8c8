package dev.nats.accounts.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One system-user connection per Operator resource, shared by every reconciler that pushes.
 *
 * <p>Connections are opened asynchronously so a reconciler never blocks on a server that is not up
 * yet (the local demo starts nats-server only after the operator wrote its config). Every
 * (re)connect bumps an epoch and notifies a listener: a restarted server may have lost pushes, so
 * the accounts of that operator are re-checked for drift.
 */
public final class ResolverConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResolverConnections.class);

  /** Identifies an Operator resource. */
  public record Key(String namespace, String name) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  /** A live (or connecting) connection and the resolver client over it. */
  public static final class Entry {
    private final List<String> urls;
    private final int credsHash;
    private final Duration timeout;
    private final AtomicReference<Connection> connection = new AtomicReference<>();
    private final AtomicLong epoch = new AtomicLong();
    private volatile String lastError;
    private final long createdNanos = System.nanoTime();

    Entry(List<String> urls, int credsHash, Duration timeout) {
      this.urls = List.copyOf(urls);
      this.credsHash = credsHash;
      this.timeout = timeout;
    }

    /**
     * True while the first connection attempt of this entry is young and has neither succeeded nor
     * failed: the state of every Operator right after the operator process starts, which is no news
     * worth a status write.
     */
    public boolean firstAttemptInFlight(Duration grace) {
      return epoch.get() == 0
          && lastError == null
          && System.nanoTime() - createdNanos < grace.toNanos();
    }

    public boolean connected() {
      Connection c = connection.get();
      return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** A resolver client, when connected. */
    public Optional<ResolverClient> client() {
      Connection c = connection.get();
      if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
        return Optional.empty();
      }
      return Optional.of(new ResolverClient(c, urls.size(), timeout));
    }

    /**
     * Grows on every connect and reconnect; pushes confirmed under an older epoch are re-checked.
     */
    public long epoch() {
      return epoch.get();
    }

    public Optional<Connection> connection() {
      return Optional.ofNullable(connection.get());
    }

    public List<String> urls() {
      return urls;
    }

    public String lastError() {
      return lastError;
    }

    void close() {
      Connection c = connection.getAndSet(null);
      if (c != null) {
        try {
          c.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final Consumer<Key> onConnected;

  /**
   * @param onConnected called after every connect or reconnect of an operator's connection
   */
  public ResolverConnections(Consumer<Key> onConnected) {
    this.onConnected = Objects.requireNonNull(onConnected);
  }

  /**
   * Returns the entry for {@code key}, (re)opening the connection when the servers or the system
   * user's creds changed. Never blocks on the network.
   */
  public Entry ensure(Key key, List<String> urls, String credsText, Duration timeout) {
    int credsHash = credsText.hashCode();
    Entry current = entries.get(key);
    if (current != null && current.urls.equals(urls) && current.credsHash == credsHash) {
      return current;
    }
    Entry fresh = new Entry(urls, credsHash, timeout);
    Entry previous = entries.put(key, fresh);
    if (previous != null) {
      previous.close();
    }
    ConnectionListener listener =
        (conn, event) -> {
          switch (event) {
            case CONNECTED, RECONNECTED -> {
              if (entries.get(key) != fresh) {
                closeQuietly(conn); // superseded while connecting
                return;
              }
              fresh.connection.set(conn);
              fresh.epoch.incrementAndGet();
              fresh.lastError = null;
              LOG.info("operator {}: connected to {}", key, conn.getConnectedUrl());
              onConnected.accept(key);
            }
            case DISCONNECTED -> LOG.info("operator {}: disconnected", key);
            default -> {}
          }
        };
    Options options =
        SystemConnection.builder(urls, credsText, "nats-account-operator " + key, null)
            .connectionListener(listener)
            .build();
    try {
      Nats.connectAsynchronously(options, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fresh.lastError = e.getMessage();
    }
    return fresh;
  }

  public Optional<Entry> get(Key key) {
    return Optional.ofNullable(entries.get(key));
  }

  public void remove(Key key) {
    Entry e = entries.remove(key);
    if (e != null) {
      e.close();
    }
  }

  @Override
  public void close() {
    entries.keySet().forEach(this::remove);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
