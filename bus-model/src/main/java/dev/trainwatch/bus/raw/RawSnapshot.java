package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One agent snapshot exactly as CONTRACT.md §1 defines it: raw counters, never rates (the PCIe
 * figures excepted). {@link #read} (streaming, see {@link JsonCursor}) is the single validator of
 * agent input: types, ranges and array sizes, naming the offending field; unknown keys are ignored.
 */
public record RawSnapshot(
    Instant ts,
    AgentInfo agent,
    CpuRaw cpu,
    MemoryRaw memory,
    PressureRaw pressure,
    List<DiskRaw> disks,
    List<NicRaw> networks,
    List<GpuRaw> gpus,
    List<GpuProcess> gpuProcesses) {
  public static final int SCHEMA = 1;

  /**
   * The tree entry point (tests, the cluster wire): the same reader, through {@link JsonCursor}.
   */
  public static RawSnapshot fromJson(JsonObject o) {
    return fromJson(o, "");
  }

  public static RawSnapshot fromJson(JsonObject o, String p) {
    return JsonCursor.readObject(o, p, RawSnapshot::read);
  }

  /** Reads one snapshot object ({@code START_OBJECT} current) through its {@code END_OBJECT}. */
  public static RawSnapshot read(JsonCursor c) {
    Members m = new Members();
    for (String k; (k = c.nextKey()) != null; ) {
      m.read(k, c);
    }
    return m.build(c);
  }

  /**
   * A snapshot's members, taken one at a time. The ingest body reads its top level through this:
   * whether it is a snapshot or a batch is only known when (if) the key {@code snapshots} shows up,
   * possibly last.
   */
  public static final class Members {
    private long schema = JsonCursor.ABSENT;
    private Instant ts;
    private AgentInfo agent;
    private CpuRaw cpu;
    private MemoryRaw memory;
    private PressureRaw pressure;
    private List<DiskRaw> disks;
    private List<NicRaw> networks;
    private List<GpuRaw> gpus;
    private List<GpuProcess> gpuProcesses;

    /**
     * Reads the value of member {@code key}, whose name was just read; an unknown key's value is
     * skipped.
     */
    public void read(String key, JsonCursor c) {
      switch (key) {
        case "schema" -> {
          schema = c.optLong(0, Integer.MAX_VALUE);
          if (schema != JsonCursor.ABSENT && schema != SCHEMA) {
            throw c.bad("must be " + SCHEMA + " (this server speaks schema " + SCHEMA + ")");
          }
        }
        case "ts" -> ts = c.reqInstant();
        case "agent" -> agent = c.optObject() ? AgentInfo.read(c) : null;
        case "cpu" -> cpu = c.optObject() ? CpuRaw.read(c) : null;
        case "memory" -> memory = c.optObject() ? MemoryRaw.read(c) : null;
        case "pressure" -> pressure = c.optObject() ? PressureRaw.read(c) : null;
        case "disks" -> disks = c.optList(DiskRaw.MAX, DiskRaw::read);
        case "networks" -> networks = c.optList(NicRaw.MAX, NicRaw::read);
        case "gpus" -> gpus = c.optList(GpuRaw.MAX, GpuRaw::read);
        case "gpu_processes" -> gpuProcesses = c.optList(GpuProcess.MAX, GpuProcess::read);
        default -> c.skipValue();
      }
    }

    /**
     * At the snapshot's {@code END_OBJECT}, where an absent member is noticed: the required ones,
     * in this order.
     */
    public RawSnapshot build(JsonCursor c) {
      if (schema == JsonCursor.ABSENT) {
        throw c.missing("schema");
      }
      if (ts == null) {
        throw c.missing("ts");
      }
      if (agent == null) {
        throw c.missing("agent");
      }
      return new RawSnapshot(
          ts,
          agent,
          cpu,
          memory,
          pressure,
          orEmpty(disks),
          orEmpty(networks),
          orEmpty(gpus),
          orEmpty(gpuProcesses));
    }
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  public JsonObject toJson() {
    JsonObject o =
        new JsonObject().put("schema", SCHEMA).put("ts", Json.ts(ts)).put("agent", agent.toJson());
    putOpt(o, "cpu", cpu == null ? null : cpu.toJson());
    putOpt(o, "memory", memory == null ? null : memory.toJson());
    putOpt(o, "pressure", pressure == null ? null : pressure.toJson());
    o.put("disks", array(disks, DiskRaw::toJson));
    o.put("networks", array(networks, NicRaw::toJson));
    o.put("gpus", array(gpus, GpuRaw::toJson));
    return o.put("gpu_processes", array(gpuProcesses, GpuProcess::toJson));
  }
}
