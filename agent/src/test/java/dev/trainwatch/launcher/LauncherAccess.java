package dev.trainwatch.launcher;

import dev.trainwatch.bus.RegistryChange;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

/**
 * The agent's tests drive the real embedded stack as {@code trainwatch run} and {@code trainwatch
 * register-server} do; this reaches the launcher's package-private pieces from the test class path,
 * without widening its API.
 */
public final class LauncherAccess {
  private LauncherAccess() {}

  /** The server roles, without the local collector: only the agent under test reports. */
  public static final EnumSet<Role> SERVER =
      EnumSet.of(Role.INGEST, Role.RATES, Role.HISTORY, Role.GATEWAY);

  public static JsonObject config(Path dataDir, int port) {
    return ConfigLoader.load(
        null,
        Map.of(
            "TRAINWATCH_DATA_DIR", dataDir.toString(),
            "TRAINWATCH_HTTP_PORT", Integer.toString(port),
            "TRAINWATCH_RATES_NOMINAL_INTERVAL_MS", "500"));
  }

  /**
   * A running stack; {@link AutoCloseable#close} stops it (Postgres included) and keeps the data.
   */
  public static AutoCloseable start(JsonObject config) throws Exception {
    return RunCommand.Running.start(config, Role.expand(SERVER), false);
  }

  /**
   * {@code trainwatch register-server}: the token when one was issued (a new server, or {@code
   * rotate}), else null.
   *
   * @param active null leaves it as it is
   */
  public static String register(JsonObject config, String slug, boolean rotate, Boolean active)
      throws Exception {
    String token = Tokens.generate();
    try (AdminDb db = AdminDb.open(config)) {
      var r =
          AdminDb.await(
              db.registry()
                  .apply(
                      new RegistryChange(
                          RegistryChange.Mode.UPSERT,
                          slug,
                          null,
                          Tokens.sha256(token),
                          Tokens.prefix(token),
                          rotate,
                          active)));
      return r.tokenSet() ? token : null;
    }
  }

  /** A reader API token for the dashboard API, made as `trainwatch api-token create` makes one. */
  public static String readerToken(JsonObject config) throws Exception {
    String token = Tokens.generate(Tokens.API);
    try (AdminDb db = AdminDb.open(config)) {
      AdminDb.await(
          db.access()
              .create(
                  Tokens.prefix(token),
                  "agent tests " + Tokens.prefix(token),
                  "reader",
                  Tokens.sha256(token),
                  "test"));
    }
    return token;
  }

  /** The embedded Postgres's superuser password (scram-only since issue 13). */
  public static String pgPassword(Path dataDir) throws Exception {
    return EmbeddedPg.password(dataDir, false);
  }

  /** The embedded Postgres's JDBC URL, from its pid file (it must be running). */
  public static String jdbcUrl(Path dataDir) throws Exception {
    int port =
        Integer.parseInt(
            Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).get(3).trim());
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }
}
