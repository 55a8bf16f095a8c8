package dev.nats.accounts.cli;

/**
 * Gives the JVM's common fork-join pool at least two threads. With one (the JDK's default on two
 * CPUs or fewer: processors minus one), {@code CompletableFuture}'s async steps without an executor
 * each start a new thread, and the JDK HTTP client the Kubernetes client uses takes that path for
 * every response body: 31,137 threads started while 1,000 tenants converged in {@code bench/scale},
 * and 10% more of the operator's CPU than with a pool of two (bench/README.md). It must be set
 * before the pool's first use, so it is the first thing {@link Main} does; a value given on the
 * command line stays.
 */
final class CommonPool {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  static void configure() {
    String value =
        parallelism(System.getProperty(PARALLELISM), Runtime.getRuntime().availableProcessors());
    if (value != null) {
      System.setProperty(PARALLELISM, value);
    }
  }

  /** The value to set, or null to leave the property as it is (given, or enough processors). */
  static String parallelism(String given, int processors) {
    if (given != null || processors - 1 >= 2) {
      return null;
    }
    return "2";
  }
}
