package dev.trainwatch.agent;

import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's threads, and what happens when one of them dies of something no code path expected
 * (an {@code Error}, a bug): the agent logs it and exits with {@link #EXIT_CRASHED}, so that its
 * service manager ({@code Restart=on-failure}) starts a new one. A sampler or sender that stopped
 * silently while the process lived on would be worse: a host that looks monitored and is not.
 * Halting loses nothing: every sample is in the spool's files before it is sent, and the cursor
 * only ever lags (what it missed is sent again and answered as duplicates).
 */
final class AgentThreads {
  private static final Logger LOG = LoggerFactory.getLogger(AgentThreads.class);

  /** {@code EX_SOFTWARE} of sysexits.h. */
  static final int EXIT_CRASHED = 70;

  private AgentThreads() {}

  /** Daemon threads named {@code name}, which take the agent down if they die. */
  static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> die(thread.getName(), e));
      return t;
    };
  }

  /** For tasks of an executor, whose exceptions would otherwise end quietly in a future. */
  static Runnable orDie(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable e) {
        die(what, e);
      }
    };
  }

  private static void die(String where, Throwable e) {
    LOG.error(
        "{} failed unexpectedly; the agent exits with {} so that its service manager starts it again "
            + "(nothing spooled is lost)",
        where,
        EXIT_CRASHED,
        e);
    Runtime.getRuntime().halt(EXIT_CRASHED);
  }
}
