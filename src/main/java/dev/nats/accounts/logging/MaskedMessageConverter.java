package dev.nats.accounts.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %maskedMsg}: the formatted message with anything shaped like a seed replaced. */
public final class MaskedMessageConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Seeds.mask(event.getFormattedMessage());
  }
}
