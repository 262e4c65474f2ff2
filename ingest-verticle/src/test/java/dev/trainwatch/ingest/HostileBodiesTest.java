package dev.trainwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Json;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 13: a battery of hostile bodies over HTTP, each sent with a valid token, in rounds. Every
 * answer must be a 4xx (no storage stands behind this ingest, so a body that got through would show
 * as a 503), and the heap in use after the last round must be where it was after the first.
 */
class HostileBodiesTest {
  static final String PATH = "/api/ingest/servers/alpha/metrics/";
  static Vertx vertx;
  static IngestVerticle ingest;
  static WebClient http;
  static NetClient tcp;

  record Hostile(String name, Buffer body, Map<String, String> headers) {}

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    ingest = StubbedIngest.deploy(vertx, new JsonObject().put("body_timeout_ms", 800));
    http = WebClient.create(vertx);
    tcp = vertx.createNetClient();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static String snapshot(String seq, String extra) {
    return "{\"schema\":1,\"ts\":\""
        + Json.ts(Instant.now().minusSeconds(60))
        + "\",\"agent\":{\"boot_id\":\"b\",\"seq\":"
        + seq
        + ",\"uptime_ms\":1000}"
        + extra
        + "}";
  }

  static Hostile json(String name, String body) {
    return new Hostile(name, Buffer.buffer(body), Map.of());
  }

  static byte[] gzip(byte[] raw) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    }
    return out.toByteArray();
  }

  static List<Hostile> battery() throws Exception {
    List<Hostile> all = new ArrayList<>();
    all.add(json("huge exponent", snapshot("1e999999999", "")));
    all.add(
        json("huge exponent in a gauge", snapshot("1", ",\"memory\":{\"total_bytes\":1e308000}")));
    all.add(json("2^64", snapshot("18446744073709551616", "")));
    all.add(json("fractional seq", snapshot("1.5", "")));
    all.add(json("NaN token", snapshot("NaN", "")));
    all.add(json("Infinity token", snapshot("1", ",\"memory\":{\"total_bytes\":Infinity}")));
    all.add(json("-Infinity token", snapshot("-Infinity", "")));
    byte[] bad = snapshot("1", ",\"hostname\":\"XX\"").getBytes(StandardCharsets.UTF_8);
    int at = new String(bad, StandardCharsets.UTF_8).indexOf("XX");
    bad[at] = (byte) 0xC3; // a lead byte followed by an ASCII byte
    bad[at + 1] = (byte) 0x28;
    all.add(new Hostile("invalid UTF-8", Buffer.buffer(bad), Map.of()));
    all.add(new Hostile("lone 0xFF", Buffer.buffer(new byte[] {'{', (byte) 0xFF, '}'}), Map.of()));
    all.add(
        new Hostile(
            "UTF-16 body",
            Buffer.buffer(snapshot("1", "").getBytes(StandardCharsets.UTF_16)),
            Map.of()));
    all.add(
        new Hostile(
            "UTF-16LE body, no BOM",
            Buffer.buffer(snapshot("1", "").getBytes(StandardCharsets.UTF_16LE)),
            Map.of()));
    all.add(json("deep arrays", "[".repeat(50_000) + "]".repeat(50_000)));
    all.add(json("deep objects", "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)));
    StringBuilder wide = new StringBuilder("{\"schema\":1");
    for (int i = 0; wide.length() < 900_000; i++) {
      wide.append(",\"k").append(i).append("\":").append(i);
    }
    all.add(json("wide object, no ts", wide.append('}').toString()));
    all.add(
        json(
            "wide core array",
            snapshot(
                "1",
                ",\"cpu\":{\"ticks_ms_total\":["
                    + "[1,2,3,4,5,6,7,8],".repeat(50_000)
                    + "[1,2,3,4,5,6,7,8]]}")));
    all.add(json("long string", snapshot("1", ",\"x\":\"" + "a".repeat(200_000) + "\"")));
    all.add(json("too large", "[" + "0,".repeat(600_000) + "0]"));
    all.add(json("empty", ""));
    all.add(json("null", "null"));
    all.add(json("array", "[]"));
    all.add(json("string", "\"snapshot\""));
    all.add(json("duplicate key, bad last", snapshot("1", ",\"schema\":\"two\"")));
    all.add(json("empty batch", "{\"snapshots\":[]}"));
    all.add(
        json(
            "batch of 10,000",
            "{\"snapshots\":["
                + (snapshot("1", "") + ",").repeat(9_999)
                + snapshot("2", "")
                + "]}"));
    all.add(json("far year", snapshot("1", "").replaceFirst("\"ts\":\"\\d{4}", "\"ts\":\"+10000")));
    for (String enc :
        List.of(
            "deflate", "br", "zstd", "snappy", "x-gzip", "compress", "gzip, gzip", "gzip;q=1")) {
      all.add(
          new Hostile(
              "Content-Encoding " + enc,
              Buffer.buffer(gzip(snapshot("1", "").getBytes())),
              Map.of("content-encoding", enc)));
    }
    all.add(
        new Hostile(
            "gzip bomb (100 MB of zeros)",
            Buffer.buffer(gzip(new byte[100 << 20])),
            Map.of("content-encoding", "gzip")));
    all.add(
        new Hostile(
            "not gzip", Buffer.buffer(snapshot("1", "")), Map.of("content-encoding", "gzip")));
    byte[] torn = gzip(snapshot("1", "").getBytes());
    all.add(
        new Hostile(
            "torn gzip",
            Buffer.buffer(Arrays.copyOf(torn, torn.length / 2)),
            Map.of("content-encoding", "gzip")));
    all.add(
        new Hostile(
            "text/plain", Buffer.buffer(snapshot("1", "")), Map.of("content-type", "text/plain")));
    return all;
  }

  static Future<Integer> send(Hostile h) {
    var req =
        http.post(ingest.actualPort(), "127.0.0.1", PATH)
            .putHeader("content-type", "application/json")
            .putHeader("x-monitoring-token", "tw_test");
    h.headers().forEach(req::putHeader);
    return req.sendBuffer(h.body()).map(r -> r.statusCode());
  }

  /** The body trickled a byte every 100 ms: answered 408 at the (shortened) body deadline. */
  static Future<Integer> slowloris() {
    return tcp.connect(ingest.actualPort(), "127.0.0.1")
        .compose(
            so -> {
              Buffer got = Buffer.buffer();
              so.handler(got::appendBuffer);
              so.write(StubbedIngest.head(PATH, 10_000) + "{");
              long drip = vertx.setPeriodic(100, id -> so.write(" "));
              Promise<Integer> status = Promise.promise();
              so.closeHandler(
                  v -> {
                    vertx.cancelTimer(drip);
                    String s = got.toString();
                    status.complete(
                        s.startsWith("HTTP/1.1 ") ? Integer.parseInt(s.substring(9, 12)) : -1);
                  });
              return status.future();
            });
  }

  static Map<String, Integer> round(List<Hostile> battery) throws Exception {
    Map<String, Integer> statuses = new TreeMap<>();
    for (Hostile h : battery) {
      statuses.put(h.name(), send(h).await(30, TimeUnit.SECONDS));
    }
    List<Future<Integer>> slow = List.of(slowloris(), slowloris(), slowloris());
    Future.all(slow).await(30, TimeUnit.SECONDS);
    for (int i = 0; i < slow.size(); i++) {
      statuses.put("slowloris " + i, slow.get(i).result());
    }
    return statuses;
  }

  static long heapInUse() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void everyHostileBodyIs4xxAndTheHeapStaysFlat() throws Exception {
    List<Hostile> battery = battery();
    Map<String, Integer> first = round(battery);
    assertThat(first).allSatisfy((name, status) -> assertThat(status).as(name).isBetween(400, 499));
    assertThat(first.get("too large")).isEqualTo(413);
    assertThat(first.get("gzip bomb (100 MB of zeros)")).isEqualTo(413);
    assertThat(first.get("Content-Encoding br")).isEqualTo(415);
    assertThat(first.get("slowloris 0")).isEqualTo(408);
    long before = heapInUse();
    for (int i = 0; i < 4; i++) {
      assertThat(round(battery)).isEqualTo(first);
    }
    long after = heapInUse();
    LoggerFactory.getLogger(HostileBodiesTest.class)
        .info(
            "hostile battery: {} requests a round, answers {}; heap in use after round 1: {} KB, after round 5: {} KB",
            first.size(),
            first,
            before >> 10,
            after >> 10);
    assertThat(after - before)
        .as("heap growth over 4 rounds of %d hostile requests", first.size())
        .isLessThan(16L << 20);
  }
}
