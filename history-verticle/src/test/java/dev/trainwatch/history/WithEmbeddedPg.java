package dev.trainwatch.history;

import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One real embedded Postgres per test class, and the history config pointing at it. */
public abstract class WithEmbeddedPg {
  public static EmbeddedPostgres pg;

  @BeforeAll
  public static void startPg() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  public static void stopPg() throws Exception {
    pg.close();
  }

  public static String url(int port) {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  /** The verticle's config with short flushes, so tests are not waiting on batching. */
  public static JsonObject historyConfig() {
    return new JsonObject().put("pg_url", url(pg.getPort())).put("flush_ms", 0);
  }
}
