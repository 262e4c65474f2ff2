package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.InvalidPayloadException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One agent snapshot exactly as CONTRACT.md §1 defines it: raw counters, never rates (the PCIe figures excepted).
 * {@link #fromJson} is the single validator of agent input: types, ranges and array sizes, naming the offending
 * field; unknown keys are ignored.
 */
public record RawSnapshot(Instant ts, AgentInfo agent, CpuRaw cpu, MemoryRaw memory, PressureRaw pressure,
                          List<DiskRaw> disks, List<NicRaw> networks, List<GpuRaw> gpus,
                          List<GpuProcess> gpuProcesses) {
  public static final int SCHEMA = 1;

  public static RawSnapshot fromJson(JsonObject o) {
    return fromJson(o, "");
  }

  public static RawSnapshot fromJson(JsonObject o, String p) {
    long schema = reqLong(o, p, "schema", 0, Integer.MAX_VALUE);
    if (schema != SCHEMA) {
      throw new InvalidPayloadException(path(p, "schema"), "must be " + SCHEMA + " (this server speaks schema " + SCHEMA + ")");
    }
    Instant ts = reqInstant(o, p, "ts");
    AgentInfo agent = AgentInfo.fromJson(reqObject(o, p, "agent"), path(p, "agent"));
    JsonObject cpu = optObject(o, p, "cpu");
    JsonObject mem = optObject(o, p, "memory");
    JsonObject psi = optObject(o, p, "pressure");
    return new RawSnapshot(ts, agent,
        cpu == null ? null : CpuRaw.fromJson(cpu, path(p, "cpu")),
        mem == null ? null : MemoryRaw.fromJson(mem, path(p, "memory")),
        psi == null ? null : PressureRaw.fromJson(psi, path(p, "pressure")),
        orEmpty(optList(o, p, "disks", DiskRaw.MAX, DiskRaw::fromJson)),
        orEmpty(optList(o, p, "networks", NicRaw.MAX, NicRaw::fromJson)),
        orEmpty(optList(o, p, "gpus", GpuRaw.MAX, GpuRaw::fromJson)),
        orEmpty(optList(o, p, "gpu_processes", GpuProcess.MAX, GpuProcess::fromJson)));
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("schema", SCHEMA).put("ts", dev.trainwatch.bus.Json.ts(ts)).put("agent", agent.toJson());
    putOpt(o, "cpu", cpu == null ? null : cpu.toJson());
    putOpt(o, "memory", memory == null ? null : memory.toJson());
    putOpt(o, "pressure", pressure == null ? null : pressure.toJson());
    o.put("disks", array(disks, DiskRaw::toJson));
    o.put("networks", array(networks, NicRaw::toJson));
    o.put("gpus", array(gpus, GpuRaw::toJson));
    return o.put("gpu_processes", array(gpuProcesses, GpuProcess::toJson));
  }
}
