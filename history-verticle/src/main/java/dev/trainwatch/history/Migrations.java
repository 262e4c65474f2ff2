package dev.trainwatch.history;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the versioned SQL migrations under {@code db/migration}. Blocking (JDBC): call on a
 * worker.
 */
public final class Migrations {
  private Migrations() {}

  public static MigrateResult apply(PgSettings pg) {
    return Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(pg.jdbcUrl(), pg.user(), pg.password())
        .locations("classpath:db/migration")
        .loggers("slf4j")
        .load()
        .migrate();
  }
}
