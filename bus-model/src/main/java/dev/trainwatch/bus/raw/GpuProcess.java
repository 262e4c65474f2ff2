package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.json.JsonObject;

/**
 * A process holding a GPU context, joined with its owner, command line and container id where
 * known.
 */
public record GpuProcess(
    long pid,
    int gpuIndex,
    Long usedMemoryBytes,
    String type,
    String user,
    String command,
    String container) {
  public static final int MAX = 4096;

  public static GpuProcess fromJson(JsonObject o, String p) {
    return JsonCursor.readObject(o, p, GpuProcess::read);
  }

  public static GpuProcess read(JsonCursor c) {
    long pid = JsonCursor.ABSENT, gpuIndex = JsonCursor.ABSENT;
    Long usedMemory = null;
    String type = null, user = null, command = null, container = null;
    for (String k; (k = c.nextKey()) != null; ) {
      switch (k) {
        case "pid" -> pid = c.optLong(0, Integer.MAX_VALUE);
        case "gpu_index" -> gpuIndex = c.optLong(0, 1023);
        case "used_memory_bytes" -> usedMemory = c.optCounter();
        case "type" -> type = c.optString(16);
        case "user" -> user = c.optString(64);
        case "command" -> command = c.optString(1024);
        case "container" -> container = c.optString(128);
        default -> c.skipValue();
      }
    }
    if (pid == JsonCursor.ABSENT) {
      throw c.missing("pid");
    }
    if (gpuIndex == JsonCursor.ABSENT) {
      throw c.missing("gpu_index");
    }
    return new GpuProcess(pid, (int) gpuIndex, usedMemory, type, user, command, container);
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
