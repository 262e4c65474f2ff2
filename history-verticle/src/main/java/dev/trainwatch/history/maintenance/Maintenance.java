package dev.trainwatch.history.maintenance;

import dev.trainwatch.history.layout.Layout;
import dev.trainwatch.history.query.Agg;
import dev.trainwatch.history.write.SampleRows;
import dev.trainwatch.history.write.SnapshotWriter;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collector;

/**
 * Downsampling, retention and partitions ahead of time. Everything runs as async queries on the
 * verticle's event loop, one hour at a time, so a large backlog (after an outage, a replay, or a
 * migration) never holds the loop for long.
 */
public final class Maintenance {
  private static final int DIRTY_PAGE = 100;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

  static final String DIRTY =
      "SELECT sid, hour, v FROM dirty_hours WHERE hour < $1 ORDER BY hour, sid LIMIT " + DIRTY_PAGE;
  static final String HOUR_ROWS = Agg.raw("sid = $1 AND ts >= $2 AND ts < $3");
  static final String UPSERT_HOUR =
      """
      INSERT INTO samples_hourly (sid, hour, samples, gaps, bn, h, m, c, gs, gf, d, n)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
      ON CONFLICT (sid, hour) DO UPDATE SET samples = EXCLUDED.samples, gaps = EXCLUDED.gaps, bn = EXCLUDED.bn,
        h = EXCLUDED.h, m = EXCLUDED.m, c = EXCLUDED.c, gs = EXCLUDED.gs, gf = EXCLUDED.gf, d = EXCLUDED.d,
        n = EXCLUDED.n""";
  static final String CLEAN = "DELETE FROM dirty_hours WHERE sid = $1 AND hour = $2 AND v = $3";
  static final String PARTITIONS =
      """
      SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'samples'::regclass""";

  private final Pool pool;
  private final SnapshotWriter writer;
  private final int rawDays;
  private final int hourlyDays;

  public Maintenance(Pool pool, SnapshotWriter writer, int rawDays, int hourlyDays) {
    this.pool = pool;
    this.writer = writer;
    this.rawDays = rawDays;
    this.hourlyDays = hourlyDays;
  }

  /**
   * Creates the partitions for today and the next two days (UTC) so the day's first writes need no
   * DDL.
   */
  public Future<Void> partitionsAhead(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return pool.preparedQuery(SampleRows.ENSURE_PARTITIONS)
        .execute(
            Tuple.tuple()
                .addArrayOfLocalDate(new LocalDate[] {today, today.plusDays(1), today.plusDays(2)}))
        .mapEmpty();
  }

  /**
   * Aggregates every closed hour that was written to since its last aggregation; returns how many.
   */
  public Future<Integer> downsample(Instant now) {
    return downsample(now.truncatedTo(ChronoUnit.HOURS), 0);
  }

  private Future<Integer> downsample(Instant closedBefore, int done) {
    return pool.preparedQuery(DIRTY)
        .execute(Tuple.of(SampleRows.utc(closedBefore)))
        .compose(
            rows -> {
              List<Row> page = new ArrayList<>();
              rows.forEach(page::add);
              Future<Void> chain = Future.succeededFuture();
              for (Row r : page) {
                chain =
                    chain.compose(
                        v ->
                            aggregate(
                                r.getInteger("sid"),
                                r.getOffsetDateTime("hour").toInstant(),
                                r.getLong("v")));
              }
              int total = done + page.size();
              return chain.compose(
                  v ->
                      page.size() < DIRTY_PAGE
                          ? Future.succeededFuture(total)
                          : downsample(closedBefore, total));
            });
  }

  /**
   * Recomputes one hour from raw and upserts it; idempotent, so a repeat after a crash or a race is
   * harmless.
   */
  Future<Void> aggregate(int sid, Instant hour, long version) {
    Agg agg = new Agg(hour.getEpochSecond());
    Collector<Row, Agg, Agg> c = Collector.of(() -> agg, Agg::addRaw, (a, b) -> a, a -> a);
    Tuple range = Tuple.of(sid, SampleRows.utc(hour), SampleRows.utc(hour.plusSeconds(3600)));
    return pool.preparedQuery(HOUR_ROWS)
        .collecting(c)
        .execute(range)
        .compose(
            r -> {
              if (agg.samples() == 0) {
                return Future
                    .succeededFuture(); // raw already dropped by retention: keep the hourly row we
                // have
              }
              Tuple t =
                  Tuple.of(
                      sid,
                      SampleRows.utc(hour),
                      (int) agg.samples(),
                      (int) agg.gaps(),
                      agg.label());
              for (int g = 0; g < Layout.GROUPS.length; g++) {
                t.addArrayOfFloat(agg.hourlyArray(g));
              }
              return pool.preparedQuery(UPSERT_HOUR).execute(t).mapEmpty();
            })
        .compose(
            v ->
                pool.preparedQuery(CLEAN)
                    .execute(Tuple.of(sid, SampleRows.utc(hour), version))
                    .mapEmpty());
  }

  /**
   * Drops every raw partition whose whole day is older than the raw retention, and hourly rows
   * older than theirs. Returns the dropped partitions' names.
   */
  public Future<List<String>> retention(Instant now) {
    Instant rawCutoff = now.minus(Duration.ofDays(rawDays));
    List<String> drop = new ArrayList<>();
    List<LocalDate> days = new ArrayList<>();
    return pool.query(PARTITIONS)
        .execute()
        .compose(
            rows -> {
              for (Row r : rows) {
                String name = r.getString(0);
                if (!name.startsWith("samples_p")) {
                  continue;
                }
                LocalDate day = LocalDate.parse(name.substring("samples_p".length()), DAY);
                if (!day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(rawCutoff)) {
                  drop.add(name);
                  days.add(day);
                }
              }
              Future<Void> chain = Future.succeededFuture();
              for (String name : drop) {
                chain =
                    chain.compose(
                        v ->
                            pool.query("DROP TABLE IF EXISTS \"" + name + "\"")
                                .execute()
                                .mapEmpty());
              }
              return chain;
            })
        .compose(
            v -> {
              writer.forgetPartitions(new HashSet<>(days));
              return pool.preparedQuery("DELETE FROM samples_hourly WHERE hour < $1")
                  .execute(Tuple.of(SampleRows.utc(now.minus(Duration.ofDays(hourlyDays)))));
            })
        .compose(
            v ->
                pool.preparedQuery("DELETE FROM dirty_hours WHERE hour < $1")
                    .execute(Tuple.of(SampleRows.utc(rawCutoff.minusSeconds(3600)))))
        .map(v -> drop);
  }
}
