package dev.trainwatch.bench;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.gateway.GatewayVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gateway fan-out under load on loopback: N WebSocket clients (a second JVM) each subscribed to every channel of one
 * server (cpu, memory, disk, network, bottleneck, processes, gpu/*: 14 channels with 8 GPUs) while derived snapshots
 * are published on the gateway's bus at 1 Hz. Latency = publish on the bus to arrival at a client (System.nanoTime
 * is CLOCK_MONOTONIC, shared by both processes). Heap per idle connection = the gateway JVM's heap growth after GC
 * from N subscribed connections.
 *
 * <p>Usage: {@code java -Xmx1g -cp bench/target/benchmarks.jar dev.trainwatch.bench.WsFanoutLoad [CLIENTS=1000]
 * [SECONDS=60]}
 */
public final class WsFanoutLoad {
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("clients")) {
      clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } else {
      server(args.length > 0 ? Integer.parseInt(args[0]) : 1000, args.length > 1 ? Integer.parseInt(args[1]) : 60);
    }
  }

  /**
   * The gateway side: deploys the gateway, starts a client process, waits for every client to subscribe, measures
   * heap growth after GC, then publishes at 1 Hz for {@code seconds}.
   */
  static void server(int clients, int seconds) throws Exception {
    Vertx vertx = Vertx.vertx();
    vertx.eventBus().consumer(Addresses.SERVERS_LIST, m -> m.reply(new JsonObject().put("servers", new JsonArray())));
    int instances = Integer.getInteger("gateway.instances", 1);
    List<GatewayVerticle> gateways = Collections.synchronizedList(new ArrayList<>());
    // Instances of one deployment listening on port 0 share one random port; Vert.x spreads sockets over them.
    vertx.deployVerticle(() -> {
      GatewayVerticle g = new GatewayVerticle();
      gateways.add(g);
      return g;
    }, new DeploymentOptions().setInstances(instances).setConfig(new JsonObject()
        .put("http", new JsonObject().put("port", 0)))).await(30, TimeUnit.SECONDS);
    GatewayVerticle first = gateways.get(0);
    GatewayView gateway = new GatewayView(gateways, first.actualPort());
    long heapBefore = heapAfterGc();
    String java = ProcessHandle.current().info().command().orElse("java");
    Process load = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        WsFanoutLoad.class.getName(), "clients", Integer.toString(gateway.actualPort()), Integer.toString(clients),
        Integer.toString(seconds + 5)).inheritIO().start();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (gateway.sessions() < clients && System.nanoTime() < deadline) {
      Thread.sleep(100);   // a load tool polling a counter, bounded by the deadline
    }
    Thread.sleep(2000);   // subscriptions are processed after the socket opens
    long heapAfter = heapAfterGc();
    System.out.printf("gateway: %d sockets, heap growth after GC %.1f MB = %.1f KB per subscribed idle connection%n",
        gateway.sessions(), (heapAfter - heapBefore) / 1e6, (heapAfter - heapBefore) / 1e3 / clients);
    for (long seq = 0; seq < seconds; seq++) {
      JsonObject d = derived(seq);
      vertx.runOnContext(v -> vertx.eventBus().publish(Addresses.DERIVED, stamp(d, System.nanoTime())));
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

  /** Every channel's data carries the publish time, so any frame can be timed (CLOCK_MONOTONIC is machine-wide). */
  static JsonObject stamp(JsonObject d, long nanos) {
    for (String k : List.of("cpu", "memory", "disk", "network", "bottleneck")) {
      d.getJsonObject(k).put("sent_ns", nanos);
    }
    d.getJsonArray("gpus").forEach(g -> ((JsonObject) g).put("sent_ns", nanos));
    return d;
  }

  static void clients(int port, int clients, int seconds) throws Exception {
    Vertx vertx = Vertx.vertx();
    WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients + 10));
    List<Long> latenciesUs = Collections.synchronizedList(new ArrayList<>());
    AtomicLong frames = new AtomicLong();
    JsonObject subscribe = new JsonObject().put("op", "subscribe").put("server", "box-1").put("channels", new JsonArray()
        .add("system/cpu").add("system/memory").add("system/disk").add("system/network").add("system/bottleneck")
        .add("system/processes").add("system/gpu/*"));
    List<WebSocket> sockets = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
          .await(30, TimeUnit.SECONDS);
      ws.textMessageHandler(text -> {
        long now = System.nanoTime();
        int at = text.indexOf("\"sent_ns\":");
        if (at >= 0) {
          int from = at + 10;
          int to = from;
          while (to < text.length() && Character.isDigit(text.charAt(to))) {
            to++;
          }
          frames.incrementAndGet();
          latenciesUs.add((now - Long.parseLong(text.substring(from, to))) / 1000);
        }
      });
      ws.writeTextMessage(subscribe.encode());
      sockets.add(ws);
    }
    Thread.sleep(seconds * 1000L);   // the server publishes meanwhile
    List<Long> l = new ArrayList<>(latenciesUs);
    Collections.sort(l);
    System.out.printf("clients: %d sockets, %d timed frames%n", sockets.size(), frames.get());
    System.out.printf("clients: bus-to-socket latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", pct(l, 50),
        pct(l, 90), pct(l, 99), l.isEmpty() ? 0 : l.get(l.size() - 1) / 1000.0);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static double pct(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * p / 100) - 1)) / 1000.0;
  }

  static JsonObject derived(long seq) {
    JsonArray gpus = new JsonArray();
    for (int i = 0; i < 8; i++) {
      gpus.add(new JsonObject().put("index", i).put("uuid", "GPU-" + i).put("name", "NVIDIA H100 80GB HBM3")
          .put("utilization", 97.0).put("memory_utilization", 41.0).put("memory_used", 65_000_000_000L)
          .put("memory_total", 85_520_809_984L).put("temperature", 64.0).put("power", 512.3).put("power_limit", 700.0)
          .put("sm_clock", 1980.0).put("mem_clock", 2619.0).put("clock_event_reasons", new JsonArray().add("sw_power_cap")));
    }
    JsonArray cores = new JsonArray();
    for (int i = 0; i < 64; i++) {
      cores.add(50.0 + i % 10);
    }
    return new JsonObject().put("server", "box-1").put("ts", Instant.now().toString()).put("boot_id", "b").put("seq", seq)
        .put("cpu", new JsonObject().put("utilization", 55.0).put("per_core", cores).put("iowait", 1.0)
            .put("load_avg", new JsonArray().add(12.0).add(11.0).add(10.0)))
        .put("memory", new JsonObject().put("ram_used", 364_000_000_000L).put("ram_total", 2_164_000_000_000L)
            .put("swap_used", 0).put("swap_total", 0))
        .put("disk", new JsonObject().put("read_rate", 1e9).put("write_rate", 5e8).put("disks", new JsonArray()
            .add(new JsonObject().put("name", "nvme0n1").put("read_rate", 1e9).put("write_rate", 5e8)
                .put("read_iops", 8000.0).put("write_iops", 4000.0).put("utilization", 40.0))))
        .put("network", new JsonObject().put("upload_rate", 1e8).put("download_rate", 2e8).put("interfaces", new JsonArray()))
        .put("gpus", gpus).put("bottleneck", new JsonObject().put("label", "gpu-bound").put("reasons", new JsonArray()
            .add("gpu-bound: GPU util avg 97 %")).put("flags", new JsonArray()))
        .put("processes", new JsonArray());
  }
}
