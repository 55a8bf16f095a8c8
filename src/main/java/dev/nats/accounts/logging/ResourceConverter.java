package dev.nats.accounts.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/**
 * {@code %resource}: "[Account tenant-a/orders] " while a reconcile runs, nothing otherwise. JOSDK
 * puts the resource into the MDC around every reconcile and cleanup (keys below), so no reconciler
 * has to repeat it.
 */
public final class ResourceConverter extends ClassicConverter {
  public static final String KIND = "resource.kind";
  public static final String NAMESPACE = "resource.namespace";
  public static final String NAME = "resource.name";

  @Override
  public String convert(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    String name = mdc.get(NAME);
    if (name == null) {
      return "";
    }
    String ns = mdc.get(NAMESPACE);
    String kind = mdc.getOrDefault(KIND, "?");
    return "[" + kind + " " + (ns == null || ns.isEmpty() ? "" : ns + "/") + name + "] ";
  }
}
