package dev.trainwatch.gateway;

import dev.trainwatch.bus.InvalidPayloadException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One client message on {@code /ws} (CONTRACT §3), read and checked as a pure function: the fuzz
 * target ({@code WsRequestFuzzTest}). Anything wrong is a {@link NotJson} or an {@link
 * InvalidPayloadException} naming the field; nothing else may escape.
 */
record WsRequest(boolean subscribe, String server, List<String> channels) {
  static final int MAX_CHANNELS_PER_MESSAGE = 256;

  /** The text is not a JSON object. */
  static final class NotJson extends RuntimeException {
    NotJson() {
      super("message is not a JSON object", null, false, false);
    }
  }

  static WsRequest parse(String text) {
    JsonObject msg;
    try {
      msg = new JsonObject(Objects.requireNonNull(text));
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      throw new NotJson();
    }
    String op = msg.getValue("op") instanceof String o ? o : null;
    if (!"subscribe".equals(op) && !"unsubscribe".equals(op)) {
      throw new InvalidPayloadException("op", "must be \"subscribe\" or \"unsubscribe\"");
    }
    String server =
        msg.getValue("server") instanceof String v && !v.isEmpty() && v.length() <= 64 ? v : null;
    if (server == null) {
      throw new InvalidPayloadException("server", "must be a server slug");
    }
    return new WsRequest("subscribe".equals(op), server, channels(msg));
  }

  private static List<String> channels(JsonObject msg) {
    if (!(msg.getValue("channels") instanceof JsonArray a)
        || a.isEmpty()
        || a.size() > MAX_CHANNELS_PER_MESSAGE) {
      throw new InvalidPayloadException(
          "channels",
          "must be a non-empty array of at most " + MAX_CHANNELS_PER_MESSAGE + " channel names");
    }
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof String c) || !Channels.isSubscribable(c)) {
        throw new InvalidPayloadException(
            "channels[" + i + "]",
            "unknown channel (known: system/cpu, system/memory, system/disk, system/network, system/bottleneck, "
                + "system/processes, alerts, system/gpu/{index}, system/gpu/*)");
      }
      out.add(c);
    }
    return out;
  }

  String op() {
    return subscribe ? "subscribe" : "unsubscribe";
  }
}
