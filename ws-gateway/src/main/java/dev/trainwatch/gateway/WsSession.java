package dev.trainwatch.gateway;

import dev.trainwatch.gateway.auth.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
// Vert.x internal API, on purpose: allow-listed with its reason and measurement in
// InternalApiFenceTest.
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One browser socket: its subscriptions and its outbound frames.
 *
 * <p>Fast path: a snapshot's frames, already encoded as WebSocket frames and shared with every
 * other subscriber, are written to the socket's Netty pipeline without a flush, and {@link
 * #flush()} sends them with one syscall. (Vert.x flushes every message it writes: with 14 channels
 * that was 14 syscalls per client per second, the gateway's dominant cost.) The pipeline is reached
 * through Vert.x's {@code WebSocketInternal#channelHandlerContext()} (the same method in 5.0 and
 * 5.1, where the implementation class moved); where that is not available, or is switched off, the
 * public API is used ({@code WebSocketChannelsPublicApiTest} runs every socket test on it).
 *
 * <p>A client that cannot keep up never slows the others: while its channel is not writable, only
 * the newest frame per (server, channel) is kept, so its memory is bounded by the channels it
 * follows, not by how far behind it is.
 */
final class WsSession {
  final ServerWebSocket ws;

  /** Who opened it (checked at the handshake); the socket is closed when that grant ends. */
  final Principal who;

  /** server → subscribed channel names (including {@code system/gpu/*}). */
  final Map<String, Set<String>> subscriptions = new LinkedHashMap<>();

  private final Map<String, ByteBuf> pending = new LinkedHashMap<>();
  private final ChannelHandlerContext ctx;
  private final LongAdder dropped;
  private boolean unflushed;
  long lastPongMs;

  /** The client's address, for the per-address socket count. */
  final String address;

  /** The tail of this socket's message chain: messages are handled one after another. */
  Future<Void> inbox = Future.succeededFuture();

  private long windowStartMs;
  private int windowMessages;

  WsSession(ServerWebSocket ws, Principal who, long nowMs, LongAdder dropped, boolean direct) {
    this.ws = ws;
    this.who = who;
    this.address = ws.remoteAddress() == null ? "unknown" : ws.remoteAddress().hostAddress();
    this.lastPongMs = nowMs;
    this.dropped = dropped;
    // Internal API, allow-listed with its reason in launcher's InternalApiFenceTest.
    this.ctx =
        direct && ws instanceof WebSocketInternal internal
            ? internal.channelHandlerContext()
            : null;
    ws.drainHandler(v -> drain());
  }

  /** Whether frames go to the Netty pipeline directly (else through the public API). */
  boolean direct() {
    return ctx != null;
  }

  /**
   * Counts one client message in a fixed one-minute window; false once the window holds more than
   * {@code max}.
   */
  boolean allowMessage(long nowMs, int max) {
    if (nowMs - windowStartMs >= 60_000) {
      windowStartMs = nowMs;
      windowMessages = 0;
    }
    return ++windowMessages <= max;
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

  /**
   * One snapshot's frames for this socket: {@code which} of {@code frames} (each keyed by {@code
   * keys}). While the socket keeps up they go out as the {@code batch} shared with every socket
   * following the same channels; call {@link #flush()} after the fan-out.
   */
  void send(BitSet which, ByteBuf[] frames, String[] keys, Supplier<ByteBuf> batch) {
    if (ws.isClosed()) {
      return;
    }
    if (!pending.isEmpty()) {
      drain();
    }
    if (ctx != null && pending.isEmpty() && writable()) {
      ctx.write(batch.get().retainedDuplicate(), ctx.voidPromise());
      unflushed = true;
      return;
    }
    for (int i = which.nextSetBit(0); i >= 0; i = which.nextSetBit(i + 1)) {
      send(keys[i], frames[i]);
    }
  }

  /**
   * Queues one whole WebSocket frame ({@link WsWire}), shared with other subscribers: never
   * modified.
   */
  void send(String key, ByteBuf frame) {
    if (ws.isClosed()) {
      return;
    }
    if (!pending.isEmpty()) {
      drain();
    }
    if (!pending.isEmpty() || !writable()) {
      if (pending.put(key, frame) != null) {
        dropped.increment();
      }
      return;
    }
    write(frame);
  }

  void flush() {
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
  }

  /** Control replies (acks, errors) go out at once through the public API. */
  void sendControl(String frame) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(frame);
    }
  }

  /**
   * Whether the socket takes more now (Netty's high-water mark, 64 KiB of unsent bytes, or Vert.x's
   * queue).
   */
  boolean writable() {
    return ctx != null ? ctx.channel().isWritable() : !ws.writeQueueFull();
  }

  private void write(ByteBuf frame) {
    if (ctx != null) {
      // Already a whole frame: Netty's WebSocket encoder lets a plain buffer through untouched.
      ctx.write(frame.retainedDuplicate(), ctx.voidPromise());
      unflushed = true;
    } else {
      ws.writeTextMessage(WsWire.payload(frame));
    }
  }

  private void drain() {
    var it = pending.values().iterator();
    while (it.hasNext() && writable() && !ws.isClosed()) {
      write(it.next());
      it.remove();
    }
    if (ctx != null) {
      flush();
    }
  }
}
