package dev.trainwatch.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The agent's Logback set-up, in code rather than {@code logback.xml}: the XML configurator loads
 * about 600 classes (Joran and the JDK's XML parser), a measurable share of a per-host daemon's
 * memory, and the line is {@link AgentLayout}'s rather than a parsed pattern's. Everything goes to
 * stderr (journald keeps it under systemd; a one-shot run keeps stdout for its result). Found
 * through {@code META-INF/services}; {@code -Dlogback.configurationFile} still wins for whoever
 * wants a file.
 */
public final class AgentLogging extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    AgentLayout layout = new AgentLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stderr);
    // Libraries speak only when something is wrong.
    context.getLogger("oshi").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
