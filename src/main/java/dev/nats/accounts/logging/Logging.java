package dev.nats.accounts.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures logback in code rather than in logback.xml, because format and level come from
 * settings that may be flags as well as environment variables, and a setting that does not parse
 * must be reported before anything logs.
 */
public final class Logging {
  /**
   * fabric8 logs whole HTTP requests and responses at TRACE, Secret data (seeds, base64) included.
   * Held at INFO whatever LOG_LEVEL says: no level of logging may write a seed.
   */
  public static final String HTTP_BODY_LOGGER =
      "io.fabric8.kubernetes.client.http.HttpLoggingInterceptor";

  /**
   * The JDK HTTP client's frame-level debug output (reached through java.util.logging): tens of
   * thousands of lines per minute at DEBUG, and frames may carry headers (a bearer token) or
   * bodies. Held at INFO like the above.
   */
  public static final String JDK_HTTP_DEBUG_LOGGER = "jdk.internal.httpclient";

  /**
   * The MDC keys JOSDK sets around a reconcile that the JSON lines carry; uid and resourceVersion
   * are noise.
   */
  public static final List<String> MDC_KEYS =
      List.of(
          ResourceConverter.KIND,
          ResourceConverter.NAMESPACE,
          ResourceConverter.NAME,
          "resource.generation");

  private Logging() {}

  /** The operator's configuration: everything at {@code level}, to {@code out}. */
  public static void configure(LogFormat format, Level level, OutputStream out) {
    configure(format, level, out, Map.of());
  }

  /**
   * @param overrides levels for single loggers (the demo quiets libraries this way); applied after
   *     the defaults
   */
  public static synchronized void configure(
      LogFormat format, Level level, OutputStream out, Map<String, Level> overrides) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    // java.util.logging (jnats) into the same appender; the propagator keeps JUL's levels equal to
    // logback's so disabled JUL calls stay cheap.
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(ctx);
    propagator.setResetJUL(true);
    propagator.start();
    ctx.addListener(propagator);
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }

    Encoder<ILoggingEvent> encoder = format == LogFormat.JSON ? json(ctx) : text(ctx);
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(ctx);
    appender.setName(format.name().toLowerCase());
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.setImmediateFlush(true);
    appender.start();

    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(appender);
    Map<String, Level> levels = new LinkedHashMap<>();
    levels.put(HTTP_BODY_LOGGER, Level.INFO);
    levels.put(JDK_HTTP_DEBUG_LOGGER, Level.INFO);
    // "The client is using resource type ... with unstable version 'v1alpha1'": our API is v1alpha1
    // on purpose.
    levels.put("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", Level.ERROR);
    levels.putAll(overrides);
    levels.forEach((name, l) -> ctx.getLogger(name).setLevel(l));
  }

  /** Level names as LOG_LEVEL accepts them. */
  public static Level level(String name) {
    return switch (name.toLowerCase()) {
      case "error" -> Level.ERROR;
      case "warn", "warning" -> Level.WARN;
      case "info" -> Level.INFO;
      case "debug" -> Level.DEBUG;
      case "trace" -> Level.TRACE;
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static Encoder<ILoggingEvent> text(LoggerContext ctx) {
    PatternLayoutEncoder encoder =
        new PatternLayoutEncoder() {
          @Override
          public void start() {
            PatternLayout layout = new PatternLayout();
            layout.getInstanceConverterMap().put("resource", ResourceConverter::new);
            layout.getInstanceConverterMap().put("maskedMsg", MaskedMessageConverter::new);
            layout.getInstanceConverterMap().put("causes", CausesConverter::new);
            layout.setContext(getContext());
            layout.setPattern(getPattern());
            layout.start();
            this.layout = layout;
            super.started = true;
          }
        };
    encoder.setContext(ctx);
    encoder.setPattern(
        "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level %logger{0} - %resource%maskedMsg%causes%n");
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> json(LoggerContext ctx) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(ctx);
    LogstashFieldNames names = new LogstashFieldNames();
    names.setVersion("[ignore]");
    names.setLevelValue("[ignore]");
    encoder.setFieldNames(names);
    encoder.setIncludeMdcKeyNames(MDC_KEYS);
    ShortenedThrowableConverter stack = new ShortenedThrowableConverter();
    stack.setMaxDepthPerThrowable(40);
    stack.setRootCauseFirst(true);
    encoder.setThrowableConverter(stack);
    MaskingJsonGeneratorDecorator mask = new MaskingJsonGeneratorDecorator();
    mask.addValue(Seeds.PATTERN.pattern());
    mask.setDefaultMask(Seeds.MASK);
    mask.start();
    encoder.setJsonGeneratorDecorator(mask);
    encoder.start();
    return encoder;
  }
}
