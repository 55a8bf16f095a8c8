package dev.nats.accounts.app;

import dev.nats.accounts.demo.Demo;
import dev.nats.accounts.demo.DemoLogging;
import dev.nats.accounts.demo.DemoOptions;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.nats.NatsServerException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar nats-account-operator.jar [run|demo ...]}. {@code run} (the default) is what
 * the Deployment starts; {@code demo} is the local, cluster-free tour.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
    String command = args.length == 0 ? "run" : args[0];
    int code;
    try {
      code =
          switch (command) {
            case "run" -> run();
            case "demo" -> {
              DemoLogging.quiet();
              yield new Demo(DemoOptions.parse(rest), System.out).run();
            }
            case "-h", "--help", "help" -> {
              System.out.println("usage: nats-account-operator [run | demo [options]]\n" + DemoOptions.usage());
              yield 0;
            }
            default -> {
              System.err.println("unknown command '" + command + "'; use run or demo");
              yield 2;
            }
          };
    } catch (DemoOptions.UsageException e) {
      System.err.println(e.getMessage());
      code = 2;
    } catch (NatsServerException e) {
      // e.g. nats-server is not installed: the message names the install command, a stack trace would bury it
      System.err.println(command + ": " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  private static int run() throws InterruptedException {
    OperatorSettings settings = OperatorSettings.fromEnv(System.getenv());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    OperatorApp app = OperatorApp.start(client, settings, new OperatorMetrics(registry));
    HealthServer health = settings.metricsPort() > 0 ? HealthServer.start(settings.metricsPort(), registry, app) : null;
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (health != null) {
                    health.stop();
                  }
                  app.close();
                  client.close();
                  stop.countDown();
                }));
    stop.await();
    return 0;
  }
}
