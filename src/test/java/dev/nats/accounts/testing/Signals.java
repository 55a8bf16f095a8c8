package dev.nats.accounts.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** POSIX signals to child processes: SIGSTOP holds a nats-server mid-request, SIGCONT lets go. */
public final class Signals {
  private Signals() {}

  public static void send(String name, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertEquals(0, p.waitFor(), "kill -" + name + " " + pid);
  }
}
