package dev.trainwatch.launcher;

import dev.trainwatch.history.Migrations;
import dev.trainwatch.history.PgSettings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * A JDBC connection for the admin commands: to {@code pg.url} when set; in embedded mode to the Postgres of a running
 * {@code trainwatch run} on the same data directory (its port is in {@code postmaster.pid}), or, when none runs, to
 * an embedded Postgres started just for this command.
 */
final class AdminDb implements AutoCloseable {
  private final Connection connection;
  private final EmbeddedPg ownPg;

  private AdminDb(Connection connection, EmbeddedPg ownPg) {
    this.connection = connection;
    this.ownPg = ownPg;
  }

  static AdminDb open(JsonObject config) throws Exception {
    String url = config.getJsonObject("pg").getString("url");
    EmbeddedPg own = null;
    if (url == null) {
      Path dataDir = DataDir.resolve(config.getString("data_dir"));
      Integer port = runningPort(dataDir.resolve("pg"));
      if (port != null) {
        url = "postgresql://postgres@127.0.0.1:" + port + "/postgres";
      } else {
        own = EmbeddedPg.start(dataDir, 0);
        url = own.url();
      }
    }
    PgSettings pg = PgSettings.fromUrl(url);
    try {
      Migrations.apply(pg);
      return new AdminDb(DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()), own);
    } catch (SQLException | RuntimeException e) {
      if (own != null) {
        own.close();
      }
      throw e;
    }
  }

  /** The port of a live postmaster on {@code pgData}, or null. Line 4 of postmaster.pid is the port. */
  static Integer runningPort(Path pgData) throws java.io.IOException {
    Path pid = pgData.resolve("postmaster.pid");
    if (!Files.exists(pid)) {
      return null;
    }
    List<String> lines = Files.readAllLines(pid);
    if (lines.size() < 4) {
      return null;
    }
    try {
      long p = Long.parseLong(lines.get(0).trim());
      if (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)) {
        return Integer.parseInt(lines.get(3).trim());
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }

  Connection connection() {
    return connection;
  }

  @Override
  public void close() throws Exception {
    try {
      connection.close();
    } finally {
      if (ownPg != null) {
        ownPg.close();
      }
    }
  }
}
