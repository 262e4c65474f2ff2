package dev.trainwatch.bench;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.Tokens;
import dev.trainwatch.gateway.GatewayVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gateway fan-out under load on loopback: N WebSocket clients (a second JVM) each subscribed to
 * every channel of one server (cpu, memory, disk, network, bottleneck, processes, gpu/*: 14
 * channels with 8 GPUs) while derived snapshots are published on the gateway's bus at 1 Hz. Latency
 * = publish on the bus to arrival at a client (System.nanoTime is CLOCK_MONOTONIC, shared by both
 * processes). Heap per idle connection = the gateway JVM's heap growth after GC from N subscribed
 * connections.
 *
 * <p>Usage: {@code java -Xmx1g -cp bench/target/benchmarks.jar dev.trainwatch.bench.WsFanoutLoad
 * [CLIENTS=1000] [SECONDS=60]}
 */
public final class WsFanoutLoad {
  static final int WARMUP_S = 5;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("clients")) {
      clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } else {
      server(
          args.length > 0 ? Integer.parseInt(args[0]) : 1000,
          args.length > 1 ? Integer.parseInt(args[1]) : 60);
    }
  }

  /**
   * The gateway side: deploys the gateway, starts a client process, waits for every client to
   * subscribe, measures heap growth after GC, then publishes at 1 Hz: {@link #WARMUP_S} untimed
   * snapshots (so the JIT has compiled the fan-out path, as it has in a gateway that has run for a
   * minute), then {@code seconds} timed ones.
   */
  /**
   * How the client process learns the API token (environment, not argv: argv is world-readable).
   */
  static final String TOKEN_ENV = "TW_BENCH_TOKEN";

  static void server(int clients, int seconds) throws Exception {
    Vertx vertx = Vertx.vertx();
    // Only registered servers can be followed (issue 12): box-1 is.
    vertx
        .eventBus()
        .consumer(
            Addresses.SERVERS_LIST,
            m ->
                m.reply(
                    new JsonObject()
                        .put(
                            "servers",
                            new JsonArray()
                                .add(
                                    new JsonObject()
                                        .put("slug", "box-1")
                                        .put("name", "box-1")
                                        .put("is_active", true)))));
    // The sockets sign in with an API token, as a script would; history's answer to its check,
    // stood in for here.
    String token = Tokens.generate(Tokens.API);
    String hash = Tokens.sha256Hex(token);
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ACCESS_TOKEN_CHECK,
            m ->
                m.reply(
                    hash.equals(m.body().getString("token_sha256"))
                        ? new JsonObject()
                            .put("outcome", "ok")
                            .put("id", "twa_00000000")
                            .put("name", "bench")
                            .put("role", "reader")
                        : new JsonObject().put("outcome", "unknown")));
    int instances = Integer.getInteger("gateway.instances", 1);
    List<GatewayVerticle> gateways = Collections.synchronizedList(new ArrayList<>());
    // Instances of one deployment listening on port 0 share one random port; Vert.x spreads sockets
    // over them.
    vertx
        .deployVerticle(
            () -> {
              GatewayVerticle g = new GatewayVerticle();
              gateways.add(g);
              return g;
            },
            new DeploymentOptions()
                .setInstances(instances)
                .setConfig(
                    new JsonObject()
                        .put("http", new JsonObject().put("port", 0))
                        // Every client connects from 127.0.0.1: the per-address cap (256, issue 13)
                        // is lifted for the load.
                        .put("ws_max_per_address", clients + 10)
                        // -Dgateway.direct=false: frames through Vert.x's public API instead of the
                        // pipeline (issue 17's comparison).
                        .put(
                            "ws_direct_writes",
                            Boolean.parseBoolean(System.getProperty("gateway.direct", "true")))))
        .await(30, TimeUnit.SECONDS);
    GatewayVerticle first = gateways.get(0);
    GatewayView gateway = new GatewayView(gateways, first.actualPort());
    long heapBefore = heapAfterGc();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                WsFanoutLoad.class.getName(),
                "clients",
                Integer.toString(gateway.actualPort()),
                Integer.toString(clients),
                Integer.toString(WARMUP_S + seconds + 5))
            .inheritIO();
    pb.environment().put(TOKEN_ENV, token);
    Process load = pb.start();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (gateway.sessions() < clients && System.nanoTime() < deadline) {
      Thread.sleep(100); // a load tool polling a counter, bounded by the deadline
    }
    Thread.sleep(2000); // subscriptions are processed after the socket opens
    long heapAfter = heapAfterGc();
    System.out.printf(
        "gateway: %d sockets, heap growth after GC %.1f MB = %.1f KB per subscribed idle connection%n",
        gateway.sessions(),
        (heapAfter - heapBefore) / 1e6,
        (heapAfter - heapBefore) / 1e3 / clients);
    for (long seq = 0; seq < WARMUP_S + seconds; seq++) {
      JsonObject d = derived(seq);
      boolean timed = seq >= WARMUP_S;
      vertx.runOnContext(
          v ->
              vertx.eventBus().publish(Addresses.DERIVED, timed ? stamp(d, System.nanoTime()) : d));
      Thread.sleep(1000);
    }
    System.out.printf("gateway: frames superseded by backpressure: %d%n", gateway.framesDropped());
    load.waitFor(60, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** The load tool's view of N gateway instances sharing one port. */
  record GatewayView(List<GatewayVerticle> all, int actualPort) {
    int sessions() {
      return all.stream().mapToInt(GatewayVerticle::sessions).sum();
    }

    long framesDropped() {
      return all.stream().mapToLong(GatewayVerticle::framesDropped).sum();
    }
  }

  /**
   * Every channel's data carries the publish time, so any frame can be timed (CLOCK_MONOTONIC is
   * machine-wide).
   */
  static JsonObject stamp(JsonObject d, long nanos) {
    for (String k : List.of("cpu", "memory", "disk", "network", "bottleneck")) {
      d.getJsonObject(k).put("sent_ns", nanos);
    }
    d.getJsonArray("gpus").forEach(g -> ((JsonObject) g).put("sent_ns", nanos));
    return d;
  }

  /**
   * The client side: plain NIO sockets on one thread, reading frames and timing the ones that carry
   * {@code sent_ns}. Browsers run on other machines; here every cycle the clients spend is taken
   * from the gateway on the same two cores, so they do the least a WebSocket client can: no
   * per-frame objects, no JSON, no UTF-8 decoding.
   */
  static void clients(int port, int clients, int seconds) throws Exception {
    Selector selector = Selector.open();
    byte[] subscribe =
        new JsonObject()
            .put("op", "subscribe")
            .put("server", "box-1")
            .put(
                "channels",
                new JsonArray()
                    .add("system/cpu")
                    .add("system/memory")
                    .add("system/disk")
                    .add("system/network")
                    .add("system/bottleneck")
                    .add("system/processes")
                    .add("system/gpu/*"))
            .encode()
            .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < clients; i++) {
      SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      ByteBuffer in = ByteBuffer.allocate(256 * 1024);
      handshake(ch, port, in);
      writeFully(ch, clientFrame(0x1, subscribe));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, in);
    }
    long[] latenciesUs = new long[clients * 20 * (seconds + 1)];
    int timed = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      selector.select(100);
      for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
        SelectionKey k = it.next();
        it.remove();
        SocketChannel ch = (SocketChannel) k.channel();
        ByteBuffer in = (ByteBuffer) k.attachment();
        if (ch.read(in) < 0) {
          k.cancel();
          continue;
        }
        long now = System.nanoTime();
        in.flip();
        while (true) {
          int start = in.position();
          if (in.remaining() < 2) {
            break;
          }
          int opcode = in.get(start) & 0x0F;
          int len7 = in.get(start + 1) & 0x7F;
          int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
          if (in.remaining() < header) {
            break;
          }
          long len =
              len7 < 126
                  ? len7
                  : len7 == 126 ? in.getShort(start + 2) & 0xFFFF : in.getLong(start + 2);
          if (in.remaining() < header + len) {
            break;
          }
          int payload = start + header;
          if (opcode == 0x1) {
            long sent = sentNanos(in, payload, payload + (int) len);
            if (sent > 0 && timed < latenciesUs.length) {
              latenciesUs[timed++] = (now - sent) / 1000;
            }
          } else if (opcode == 0x9) {
            byte[] body = new byte[(int) len];
            in.get(payload, body);
            writeFully(ch, clientFrame(0xA, body));
          }
          in.position(payload + (int) len);
        }
        in.compact();
      }
    }
    long[] l = Arrays.copyOf(latenciesUs, timed);
    Arrays.sort(l);
    System.out.printf("clients: %d sockets, %d timed frames%n", clients, timed);
    System.out.printf(
        "clients: bus-to-socket latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
        pct(l, 50), pct(l, 90), pct(l, 99), l.length == 0 ? 0 : l[l.length - 1] / 1000.0);
  }

  private static final byte[] SENT_NS = "\"sent_ns\":".getBytes(StandardCharsets.US_ASCII);

  /** The first {@code "sent_ns":<digits>} in {@code [from, to)}, or -1. */
  static long sentNanos(ByteBuffer b, int from, int to) {
    outer:
    for (int i = from; i <= to - SENT_NS.length; i++) {
      for (int j = 0; j < SENT_NS.length; j++) {
        if (b.get(i + j) != SENT_NS[j]) {
          continue outer;
        }
      }
      long v = 0;
      for (int d = i + SENT_NS.length; d < to && b.get(d) >= '0' && b.get(d) <= '9'; d++) {
        v = v * 10 + (b.get(d) - '0');
      }
      return v;
    }
    return -1;
  }

  static void handshake(SocketChannel ch, int port, ByteBuffer in) throws Exception {
    writeFully(
        ch,
        ByteBuffer.wrap(
            ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:"
                    + port
                    + "\r\nUpgrade: websocket\r\n"
                    + "Authorization: Bearer "
                    + System.getenv(TOKEN_ENV)
                    + "\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
    while (true) {
      if (ch.read(in) < 0) {
        throw new IllegalStateException("gateway closed the socket during the handshake");
      }
      String head = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
      int endOfHead = head.indexOf("\r\n\r\n");
      if (endOfHead >= 0) {
        if (!head.startsWith("HTTP/1.1 101")) {
          throw new IllegalStateException(
              "handshake refused: " + head.lines().findFirst().orElse(""));
        }
        in.flip().position(endOfHead + 4);
        in.compact();
        return;
      }
    }
  }

  /** A masked client frame (RFC 6455 §5.3); the mask is zero, which the protocol allows. */
  static ByteBuffer clientFrame(int opcode, byte[] payload) {
    ByteBuffer f = ByteBuffer.allocate(payload.length + 8);
    f.put((byte) (0x80 | opcode));
    if (payload.length < 126) {
      f.put((byte) (0x80 | payload.length));
    } else {
      f.put((byte) (0x80 | 126)).putShort((short) payload.length);
    }
    f.putInt(0).put(payload);
    return f.flip();
  }

  static void writeFully(SocketChannel ch, ByteBuffer b) throws Exception {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static double pct(long[] sorted, double p) {
    return sorted.length == 0
        ? 0
        : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100) - 1)]
            / 1000.0;
  }

  static JsonObject derived(long seq) {
    JsonArray gpus = new JsonArray();
    for (int i = 0; i < 8; i++) {
      gpus.add(
          new JsonObject()
              .put("index", i)
              .put("uuid", "GPU-" + i)
              .put("name", "NVIDIA H100 80GB HBM3")
              .put("utilization", 97.0)
              .put("memory_utilization", 41.0)
              .put("memory_used", 65_000_000_000L)
              .put("memory_total", 85_520_809_984L)
              .put("temperature", 64.0)
              .put("power", 512.3)
              .put("power_limit", 700.0)
              .put("sm_clock", 1980.0)
              .put("mem_clock", 2619.0)
              .put("clock_event_reasons", new JsonArray().add("sw_power_cap")));
    }
    JsonArray cores = new JsonArray();
    for (int i = 0; i < 64; i++) {
      cores.add(50.0 + i % 10);
    }
    return new JsonObject()
        .put("server", "box-1")
        .put("ts", Instant.now().toString())
        .put("boot_id", "b")
        .put("seq", seq)
        .put(
            "cpu",
            new JsonObject()
                .put("utilization", 55.0)
                .put("per_core", cores)
                .put("iowait", 1.0)
                .put("load_avg", new JsonArray().add(12.0).add(11.0).add(10.0)))
        .put(
            "memory",
            new JsonObject()
                .put("ram_used", 364_000_000_000L)
                .put("ram_total", 2_164_000_000_000L)
                .put("swap_used", 0)
                .put("swap_total", 0))
        .put(
            "disk",
            new JsonObject()
                .put("read_rate", 1e9)
                .put("write_rate", 5e8)
                .put(
                    "disks",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("name", "nvme0n1")
                                .put("read_rate", 1e9)
                                .put("write_rate", 5e8)
                                .put("read_iops", 8000.0)
                                .put("write_iops", 4000.0)
                                .put("utilization", 40.0))))
        .put(
            "network",
            new JsonObject()
                .put("upload_rate", 1e8)
                .put("download_rate", 2e8)
                .put("interfaces", new JsonArray()))
        .put("gpus", gpus)
        .put(
            "bottleneck",
            new JsonObject()
                .put("label", "gpu-bound")
                .put("reasons", new JsonArray().add("gpu-bound: GPU util avg 97 %"))
                .put("flags", new JsonArray()))
        .put("processes", new JsonArray());
  }
}
