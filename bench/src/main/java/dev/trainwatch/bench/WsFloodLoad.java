package dev.trainwatch.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A hostile WebSocket client for issue 13's memory figure: {@code sockets} connections from one
 * address, each sending the largest subscription the gateway takes (127 channels of a registered
 * server) as fast as its socket accepts, and never reading a byte. The gateway must close them
 * (message rate, or replies backing up) and stay bounded; a closed socket is replaced at once, so
 * the pressure lasts the whole run. The server's RSS is sampled by the calling script.
 *
 * <p>Usage: {@code TW_BENCH_TOKEN=<api token> java -cp bench/target/benchmarks.jar
 * dev.trainwatch.bench.WsFloodLoad PORT SERVER SECONDS SOCKETS}
 */
public final class WsFloodLoad {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String server = args[1];
    long seconds = Long.parseLong(args[2]);
    int sockets = Integer.parseInt(args[3]);
    JsonArray channels =
        new JsonArray()
            .add("system/cpu")
            .add("system/memory")
            .add("system/disk")
            .add("system/network")
            .add("system/bottleneck")
            .add("system/processes")
            .add("system/gpu/*");
    for (int i = 0; channels.size() < 127; i++) {
      channels.add("system/gpu/" + i);
    }
    byte[] subscribe =
        new JsonObject()
            .put("op", "subscribe")
            .put("server", server)
            .put("channels", channels)
            .encode()
            .getBytes(StandardCharsets.UTF_8);
    List<SocketChannel> open = new ArrayList<>();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long sent = 0;
    long closed = 0;
    long refused = 0;
    while (System.nanoTime() < end) {
      while (open.size() < sockets) {
        try {
          SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
          WsFanoutLoad.handshake(ch, port, ByteBuffer.allocate(16 * 1024));
          ch.configureBlocking(false);
          open.add(ch);
        } catch (Exception e) {
          refused++;
          break; // the per-address cap (429) or a closing socket: try again next round
        }
      }
      for (int i = open.size() - 1; i >= 0; i--) {
        SocketChannel ch = open.get(i);
        try {
          ByteBuffer frame = WsFanoutLoad.clientFrame(0x1, subscribe);
          if (ch.write(frame) > 0) {
            sent++;
          }
        } catch (IOException e) {
          closed++;
          open.remove(i);
          ch.close();
        }
      }
      Thread.sleep(5); // a load tool pacing itself: ~200 sends per socket per second at most
    }
    System.out.printf(
        "flood: %d sockets for %d s, %d subscribe messages sent, %d sockets closed by the server, "
            + "%d connection attempts refused%n",
        sockets, seconds, sent, closed, refused);
    for (SocketChannel ch : open) {
      ch.close();
    }
  }
}
