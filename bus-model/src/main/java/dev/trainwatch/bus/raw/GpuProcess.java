package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/** A process holding a GPU context, joined with its owner, command line and container id where known. */
public record GpuProcess(long pid, int gpuIndex, Long usedMemoryBytes, String type, String user, String command,
                         String container) {
  public static final int MAX = 4096;

  public static GpuProcess fromJson(JsonObject o, String p) {
    return new GpuProcess(reqLong(o, p, "pid", 0, Integer.MAX_VALUE), (int) reqLong(o, p, "gpu_index", 0, 1023),
        optCounter(o, p, "used_memory_bytes"), optString(o, p, "type", 16), optString(o, p, "user", 64),
        optString(o, p, "command", 1024), optString(o, p, "container", 128));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("pid", pid).put("gpu_index", gpuIndex);
    putCounter(o, "used_memory_bytes", usedMemoryBytes);
    putOpt(o, "type", type);
    putOpt(o, "user", user);
    putOpt(o, "command", command);
    return putOpt(o, "container", container);
  }
}
