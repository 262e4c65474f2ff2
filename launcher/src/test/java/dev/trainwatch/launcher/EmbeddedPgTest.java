package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: the embedded Postgres is no longer open to every local user. A random password in an
 * owner-only file, scram-sha-256 for TCP and the unix socket, kept across restarts; the admin
 * commands find it.
 */
class EmbeddedPgTest {
  @TempDir Path dataDir;

  static Connection connect(int port, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
  }

  @Test
  void onlyThePasswordInTheOwnersFileGetsIn() throws Exception {
    int port;
    String password;
    try (EmbeddedPg pg = EmbeddedPg.start(dataDir, 0)) {
      port = pg.port();
      Path file = dataDir.resolve(EmbeddedPg.PASSWORD_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      password = EmbeddedPg.password(dataDir, false);
      assertThat(password).matches("[A-Za-z0-9_-]{43}");
      assertThat(pg.url()).contains(":" + password + "@127.0.0.1:");
      assertThatThrownBy(() -> connect(port, null).close()).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> connect(port, "guess").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      try (Connection c = connect(port, password)) {
        assertThat(c.isValid(5)).isTrue();
      }
      assertThat(Files.readString(dataDir.resolve("pg").resolve("pg_hba.conf")))
          .doesNotContain("trust");
    }
    // A restart finds the same password and the same rules (zonky's readiness check logs in with it
    // too).
    try (EmbeddedPg pg = EmbeddedPg.start(dataDir, 0)) {
      try (Connection c = connect(pg.port(), password)) {
        assertThat(c.isValid(5)).isTrue();
      }
      assertThatThrownBy(() -> connect(pg.port(), null).close()).isInstanceOf(SQLException.class);
      // The admin commands, beside a running server, read the file.
      try (AdminDb db =
          AdminDb.open(
              ConfigLoader.load(null, Map.of("TRAINWATCH_DATA_DIR", dataDir.toString())))) {
        assertThat(AdminDb.await(db.registry().list())).isEmpty();
      }
    }
  }
}
