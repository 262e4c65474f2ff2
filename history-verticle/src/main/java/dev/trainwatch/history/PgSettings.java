package dev.trainwatch.history;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One Postgres location, parsed once from a {@code postgresql://user:password@host:port/db} URL and
 * handed to both clients that need it: the reactive pool (queries) and JDBC (Flyway migrations,
 * which have no reactive driver).
 */
public record PgSettings(String host, int port, String database, String user, String password) {

  public static PgSettings fromUrl(String url) {
    URI u;
    try {
      u = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a postgresql:// URL");
    }
    if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme())) {
      throw new IllegalArgumentException("must start with postgresql://");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("has no host");
    }
    String user = "postgres";
    String password = null;
    if (u.getRawUserInfo() != null) {
      String[] up = u.getRawUserInfo().split(":", 2);
      user = decode(up[0]);
      password = up.length > 1 ? decode(up[1]) : null;
    }
    String db =
        u.getPath() == null || u.getPath().length() <= 1 ? "postgres" : u.getPath().substring(1);
    return new PgSettings(u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(), db, user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions o =
        new PgConnectOptions()
            .setHost(host)
            .setPort(port)
            .setDatabase(database)
            .setUser(user)
            .setCachePreparedStatements(true)
            .setPipeliningLimit(16);
    return password == null ? o : o.setPassword(password);
  }

  /** For logs: never the password. */
  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }
}
