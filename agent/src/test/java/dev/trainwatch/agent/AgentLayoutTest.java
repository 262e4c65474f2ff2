package dev.trainwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Differential: the agent's hand-made log line against Logback's own {@link PatternLayout} with the
 * pattern it replaces, for every level, with arguments, and with a stack trace.
 */
class AgentLayoutTest {
  private static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

  private final LoggerContext context = new LoggerContext();

  private LoggingEvent event(Level level, String logger, Throwable t, String msg, Object... args) {
    LoggingEvent e =
        new LoggingEvent(
            "fqcn", context.getLogger(logger), level, msg, t, args.length == 0 ? null : args);
    e.setTimeStamp(1_796_432_523_456L);
    return e;
  }

  private String both(LoggingEvent e) {
    PatternLayout trusted = new PatternLayout();
    trusted.setContext(context);
    trusted.setPattern(PATTERN);
    trusted.start();
    AgentLayout ours = new AgentLayout();
    ours.setContext(context);
    ours.start();
    String expected = trusted.doLayout(e);
    assertThat(ours.doLayout(e)).isEqualTo(expected);
    return expected;
  }

  @Test
  void linesAreThoseOfThePatternItReplaces() {
    for (Level level :
        new Level[] {Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR}) {
      both(event(level, "dev.trainwatch.agent.send.Delivery", null, "sent {} of {}", 3, "x"));
    }
    String root = both(event(Level.INFO, "ROOT", null, "plain"));
    assertThat(root).contains(" INFO  ROOT - plain");
  }

  @Test
  void aThrowableFollowsTheLineAsLogbackPrintsIt() {
    IOException cause = new IOException("disk full");
    String out =
        both(
            event(
                Level.ERROR,
                "dev.trainwatch.agent.Sampling",
                new IllegalStateException("spool", cause),
                "lost {}",
                1));
    assertThat(out)
        .contains("ERROR Sampling - lost 1")
        .contains("java.lang.IllegalStateException: spool")
        .contains("Caused by: java.io.IOException: disk full")
        .contains("\tat dev.trainwatch.agent.AgentLayoutTest");
  }
}
