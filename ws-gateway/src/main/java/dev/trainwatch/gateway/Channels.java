package dev.trainwatch.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The channel table of CONTRACT.md §3 and how a derived snapshot splits into channel updates. Each
 * derived section is already one channel's {@code data}, so splitting is slicing.
 */
public final class Channels {
  private Channels() {}

  public static final String CPU = "system/cpu";
  public static final String MEMORY = "system/memory";
  public static final String DISK = "system/disk";
  public static final String NETWORK = "system/network";
  public static final String BOTTLENECK = "system/bottleneck";
  public static final String PROCESSES = "system/processes";
  public static final String ALERTS = "alerts";

  /** Every server's summary, subscribed with {@code "server": "*"} only (CONTRACT §3 v1.1). */
  public static final String FLEET = "fleet";

  /** The server name that subscribes to every server's alerts. */
  public static final String ALL_SERVERS = "*";

  public static final String GPU_PREFIX = "system/gpu/";
  public static final String GPU_WILDCARD = "system/gpu/*";

  private static final List<String> FIXED =
      List.of(CPU, MEMORY, DISK, NETWORK, BOTTLENECK, PROCESSES, ALERTS, FLEET);
  private static final Pattern GPU = Pattern.compile("system/gpu/(\\*|0|[1-9][0-9]{0,3})");

  /** A name a client may subscribe to: a channel of the table, or {@code system/gpu/*}. */
  public static boolean isSubscribable(String name) {
    return FIXED.contains(name) || GPU.matcher(name).matches();
  }

  /** The wildcard a concrete channel also matches, or null. */
  public static String wildcardOf(String channel) {
    return channel.startsWith(GPU_PREFIX) ? GPU_WILDCARD : null;
  }

  public record Update(String channel, JsonObject data) {}

  /** Every channel update carried by one derived snapshot, in a stable order. */
  public static List<Update> split(JsonObject derived) {
    List<Update> out = new ArrayList<>(8);
    addIf(out, CPU, derived.getJsonObject("cpu"));
    addIf(out, MEMORY, derived.getJsonObject("memory"));
    addIf(out, DISK, derived.getJsonObject("disk"));
    addIf(out, NETWORK, derived.getJsonObject("network"));
    addIf(out, BOTTLENECK, derived.getJsonObject("bottleneck"));
    JsonArray gpus = derived.getJsonArray("gpus");
    if (gpus != null) {
      for (int i = 0; i < gpus.size(); i++) {
        JsonObject g = gpus.getJsonObject(i);
        out.add(new Update(GPU_PREFIX + g.getInteger("index"), g));
      }
    }
    JsonArray procs = derived.getJsonArray("processes");
    if (procs != null) {
      out.add(new Update(PROCESSES, new JsonObject().put("processes", procs)));
    }
    return out;
  }

  private static void addIf(List<Update> out, String channel, JsonObject data) {
    if (data != null) {
      out.add(new Update(channel, data));
    }
  }

  /** The §3 frame, serialized once and written to every subscriber. */
  public static String frame(
      String channel, String server, String event, String ts, JsonObject data) {
    return new JsonObject()
        .put("channel", channel)
        .put("server", server)
        .put("event", event)
        .put("ts", ts)
        .put("data", data)
        .encode();
  }
}
