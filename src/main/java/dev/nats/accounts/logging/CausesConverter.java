package dev.nats.accounts.logging;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code %causes}: an exception as " (Type: message; caused by Type: message)" on the same line, so
 * a text log stays one line per event; the full stack trace is in the JSON format ({@code
 * stack_trace}). Being a ThrowableHandlingConverter keeps logback from appending its multi-line
 * default.
 */
public final class CausesConverter extends ThrowableHandlingConverter {
  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy t = event.getThrowableProxy();
    if (t == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(" (");
    Set<IThrowableProxy> seen = new HashSet<>();
    boolean first = true;
    while (t != null && seen.add(t)) {
      if (!first) {
        out.append("; caused by ");
      }
      String type = t.getClassName().substring(t.getClassName().lastIndexOf('.') + 1);
      out.append(type);
      if (t.getMessage() != null) {
        out.append(": ").append(t.getMessage().replace('\n', ' '));
      }
      first = false;
      t = t.getCause();
    }
    return Seeds.mask(out.append(')').toString());
  }
}
