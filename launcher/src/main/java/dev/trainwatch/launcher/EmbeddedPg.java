package dev.trainwatch.launcher;

import dev.trainwatch.bus.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Postgres of default mode: data under {@code <data_dir>/pg} that survives restarts.
 * It listens on 127.0.0.1 only and, after its first start, takes only {@code scram-sha-256} logins
 * (TCP and unix socket alike) with a random password kept in {@code <data_dir>/pg-password} (mode
 * 0600): another user of a shared GPU box can no longer connect as superuser and rewrite token
 * hashes (issue 13). A lock file held for the life of the process tells a second {@code trainwatch
 * run} on the same data directory to stop, and lets us recognise a Postgres left running by a
 * process that was killed (no lock holder, live postmaster): that orphan is stopped before we start
 * our own.
 */
public final class EmbeddedPg implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPg.class);

  private final EmbeddedPostgres pg;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private EmbeddedPg(EmbeddedPostgres pg, String password, FileChannel lockChannel, FileLock lock) {
    this.pg = pg;
    this.password = password;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  static final String PASSWORD_FILE = "pg-password";
  private static final Pattern SAFE_PASSWORD = Pattern.compile("[A-Za-z0-9_-]{32,}");
  static final String HBA =
      """
      # Written by trainwatch at every start (EmbeddedPg): password logins only, loopback only.
      local all all scram-sha-256
      host  all all 127.0.0.1/32 scram-sha-256
      host  all all ::1/128 scram-sha-256
      """;

  private final String password;

  public static EmbeddedPg start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    FileChannel ch =
        FileChannel.open(
            dataDir.resolve("trainwatch.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock lock = ch.tryLock();
    if (lock == null) {
      ch.close();
      throw new ConfigException("data_dir", dataDir + " is in use by another running trainwatch");
    }
    try {
      Path pgData = dataDir.resolve("pg");
      stopOrphan(pgData);
      String password = password(dataDir, true);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              // Used by zonky's own readiness check too: after the first start, trust logins are
              // gone.
              .setConnectConfig("password", password)
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
      try {
        secure(pg, password, pgData);
      } catch (SQLException | IOException e) {
        pg.close();
        throw new IOException("could not set the embedded Postgres password: " + e.getMessage(), e);
      }
      return new EmbeddedPg(pg, password, ch, lock);
    } catch (IOException | RuntimeException e) {
      lock.release();
      ch.close();
      throw e;
    }
  }

  /**
   * The superuser's password, from {@code <data_dir>/pg-password}; with {@code create}, made (256
   * bits, owner-only file) when there is none yet.
   */
  static String password(Path dataDir, boolean create) throws IOException {
    Path f = dataDir.resolve(PASSWORD_FILE);
    if (!Files.exists(f)) {
      if (!create) {
        throw new IOException(f + " is missing: it holds the embedded Postgres password");
      }
      Path tmp = dataDir.resolve(PASSWORD_FILE + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, Tokens.secret(32) + "\n");
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
    }
    String pw = Files.readString(f).trim();
    if (!SAFE_PASSWORD.matcher(pw).matches()) {
      throw new IOException(
          f + " does not hold a password trainwatch wrote (32+ of A-Z a-z 0-9 _ -)");
    }
    return pw;
  }

  /**
   * Sets the password (scram-sha-256, Postgres's default encryption) and makes it the only way in.
   */
  private static void secure(EmbeddedPostgres pg, String password, Path pgData)
      throws SQLException, IOException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      // ALTER ROLE takes no bind parameters; the password matched SAFE_PASSWORD (no quote can
      // occur).
      st.execute("SET password_encryption = 'scram-sha-256'");
      st.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
      Path hba = pgData.resolve("pg_hba.conf");
      if (!Files.exists(hba) || !Files.readString(hba).equals(HBA)) {
        Files.writeString(hba, HBA);
        st.execute("SELECT pg_reload_conf()");
      }
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
    if (ph.isEmpty()
        || !ph.get().isAlive()
        || !ph.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
      return;
    }
    LOG.warn(
        "stopping Postgres (pid {}) left running by an earlier trainwatch on this data directory",
        pid);
    ph.get().destroy();
    try {
      ph.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("could not stop the orphaned Postgres pid " + pid, e);
    }
  }

  public int port() {
    return pg.getPort();
  }

  /** With the password: it is also what history's pool and the migrations connect with. */
  public String url() {
    return url(pg.getPort(), password);
  }

  static String url(int port, String password) {
    return "postgresql://postgres:" + password + "@127.0.0.1:" + port + "/postgres";
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
