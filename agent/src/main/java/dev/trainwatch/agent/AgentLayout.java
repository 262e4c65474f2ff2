package dev.trainwatch.agent;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The agent's log line, {@code 2026-12-05T01:02:03.456+01:00 WARN Delivery - message}, then the
 * stack trace if any: what the pattern {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}
 * - %msg%n} prints, without the pattern parser and its converters (about 80 classes that a per-host
 * daemon keeps in memory for its whole life; docs/benchmarks.md, "Agent").
 */
final class AgentLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

  @Override
  public String doLayout(ILoggingEvent e) {
    String logger = e.getLoggerName();
    StringBuilder b = new StringBuilder(128);
    TIME.formatTo(Instant.ofEpochMilli(e.getTimeStamp()), b);
    b.append(' ').append(e.getLevel().levelStr);
    for (int pad = 5 - e.getLevel().levelStr.length(); pad > 0; pad--) {
      b.append(' ');
    }
    b.append(' ')
        .append(logger, logger.lastIndexOf('.') + 1, logger.length())
        .append(" - ")
        .append(e.getFormattedMessage())
        .append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = e.getThrowableProxy();
    if (thrown != null) {
      b.append(ThrowableProxyUtil.asString(thrown)); // ends with its own line separator
    }
    return b.toString();
  }
}
