package dev.nats.accounts.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain (non-operator) servers: the process handling itself, independent of JWTs. */
class NatsServerProcessTest {

  @TempDir Path dir;

  @Test
  void startsOnAFreeLoopbackPortAndServesClients() throws Exception {
    try (NatsServerProcess server =
            NatsServerProcess.builder(dir.resolve("a")).serverName("t1").start();
        Connection nc = Nats.connect(server.url())) {
      assertTrue(server.url().startsWith("nats://127.0.0.1:"));
      assertEquals("nats://127.0.0.1:" + server.port(), server.url());
      assertEquals("t1", nc.getServerInfo().getServerName());
      Subscription sub = nc.subscribe("ping");
      nc.publish("ping", "x".getBytes(StandardCharsets.UTF_8));
      Message m = sub.nextMessage(Duration.ofSeconds(5));
      assertEquals("x", new String(m.getData(), StandardCharsets.UTF_8));
      assertTrue(server.logTail().contains(NatsServerProcess.READY_LINE), server.logTail());
      assertTrue(Files.readString(server.logFile()).contains(NatsServerProcess.READY_LINE));
    }
  }

  @Test
  void twoServersGetDifferentPorts() {
    try (NatsServerProcess a = NatsServerProcess.start(dir.resolve("a"), "");
        NatsServerProcess b = NatsServerProcess.start(dir.resolve("b"), "")) {
      assertNotEquals(a.port(), b.port());
    }
  }

  @Test
  void stopEndsTheProcess() {
    NatsServerProcess server = NatsServerProcess.start(dir, "");
    assertTrue(server.isAlive());
    server.stop();
    assertFalse(server.isAlive());
    server.stop(); // idempotent
  }

  @Test
  void aBrokenConfigFailsWithTheLogTail() {
    NatsServerException e =
        assertThrows(
            NatsServerException.class,
            () -> NatsServerProcess.start(dir, "this is { not a valid config"));
    assertTrue(e.getMessage().contains("before it was ready"), e.getMessage());
    assertTrue(e.getMessage().contains("Parse error"), e.getMessage());
  }

  @Test
  void aPortTakenMeanwhileIsRetriedOnAnotherPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int takenPort = taken.getLocalPort();
      AtomicInteger calls = new AtomicInteger();
      IntSupplier ports =
          () -> calls.getAndIncrement() == 0 ? takenPort : NatsServerProcess.freeLoopbackPort();
      try (NatsServerProcess s = NatsServerProcess.builder(dir).portSupplier(ports).start()) {
        assertEquals(2, calls.get());
        assertNotEquals(takenPort, s.port());
        assertTrue(s.isAlive());
      }
    }
  }

  @Test
  void debugFlagShowsDebugLines() {
    try (NatsServerProcess server = NatsServerProcess.builder(dir).debug(true).start()) {
      assertTrue(server.logLines().stream().anyMatch(l -> l.contains("[DBG]")), server.logTail());
    }
  }

  @Test
  void missingBinaryNamesTheInstallCommand() {
    assertEquals(Optional.empty(), NatsServerProcess.findBinary(List.of(dir.resolve("nope"))));
    NatsServerException missing =
        assertThrows(
            NatsServerException.class,
            () -> NatsServerProcess.requireBinary(List.of(dir.resolve("nope"))));
    assertTrue(
        missing.getMessage().contains("apt-get install -y nats-server"), missing.getMessage());
    NatsServerException e =
        assertThrows(
            NatsServerException.class,
            () -> NatsServerProcess.builder(dir).binary(dir.resolve("nope")).start());
    assertTrue(e.getMessage().contains("cannot start"), e.getMessage());
    assertTrue(NatsServerProcess.findBinary().toString().endsWith("nats-server"));
  }

  @Test
  void ringKeepsOnlyTheNewestLines() {
    NatsServerProcess.LogRing ring = new NatsServerProcess.LogRing(3);
    for (int i = 1; i <= 5; i++) {
      ring.add("l" + i);
    }
    assertEquals(List.of("l3", "l4", "l5"), ring.snapshot());
    assertEquals("l4\nl5\n", ring.tail(2));
  }
}
