package dev.trainwatch.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Postgres of default mode: data under {@code <data_dir>/pg} that survives restarts. A lock file held
 * for the life of the process tells a second {@code trainwatch run} on the same data directory to stop, and lets us
 * recognise a Postgres left running by a process that was killed (no lock holder, live postmaster): that orphan is
 * stopped before we start our own.
 */
public final class EmbeddedPg implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPg.class);

  private final EmbeddedPostgres pg;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private EmbeddedPg(EmbeddedPostgres pg, FileChannel lockChannel, FileLock lock) {
    this.pg = pg;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  public static EmbeddedPg start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    FileChannel ch = FileChannel.open(dataDir.resolve("trainwatch.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock = ch.tryLock();
    if (lock == null) {
      ch.close();
      throw new ConfigException("data_dir", dataDir + " is in use by another running trainwatch");
    }
    try {
      Path pgData = dataDir.resolve("pg");
      stopOrphan(pgData);
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          .setPort(port == 0 ? 0 : port)
          .setPGStartupWait(Duration.ofSeconds(60))
          // zonky turns durability off for tests; a product keeps its data through a power cut.
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on")
          .setServerConfig("listen_addresses", "127.0.0.1")
          .start();
      return new EmbeddedPg(pg, ch, lock);
    } catch (IOException | RuntimeException e) {
      lock.release();
      ch.close();
      throw e;
    }
  }

  /** A postmaster whose pid file is in our data directory but whose parent trainwatch is gone. */
  private static void stopOrphan(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> ph = ProcessHandle.of(pid);
    if (ph.isEmpty() || !ph.get().isAlive()
        || !ph.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
      return;
    }
    LOG.warn("stopping Postgres (pid {}) left running by an earlier trainwatch on this data directory", pid);
    ph.get().destroy();
    try {
      ph.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("could not stop the orphaned Postgres pid " + pid, e);
    }
  }

  public int port() {
    return pg.getPort();
  }

  /** zonky's server trusts local connections for the {@code postgres} user. */
  public String url() {
    return "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres";
  }

  @Override
  public void close() throws IOException {
    try {
      pg.close();
    } finally {
      lock.release();
      lockChannel.close();
    }
  }
}
