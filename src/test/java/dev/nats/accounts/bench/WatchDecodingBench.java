package dev.nats.accounts.bench;

import dev.nats.accounts.app.BundledCrds;
import dev.nats.accounts.informers.WatchEventSerialization;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU per watch event decoded: fabric8's path as its watch runs it (the event into a tree, the tree
 * into an object, that converted into the watched class when it is not of it) against the
 * operator's one pass ({@link WatchEventSerialization}). One thread, rounds of each path
 * interleaved after a warm-up, so that load which changes during the run hits both alike; thread
 * CPU time, medians. Run by {@code bench/run-watch-decoding.sh}; not part of {@code mvn verify}.
 *
 * <p>Arguments: a directory of events as kube-apiserver writes them, one JSON file each.
 */
public final class WatchDecodingBench {
  private static final int WARM_UP_ROUNDS = 10;
  private static final int ROUNDS = 15;
  private static final int EVENTS_PER_ROUND = 20_000;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();
  private static final WatchEventSerialization ONE_PASS =
      new WatchEventSerialization(BundledCrds.KINDS);

  private WatchDecodingBench() {}

  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> listed = Files.list(Path.of(args[0]))) {
      files = listed.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (Path file : files) {
      String json = Files.readString(file).trim();
      Class<?> watched = ONE_PASS.unmarshal(json, WatchEvent.class).getObject().getClass();
      String name = file.getFileName().toString().replace(".json", "");
      if (!sameBothWays(json, watched)) {
        System.out.printf("FAIL: %s reads as different objects on the two paths%n", name);
        System.exit(1);
      }
      System.out.printf(
          "%s: %d bytes, read as %s, the same object both ways%n",
          name, json.length(), watched.getSimpleName());
      for (int i = 0; i < WARM_UP_ROUNDS; i++) {
        fabric8Round(json, watched);
        onePassRound(json);
      }
      double[] fabric8 = new double[ROUNDS];
      double[] onePass = new double[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        fabric8[i] = fabric8Round(json, watched);
        onePass[i] = onePassRound(json);
      }
      double f = median(fabric8);
      double o = median(onePass);
      System.out.printf(
          "%s_fabric8_us_per_event=%.2f (rounds %.2f..%.2f)%n",
          name, f, min(fabric8), max(fabric8));
      System.out.printf(
          "%s_one_pass_us_per_event=%.2f (rounds %.2f..%.2f)%n",
          name, o, min(onePass), max(onePass));
      System.out.printf("%s_one_pass_over_fabric8=%.2f%n", name, o / f);
    }
  }

  /** Microseconds of this thread's CPU per event, fabric8's path. */
  private static double fabric8Round(String json, Class<?> watched) {
    long start = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < EVENTS_PER_ROUND; i++) {
      Object object = FABRIC8.unmarshal(json, WatchEvent.class).getObject();
      if (!watched.isInstance(object)) {
        object = FABRIC8.convertValue(object, watched);
      }
      sink(object);
    }
    return (THREADS.getCurrentThreadCpuTime() - start) / 1e3 / EVENTS_PER_ROUND;
  }

  private static double onePassRound(String json) {
    long start = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < EVENTS_PER_ROUND; i++) {
      sink(ONE_PASS.unmarshal(json, WatchEvent.class).getObject());
    }
    return (THREADS.getCurrentThreadCpuTime() - start) / 1e3 / EVENTS_PER_ROUND;
  }

  /** Both paths give the same object, managed fields aside (the caches drop them). */
  private static boolean sameBothWays(String json, Class<?> watched) {
    Object slow =
        FABRIC8.convertValue(FABRIC8.unmarshal(json, WatchEvent.class).getObject(), watched);
    Object fast = ONE_PASS.unmarshal(json, WatchEvent.class).getObject();
    ((HasMetadata) slow).getMetadata().setManagedFields(null);
    ((HasMetadata) fast).getMetadata().setManagedFields(null);
    return FABRIC8.asJson(slow).equals(FABRIC8.asJson(fast));
  }

  private static int sunk;

  /** Keeps the JIT from dropping a decode whose result nothing reads. */
  private static void sink(Object o) {
    sunk += System.identityHashCode(o) & 1;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }
}
