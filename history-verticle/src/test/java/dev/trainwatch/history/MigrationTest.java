package dev.trainwatch.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.history.layout.Layout;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** A database that already holds V1 rows keeps them, in the compact layout, after V2. */
class MigrationTest {

  @Test
  void v1RowsAreCarriedIntoTheCompactLayout() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      PgSettings s =
          PgSettings.fromUrl("postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres");
      Flyway.configure()
          .dataSource(s.jdbcUrl(), s.user(), s.password())
          .locations("classpath:db/migration")
          .target("1")
          .load()
          .migrate();
      try (Connection c = pg.getPostgresDatabase().getConnection()) {
        c.createStatement().execute("insert into servers (slug, name) values ('old', 'old')");
        c.createStatement()
            .execute(
                """
            insert into snapshots (server, ts, boot_id, seq, interval_s, cpu_util, cpu_per_core, load_avg, ram_used,
              ram_total, gpu_util_max, bottleneck, detail)
            values ('old', '2026-11-01T10:00:05Z', 'b1', 7, 1.0, 42.5, '{40,45}', '{1,2,3}', 1000, 4000, 80,
              'gpu-bound', '{"gpus": [{"index": 0, "utilization": 80, "temperature": 61.5, "power": 300,
              "memory_used": 1048576}], "disk": {"disks": [{"name": "sda", "read_rate": 10, "utilization": 5}]},
              "network": {"interfaces": [{"name": "eth0", "upload_rate": 7}]}, "memory": {"ram_available": 3000}}')""");
      }
      Migrations.apply(s);
      try (Connection c = pg.getPostgresDatabase().getConnection();
          ResultSet rs =
              c.createStatement()
                  .executeQuery(
                      """
               select s.boot, s.seq, s.h[2], s.m[3], s.c, s.gs, s.gf[1], s.gf[3], s.d, s.n, v.cpu_util, v.server
               from samples s join snapshots v on v.ts = s.ts""")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(Layout.bootKey("old", "b1"));
        assertThat(rs.getLong(2)).isEqualTo(7);
        assertThat(rs.getFloat(3)).isEqualTo(42.5f);
        assertThat(rs.getLong(4)).isEqualTo(3000);
        assertThat(rs.getString(5)).isEqualTo("{4000,4500}");
        assertThat(rs.getString(6))
            .isEqualTo("{0,8000,-32768,6150,-32768,-32768,-32768,-32768,-32768}");
        assertThat(rs.getFloat(7)).isEqualTo(1048576f);
        assertThat(rs.getFloat(8)).isEqualTo(300f);
        assertThat(rs.getString(9)).isEqualTo("{10,NaN,NaN,NaN,5}");
        assertThat(rs.getString(10)).isEqualTo("{7,NaN,NaN}");
        assertThat(rs.getFloat(11)).isEqualTo(42.5f);
        assertThat(rs.getString(12)).isEqualTo("old");
      }
    }
  }
}
