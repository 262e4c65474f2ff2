package dev.trainwatch.gateway;

import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HttpErrors;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.gateway.auth.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of the gateway (CONTRACT.md §3). An index (server → channel → sessions) lets
 * one bus consumer fan each update out to exactly its subscribers; the frame is serialized once per
 * update. Runs on the gateway verticle's event loop only.
 */
final class ChannelHub {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelHub.class);
  static final int WRITE_QUEUE_MAX_BYTES = 256 * 1024;
  private static final long PING_EVERY_MS = 20_000;
  private static final long PONG_TIMEOUT_MS = 60_000;

  /**
   * Servers one socket may follow: a dashboard follows one, a wall of them a few; the fleet view
   * has its own channel.
   */
  static final int MAX_SERVERS_PER_SOCKET = 32;

  /**
   * Channels per followed server: 7 host channels, the GPU wildcard, and one per GPU of a 72-GPU
   * node, with room.
   */
  static final int MAX_CHANNELS_PER_SERVER = 128;

  /**
   * Client messages per socket per minute: the UI sends a couple per server switch. Over it the
   * socket is closed.
   */
  static final int MAX_MESSAGES_PER_MINUTE = 120;

  /**
   * Open sockets per client address: a team behind one NAT, each with a few tabs; more is a flood.
   */
  static final int MAX_SOCKETS_PER_ADDRESS = 256;

  private final Vertx vertx;
  private final LatestCache latest;
  private final ServerDirectory directory;
  private Supplier<Future<JsonObject>> fleetReplay;
  private boolean directWrites = true;
  private boolean pathLogged;

  /** Open sockets per remote address (event-loop confined, like the rest). */
  private final Map<String, Integer> perAddress = new HashMap<>();

  private final Map<String, Map<String, Set<WsSession>>> index = new HashMap<>();
  private final Set<WsSession> sessions = new LinkedHashSet<>();

  /**
   * Counters readable from any thread (self-metrics, load tools); the sets above are event-loop
   * confined.
   */
  private final LongAdder dropped = new LongAdder();

  private final AtomicInteger open = new AtomicInteger();
  private long pingTimer = -1;

  ChannelHub(Vertx vertx, LatestCache latest, ServerDirectory directory) {
    this.vertx = vertx;
    this.latest = latest;
    this.directory = directory;
  }

  private int maxPerAddress = MAX_SOCKETS_PER_ADDRESS;

  /** Off: every socket writes through the public API (the fallback, tested on its own). */
  void directWrites(boolean on) {
    this.directWrites = on;
  }

  /** Open sockets on the direct path (for tests). */
  long directSockets() {
    return sessions.stream().filter(WsSession::direct).count();
  }

  /** Gateway config {@code ws_max_per_address} lowers it (tests). */
  void maxSocketsPerAddress(int max) {
    this.maxPerAddress = max;
  }

  /**
   * Whether one more socket from {@code address} is allowed (asked at the handshake, before any
   * 101).
   */
  boolean admits(String address) {
    return perAddress.getOrDefault(address, 0) < maxPerAddress;
  }

  void start() {
    pingTimer = vertx.setPeriodic(PING_EVERY_MS, id -> pingAll());
  }

  void stop() {
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
    }
  }

  /** Frames replaced by a newer one while their socket's write queue was full (self-metric). */
  long framesDropped() {
    return dropped.sum();
  }

  int sessionCount() {
    return open.get();
  }

  void accept(ServerWebSocket ws, Principal who) {
    ws.setWriteQueueMaxSize(WRITE_QUEUE_MAX_BYTES);
    WsSession s = new WsSession(ws, who, System.currentTimeMillis(), dropped, directWrites);
    if (!pathLogged) {
      pathLogged = true;
      LOG.info(
          "WebSocket frames are written {}",
          s.direct()
              ? "to the Netty pipeline directly (WebSocketInternal)"
              : directWrites
                  ? "through the public API (WebSocketInternal not available)"
                  : "through the public API (ws_direct_writes is false)");
    }
    sessions.add(s);
    open.incrementAndGet();
    perAddress.merge(s.address, 1, Integer::sum);
    ws.textMessageHandler(text -> onMessage(s, text));
    ws.binaryMessageHandler(b -> error(s, FailureCode.INVALID_JSON, "send JSON text frames", null));
    ws.pongHandler(b -> s.lastPongMs = System.currentTimeMillis());
    ws.closeHandler(v -> drop(s));
    ws.exceptionHandler(e -> ws.close());
  }

  /**
   * Fans one derived snapshot out to the subscribers of each of its channels. Each frame is encoded
   * once, WebSocket header included; subscribers that follow the same set of channels (usually all
   * of them) share one direct buffer holding all their frames, so a socket costs one write and one
   * flush per snapshot, with no per-socket copy.
   */
  void publish(String server, Supplier<JsonObject> snapshot) {
    Map<String, Set<WsSession>> byChannel = index.get(server);
    if (byChannel == null) {
      return;
    }
    JsonObject derived = snapshot.get();
    String ts = derived.getString("ts");
    List<Channels.Update> updates = Channels.split(derived);
    ByteBuf[] frames = new ByteBuf[updates.size()];
    String[] keys = new String[updates.size()];
    Map<WsSession, BitSet> touched = new LinkedHashMap<>();
    for (int i = 0; i < frames.length; i++) {
      Channels.Update u = updates.get(i);
      Set<WsSession> exact = byChannel.get(u.channel());
      String wildcard = Channels.wildcardOf(u.channel());
      Set<WsSession> wild = wildcard == null ? null : byChannel.get(wildcard);
      if ((exact == null || exact.isEmpty()) && (wild == null || wild.isEmpty())) {
        continue;
      }
      frames[i] = WsWire.text(Channels.frame(u.channel(), server, "metrics", ts, u.data()));
      keys[i] = server + '\n' + u.channel();
      for (Set<WsSession> subscribers : Arrays.asList(exact, wild)) {
        if (subscribers != null) {
          for (WsSession s : subscribers) {
            touched.computeIfAbsent(s, k -> new BitSet(frames.length)).set(i);
          }
        }
      }
    }
    Map<BitSet, ByteBuf> batches = new HashMap<>();
    try {
      touched.forEach(
          (s, which) ->
              s.send(
                  which,
                  frames,
                  keys,
                  () -> batches.computeIfAbsent(which, w -> concat(w, frames))));
      touched.keySet().forEach(WsSession::flush);
    } finally {
      batches.values().forEach(ByteBuf::release);
    }
  }

  /**
   * A snapshot already sent live was then not stored (issue 17): every metrics channel of the
   * server that has subscribers gets an {@code unstored} frame naming the sample's ts, so a client
   * can mark what it showed. A wildcard subscription gets one frame under its own name ({@code
   * system/gpu/*}: every GPU of that sample). Rare (storage is failing), so each frame is simply
   * encoded once and sent; its backlog key is its own, so a slow socket never trades a metrics
   * frame for the mark.
   */
  void publishUnstored(String server, String ts, JsonObject data) {
    Map<String, Set<WsSession>> byChannel = index.get(server);
    if (byChannel == null) {
      return;
    }
    Set<WsSession> touched = new LinkedHashSet<>();
    byChannel.forEach(
        (channel, subscribers) -> {
          if (subscribers.isEmpty() || channel.equals(Channels.ALERTS)) {
            return;
          }
          ByteBuf frame = WsWire.text(Channels.frame(channel, server, "unstored", ts, data));
          for (WsSession s : subscribers) {
            s.send(server + '\n' + channel + "\nunstored", frame);
            touched.add(s);
          }
        });
    touched.forEach(WsSession::flush);
  }

  /**
   * One alert change (CONTRACT §3 {@code alerts}): to the server's {@code alerts} subscribers and
   * to those of every server ({@code "*"}). Alert frames are rare, so each is simply encoded once
   * and sent.
   */
  void publishAlert(JsonObject alert) {
    String server = alert.getString("server");
    Set<WsSession> to = new LinkedHashSet<>();
    for (String key : new String[] {server, Channels.ALL_SERVERS}) {
      Map<String, Set<WsSession>> byChannel = index.get(key);
      if (byChannel != null && byChannel.get(Channels.ALERTS) != null) {
        to.addAll(byChannel.get(Channels.ALERTS));
      }
    }
    if (to.isEmpty()) {
      return;
    }
    String ts =
        alert.getString("resolved_at", alert.getString("fired_at", alert.getString("started_at")));
    ByteBuf frame = WsWire.text(Channels.frame(Channels.ALERTS, server, "alert", ts, alert));
    for (WsSession s : to) {
      // A slow socket keeps the newest frame per (rule, server, GPU): at most one open alert each,
      // so the newest
      // frame of a key is the state to show, and the backlog is bounded by the rules, not by how
      // long it lags.
      s.send(
          server
              + '\n'
              + Channels.ALERTS
              + '\n'
              + alert.getString("rule")
              + '\n'
              + alert.getValue("gpu_index"),
          frame);
      s.flush();
    }
  }

  /** Where a new fleet subscriber's first frame (every server) comes from. */
  void fleetReplay(Supplier<Future<JsonObject>> replay) {
    this.fleetReplay = replay;
  }

  boolean hasFleetSubscribers() {
    return !fleetSubscribers().isEmpty();
  }

  private Set<WsSession> fleetSubscribers() {
    Map<String, Set<WsSession>> all = index.get(Channels.ALL_SERVERS);
    Set<WsSession> to = all == null ? null : all.get(Channels.FLEET);
    return to == null ? Set.of() : to;
  }

  /** One fleet frame (the changed servers' summaries) to every fleet subscriber, encoded once. */
  void publishFleet(JsonObject doc) {
    Set<WsSession> to = fleetSubscribers();
    if (to.isEmpty()) {
      return;
    }
    ByteBuf frame = fleetFrame(doc);
    for (WsSession s : to) {
      sendFleet(s, frame);
    }
  }

  /**
   * A slow socket keeps only the newest fleet frame; frames hold only what changed, so they are
   * numbered and a client that sees a number missing reads GET /api/fleet again (docs/api.md).
   */
  private static void sendFleet(WsSession s, ByteBuf frame) {
    s.send(Channels.ALL_SERVERS + '\n' + Channels.FLEET, frame);
    s.flush();
  }

  private static ByteBuf fleetFrame(JsonObject doc) {
    return WsWire.text(
        Channels.frame(Channels.FLEET, Channels.ALL_SERVERS, "fleet", doc.getString("ts"), doc));
  }

  /**
   * Direct, so that Netty writes it to every socket as is instead of copying it once per socket;
   * pooled.
   */
  private static ByteBuf concat(BitSet which, ByteBuf[] frames) {
    int size = 0;
    for (int i = which.nextSetBit(0); i >= 0; i = which.nextSetBit(i + 1)) {
      size += frames[i].readableBytes();
    }
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(size);
    for (int i = which.nextSetBit(0); i >= 0; i = which.nextSetBit(i + 1)) {
      out.writeBytes(frames[i], frames[i].readerIndex(), frames[i].readableBytes());
    }
    return out;
  }

  /**
   * Messages of one socket are handled in order, one at a time: a subscription waits for the
   * registry (is the server known?), and an unsubscribe sent right after must not overtake it.
   */
  private void onMessage(WsSession s, String text) {
    if (!s.allowMessage(System.currentTimeMillis(), MAX_MESSAGES_PER_MINUTE)) {
      s.ws.close((short) 1008, "more than " + MAX_MESSAGES_PER_MINUTE + " messages a minute");
      drop(s);
      return;
    }
    s.inbox = s.inbox.transform(v -> handle(s, text));
  }

  private Future<Void> handle(WsSession s, String text) {
    if (!sessions.contains(s)) {
      return Future.succeededFuture();
    }
    WsRequest req;
    try {
      req = WsRequest.parse(text);
    } catch (WsRequest.NotJson e) {
      error(s, FailureCode.INVALID_JSON, e.getMessage(), null);
      return Future.succeededFuture();
    } catch (InvalidPayloadException e) {
      error(s, FailureCode.INVALID_PAYLOAD, e.reason(), e.field());
      return Future.succeededFuture();
    }
    String op = req.op();
    String server = req.server();
    List<String> channels = req.channels();
    if (!"subscribe".equals(op)) {
      apply(s, op, server, channels);
      return Future.succeededFuture();
    }
    if (Channels.ALL_SERVERS.equals(server)) {
      // Every server's alerts, or the fleet summary, on one subscription: a fleet view must not
      // hold one per server.
      if (channels.stream().allMatch(c -> c.equals(Channels.ALERTS) || c.equals(Channels.FLEET))) {
        apply(s, op, server, channels);
        if (channels.contains(Channels.FLEET) && fleetReplay != null) {
          fleetReplay
              .get()
              .onSuccess(
                  doc -> {
                    if (sessions.contains(s)) {
                      sendFleet(s, fleetFrame(doc));
                    }
                  });
        }
      } else {
        error(
            s,
            FailureCode.INVALID_PAYLOAD,
            "\"server\": \"*\" takes only the alerts and fleet channels",
            "channels");
      }
      return Future.succeededFuture();
    }
    if (channels.contains(Channels.FLEET)) {
      error(
          s,
          FailureCode.INVALID_PAYLOAD,
          "the fleet channel is subscribed with \"server\": \"*\"",
          "channels");
      return Future.succeededFuture();
    }
    // Only registered servers: a name nobody registered is a typo or a probe, and must not cost an
    // index entry.
    return directory
        .servers()
        .map(list -> list.stream().anyMatch(i -> i.slug().equals(server)))
        .otherwise(false)
        .map(
            known -> {
              if (!sessions.contains(s)) {
                return null;
              }
              if (!known) {
                error(
                    s,
                    FailureCode.UNKNOWN_SERVER,
                    "no server with slug '" + server + "'",
                    "server");
              } else if (!s.subscriptions.containsKey(server)
                  && s.subscriptions.size() >= MAX_SERVERS_PER_SOCKET) {
                error(
                    s,
                    FailureCode.INVALID_PAYLOAD,
                    "a socket follows at most "
                        + MAX_SERVERS_PER_SOCKET
                        + " servers; unsubscribe one first",
                    "server");
              } else if (s.subscriptions.getOrDefault(server, Set.of()).size() + channels.size()
                      > MAX_CHANNELS_PER_SERVER
                  && !s.subscriptions.getOrDefault(server, Set.of()).containsAll(channels)) {
                error(
                    s,
                    FailureCode.INVALID_PAYLOAD,
                    "a socket follows at most "
                        + MAX_CHANNELS_PER_SERVER
                        + " channels of one server",
                    "channels");
              } else {
                apply(s, op, server, channels);
              }
              return null;
            });
  }

  private void apply(WsSession s, String op, String server, List<String> channels) {
    boolean subscribe = "subscribe".equals(op);
    for (String c : channels) {
      if (subscribe ? s.subscribe(server, c) : s.unsubscribe(server, c)) {
        if (subscribe) {
          index
              .computeIfAbsent(server, k -> new HashMap<>())
              .computeIfAbsent(c, k -> new LinkedHashSet<>())
              .add(s);
        } else {
          removeFromIndex(server, c, s);
        }
      }
    }
    sendControl(
        s,
        new JsonObject()
            .put("event", op + "d")
            .put("server", server)
            .put(
                "channels",
                new JsonArray(new ArrayList<>(s.subscriptions.getOrDefault(server, Set.of()))))
            .encode());
    if (subscribe && sessions.contains(s)) {
      replayLatest(s, server, channels);
    }
  }

  /**
   * A client that sends but never reads would grow its replies without bound: its socket is closed
   * instead.
   */
  private void sendControl(WsSession s, String frame) {
    // Past Netty's 64 KiB high-water mark a client that sends but does not read costs the server
    // its replies'
    // memory for nothing: it is closed at that point, not at the larger queue the fan-out path
    // tolerates.
    if (!s.writable()) {
      s.ws.close((short) 1008, "not reading its replies");
      drop(s);
      return;
    }
    s.sendControl(frame);
  }

  /** A new subscriber sees the current values at once rather than waiting up to one interval. */
  private void replayLatest(WsSession s, String server, List<String> channels) {
    JsonObject derived = latest.get(server);
    if (derived == null) {
      return;
    }
    for (Channels.Update u : Channels.split(derived)) {
      String wildcard = Channels.wildcardOf(u.channel());
      if (channels.contains(u.channel()) || (wildcard != null && channels.contains(wildcard))) {
        s.send(
            server + '\n' + u.channel(),
            WsWire.text(
                Channels.frame(u.channel(), server, "metrics", derived.getString("ts"), u.data())));
      }
    }
    s.flush();
  }

  private void error(WsSession s, FailureCode code, String message, String field) {
    sendControl(
        s,
        new JsonObject()
            .put("event", "error")
            .mergeIn(HttpErrors.body(code, message, field))
            .encode());
  }

  private void removeFromIndex(String server, String channel, WsSession s) {
    Map<String, Set<WsSession>> byChannel = index.get(server);
    if (byChannel == null) {
      return;
    }
    Set<WsSession> set = byChannel.get(channel);
    if (set != null && set.remove(s) && set.isEmpty()) {
      byChannel.remove(channel);
      if (byChannel.isEmpty()) {
        index.remove(server);
      }
    }
  }

  private void drop(WsSession s) {
    if (!sessions.remove(s)) {
      return;
    }
    open.decrementAndGet();
    perAddress.computeIfPresent(s.address, (k, n) -> n <= 1 ? null : n - 1);
    s.subscriptions.forEach(
        (server, channels) -> channels.forEach(c -> removeFromIndex(server, c, s)));
    s.subscriptions.clear();
  }

  /**
   * Closes (1008, policy violation) every socket whose principal matches: its session ended, its
   * API token was revoked. The client sees a close it does not retry blindly: the UI goes back to
   * sign-in.
   */
  int closeWhere(Predicate<Principal> ended, String reason) {
    int n = 0;
    for (WsSession s : new ArrayList<>(sessions)) {
      if (s.who != null && ended.test(s.who)) {
        s.ws.close((short) 1008, reason);
        drop(s);
        n++;
      }
    }
    return n;
  }

  /** The distinct browser-session ids behind open sockets (for the periodic revalidation). */
  Set<String> sessionIds() {
    return grants(Principal::sessionId);
  }

  /** The distinct API-token ids behind open sockets. */
  Set<String> tokenIds() {
    return grants(Principal::tokenId);
  }

  private Set<String> grants(Function<Principal, String> key) {
    Set<String> ids = new HashSet<>();
    sessions.forEach(
        s -> {
          String k = s.who == null ? null : key.apply(s.who);
          if (k != null) {
            ids.add(k);
          }
        });
    return ids;
  }

  private void pingAll() {
    long now = System.currentTimeMillis();
    for (WsSession s : new ArrayList<>(sessions)) {
      if (now - s.lastPongMs > PONG_TIMEOUT_MS) {
        s.ws.close((short) 1001, "no pong");
        drop(s);
      } else if (!s.ws.isClosed()) {
        s.ws.writePing(Buffer.buffer());
      }
    }
  }
}
