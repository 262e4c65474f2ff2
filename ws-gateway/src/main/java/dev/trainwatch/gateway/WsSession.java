package dev.trainwatch.gateway;

import io.vertx.core.http.ServerWebSocket;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One browser socket: its subscriptions and its outbound queue. A client that cannot keep up never slows the
 * others: while its write queue is full, only the newest frame per (server, channel) is kept, so its memory is
 * bounded by the number of channels it follows, not by how far behind it is.
 */
final class WsSession {
  final ServerWebSocket ws;
  /** server → subscribed channel names (including {@code system/gpu/*}). */
  final Map<String, Set<String>> subscriptions = new LinkedHashMap<>();
  private final Map<String, String> pending = new LinkedHashMap<>();
  private final java.util.concurrent.atomic.LongAdder dropped;
  long lastPongMs;

  WsSession(ServerWebSocket ws, long nowMs, java.util.concurrent.atomic.LongAdder dropped) {
    this.ws = ws;
    this.lastPongMs = nowMs;
    this.dropped = dropped;
    ws.drainHandler(v -> drain());
  }

  boolean subscribe(String server, String channel) {
    return subscriptions.computeIfAbsent(server, s -> new HashSet<>()).add(channel);
  }

  boolean unsubscribe(String server, String channel) {
    Set<String> set = subscriptions.get(server);
    if (set == null || !set.remove(channel)) {
      return false;
    }
    if (set.isEmpty()) {
      subscriptions.remove(server);
    }
    return true;
  }

  boolean follows(String server, String channel) {
    Set<String> set = subscriptions.get(server);
    return set != null && set.contains(channel);
  }

  void send(String key, String frame) {
    if (ws.isClosed()) {
      return;
    }
    if (!pending.isEmpty() || ws.writeQueueFull()) {
      if (pending.put(key, frame) != null) {
        dropped.increment();
      }
      return;
    }
    ws.writeTextMessage(frame);
  }

  /** Control replies (acks, errors) bypass coalescing but still respect a closed socket. */
  void sendControl(String frame) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(frame);
    }
  }

  private void drain() {
    var it = pending.values().iterator();
    while (it.hasNext() && !ws.writeQueueFull() && !ws.isClosed()) {
      ws.writeTextMessage(it.next());
      it.remove();
    }
  }

  int pendingFrames() {
    return pending.size();
  }
}
