package dev.trainwatch.launcher;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * The embedded Postgres of a data directory, on its own, in the foreground: what several cluster
 * nodes on one machine share ({@code scripts/run-cluster}), so that no node's death takes the
 * database with it. Nodes started with {@code --cluster} and no {@code pg.url} use it; {@code
 * register-server} and the other admin commands find it as they find a running embedded one. Stops
 * (keeping its data) on SIGINT or SIGTERM.
 */
@Command(
    name = "postgres",
    mixinStandardHelpOptions = true,
    description =
        "Run the data directory's embedded Postgres alone, for cluster nodes on this machine to share.")
public final class PostgresCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin ConfigOption configOption = new ConfigOption();

  @Override
  public Integer call() throws Exception {
    JsonObject config = configOption.loadOrReport();
    if (config == null) {
      return 2;
    }
    Path dataDir = DataDir.resolve(config.getString("data_dir"));
    EmbeddedPg pg;
    try {
      pg = EmbeddedPg.start(dataDir, config.getJsonObject("pg").getInteger("embedded_port"));
    } catch (ConfigException e) {
      System.err.println("trainwatch: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pg.close();
                  } catch (Exception e) {
                    System.err.println("trainwatch: stopping Postgres: " + e);
                  }
                  stopped.countDown();
                },
                "trainwatch-postgres-shutdown"));
    // The port only: the password stays in <data_dir>/pg-password, readable by this user alone.
    System.out.println("Postgres ready on 127.0.0.1:" + pg.port() + " for " + dataDir);
    System.out.flush();
    stopped.await();
    return 0;
  }
}
