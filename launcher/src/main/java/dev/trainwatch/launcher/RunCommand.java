package dev.trainwatch.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts the roles asked for; with no Postgres URL and the history role, an embedded Postgres too.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run Trainwatch (default: every role, embedded).")
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  // ':' too: a systemd instance name (trainwatch@ingest:rates.service) cannot hold a comma.
  @Option(
      names = "--role",
      split = "[,:]",
      converter = RoleConverter.class,
      paramLabel = "ROLE",
      description =
          "all (default), collector, ingest, rates, history, alerts, gateway; repeat, or separate with ',' or ':'.")
  List<Role> roles = List.of();

  @Option(
      names = "--cluster",
      description = "Join the clustered event bus (Hazelcast; see cluster.* settings).")
  boolean cluster;

  @picocli.CommandLine.Mixin ConfigOption configOption = new ConfigOption();

  static final class RoleConverter implements picocli.CommandLine.ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      return Role.parse(value);
    }
  }

  @Override
  public Integer call() throws Exception {
    JsonObject config = configOption.loadOrReport();
    if (config == null) {
      return 2;
    }
    Set<Role> expanded =
        Role.expand(roles.isEmpty() ? EnumSet.of(Role.ALL) : EnumSet.copyOf(roles));
    Running running;
    try {
      if (expanded.contains(Role.GATEWAY)) {
        AccessChecks.exposure(config);
      }
      running = Running.start(config, expanded, cluster);
    } catch (ConfigException e) {
      System.err.println("trainwatch: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Path dataDir = DataDir.resolve(config.getString("data_dir"));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LoginUrl.forget(dataDir);
                  running.close();
                  stopped.countDown();
                },
                "trainwatch-shutdown"));
    if (running.httpPort() > 0) {
      String base = LoginUrl.base(config, running.httpPort());
      LoginUrl.remember(dataDir, base);
      // Each on its own line so scripts and people can pick them out.
      System.out.println("Trainwatch dashboard: " + base + "/");
      if ("local".equals(config.getJsonObject("auth").getString("mode"))) {
        try {
          System.out.println(
              "Sign in (one-time link):"
                  + System.lineSeparator()
                  + LoginUrl.mint(running.vertx(), config, base).await(15, TimeUnit.SECONDS));
        } catch (Exception e) {
          System.out.println(
              "No sign-in link yet (" + e.getMessage() + "); run `trainwatch login-url` for one.");
        }
      }
      System.out.flush();
    }
    // Also for a node running ingest without the gateway (scaled mode): its listener is all it
    // serves.
    if (running.ingestPort() > 0) {
      System.out.println(
          "Agents send to: " + LoginUrl.ingestBase(config, running.ingestPort()) + "/");
      System.out.flush();
    }
    stopped.await();
    return 0;
  }

  /** Everything one {@code run} owns, closed in reverse order of start. */
  static final class Running implements AutoCloseable {
    private final EmbeddedPg pg;
    private final Vertx vertx;
    private final Stack stack;

    private Running(EmbeddedPg pg, Vertx vertx, Stack stack) {
      this.pg = pg;
      this.vertx = vertx;
      this.stack = stack;
    }

    static Running start(JsonObject config, Set<Role> roles, boolean cluster) throws Exception {
      EmbeddedPg pg = null;
      String pgUrl = config.getJsonObject("pg").getString("url");
      if (pgUrl == null
          && cluster
          && (roles.contains(Role.HISTORY) || roles.contains(Role.ALERTS))) {
        pgUrl = sharedPostgres(DataDir.resolve(config.getString("data_dir")));
      }
      if (roles.contains(Role.HISTORY) && pgUrl == null) {
        Path dataDir = DataDir.resolve(config.getString("data_dir"));
        long t0 = System.nanoTime();
        pg = EmbeddedPg.start(dataDir, config.getJsonObject("pg").getInteger("embedded_port"));
        pgUrl = pg.url();
        LOG.info(
            "embedded Postgres on port {} with data in {} ({} ms)",
            pg.port(),
            dataDir.resolve("pg"),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      }
      Vertx vertx = null;
      try {
        vertx =
            cluster
                ? ClusterSetup.clusteredVertx(
                    config.getJsonObject("cluster"), SelfMetrics.install())
                : SelfMetrics.install().build();
        Stack stack = Stack.deploy(vertx, config, roles, pgUrl).await(120, TimeUnit.SECONDS);
        return new Running(pg, vertx, stack);
      } catch (Exception e) {
        if (vertx != null) {
          vertx.close().await(30, TimeUnit.SECONDS);
        }
        if (pg != null) {
          pg.close();
        }
        throw e;
      }
    }

    /**
     * A cluster node on the same machine as the data directory's running embedded Postgres
     * (`trainwatch postgres`, or another node's) shares it instead of refusing the directory. Null
     * when none runs: this node starts it.
     */
    private static String sharedPostgres(Path dataDir) throws IOException {
      String url = AdminDb.runningUrl(dataDir);
      if (url != null) {
        LOG.info("sharing the embedded Postgres already running for {}", dataDir);
      }
      return url;
    }

    int httpPort() {
      return stack.httpPort();
    }

    int ingestPort() {
      return stack.ingestPort();
    }

    Vertx vertx() {
      return vertx;
    }

    @Override
    public void close() {
      try {
        stack.undeploy().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("undeploy: {}", e.toString());
      }
      try {
        vertx.close().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("closing Vert.x: {}", e.toString());
      }
      if (pg != null) {
        try {
          pg.close();
          LOG.info("embedded Postgres stopped; data kept");
        } catch (Exception e) {
          LOG.warn("stopping embedded Postgres: {}", e.toString());
        }
      }
    }
  }
}
