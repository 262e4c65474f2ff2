package dev.trainwatch.launcher;

import dev.trainwatch.history.Migrations;
import dev.trainwatch.history.PgSettings;
import dev.trainwatch.history.registry.AccessStore;
import dev.trainwatch.history.registry.RegistryStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The database for the admin commands: {@code pg.url} when set; in embedded mode the Postgres of a
 * running {@code trainwatch run} on the same data directory (its port is in {@code
 * postmaster.pid}), or, when none runs, an embedded Postgres started just for this command.
 * Migrations run first (JDBC, Flyway); the changes themselves go through history's {@link
 * RegistryStore} and {@link AccessStore}, the same code the running server uses.
 */
final class AdminDb implements AutoCloseable {
  private final Vertx vertx;
  private final Pool pool;
  private final EmbeddedPg ownPg;

  private AdminDb(Vertx vertx, Pool pool, EmbeddedPg ownPg) {
    this.vertx = vertx;
    this.pool = pool;
    this.ownPg = ownPg;
  }

  static AdminDb open(JsonObject config) throws Exception {
    String url = config.getJsonObject("pg").getString("url");
    EmbeddedPg own = null;
    if (url == null) {
      Path dataDir = DataDir.resolve(config.getString("data_dir"));
      url = runningUrl(dataDir);
      if (url == null) {
        own = EmbeddedPg.start(dataDir, 0);
        url = own.url();
      }
    }
    PgSettings pg = PgSettings.fromUrl(url);
    try {
      Migrations.apply(pg);
      Vertx vertx = Vertx.vertx();
      Pool pool =
          PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(1))
              .connectingTo(pg.connectOptions())
              .using(vertx)
              .build();
      return new AdminDb(vertx, pool, own);
    } catch (RuntimeException e) {
      if (own != null) {
        own.close();
      }
      throw e;
    }
  }

  /**
   * The URL (with the password) of the data directory's embedded Postgres if one is running now,
   * else null.
   */
  static String runningUrl(Path dataDir) throws IOException {
    Integer port = runningPort(dataDir.resolve("pg"));
    return port == null ? null : EmbeddedPg.url(port, EmbeddedPg.password(dataDir, false));
  }

  /**
   * The port of a live postmaster on {@code pgData}, or null. Line 4 of postmaster.pid is the port.
   */
  static Integer runningPort(Path pgData) throws IOException {
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

  RegistryStore registry() {
    return new RegistryStore(pool);
  }

  AccessStore access() {
    return new AccessStore(pool);
  }

  /** Waits for a store call: these commands are short-lived and sequential. */
  static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      pool.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    } finally {
      if (ownPg != null) {
        ownPg.close();
      }
    }
  }
}
