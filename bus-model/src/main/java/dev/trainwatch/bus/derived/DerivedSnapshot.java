package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.raw.GpuProcess;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One server's derived snapshot (CONTRACT.md §4): rates computed from two consecutive raw samples.
 * Each section is exactly the {@code data} of one WebSocket channel (§3), so the gateway slices,
 * never reshapes.
 *
 * <p>{@code intervalS} is null for the first sample after a start or a reset ({@code boot_id}
 * change); then every rate is absent. {@code gap} marks an interval longer than 3× the nominal one.
 */
public record DerivedSnapshot(
    String server,
    Instant ts,
    String bootId,
    long seq,
    Double intervalS,
    boolean gap,
    AgentSeen agent,
    CpuFigures cpu,
    MemoryFigures memory,
    DiskFigures disk,
    NetworkFigures network,
    List<GpuFigures> gpus,
    GpuRollup gpuRollup,
    Bottleneck bottleneck,
    List<GpuProcess> processes) {

  public static DerivedSnapshot fromJson(JsonObject o) {
    String p = "";
    JsonObject agent = optObject(o, p, "agent");
    JsonObject cpu = optObject(o, p, "cpu");
    JsonObject mem = optObject(o, p, "memory");
    JsonObject disk = optObject(o, p, "disk");
    JsonObject net = optObject(o, p, "network");
    JsonObject b = optObject(o, p, "bottleneck");
    List<GpuFigures> gpus = optList(o, p, "gpus", 64, GpuFigures::fromJson);
    List<GpuProcess> procs = optList(o, p, "processes", GpuProcess.MAX, GpuProcess::fromJson);
    Boolean gap = optBoolean(o, p, "gap");
    return new DerivedSnapshot(
        reqString(o, p, "server", 64),
        reqInstant(o, p, "ts"),
        reqString(o, p, "boot_id", 64),
        reqLong(o, p, "seq", 0, Long.MAX_VALUE),
        optDouble(o, p, "interval_s", 0, 1e9),
        gap != null && gap,
        agent == null ? null : AgentSeen.fromJson(agent, "agent"),
        cpu == null ? null : CpuFigures.fromJson(cpu, "cpu"),
        mem == null ? null : MemoryFigures.fromJson(mem, "memory"),
        disk == null ? null : DiskFigures.fromJson(disk, "disk"),
        net == null ? null : NetworkFigures.fromJson(net, "network"),
        gpus == null ? List.of() : gpus,
        GpuRollup.fromJson(o, p),
        b == null ? null : Bottleneck.fromJson(b, "bottleneck"),
        procs == null ? List.of() : procs);
  }

  public JsonObject toJson() {
    JsonObject o =
        new JsonObject()
            .put("server", server)
            .put("ts", Json.ts(ts))
            .put("boot_id", bootId)
            .put("seq", seq);
    putOpt(o, "interval_s", intervalS);
    o.put("gap", gap);
    putOpt(o, "agent", agent == null ? null : agent.toJson());
    putOpt(o, "cpu", cpu == null ? null : cpu.toJson());
    putOpt(o, "memory", memory == null ? null : memory.toJson());
    putOpt(o, "disk", disk == null ? null : disk.toJson());
    putOpt(o, "network", network == null ? null : network.toJson());
    o.put("gpus", array(gpus, GpuFigures::toJson));
    if (gpuRollup != null) {
      gpuRollup.writeInto(o);
    }
    putOpt(o, "bottleneck", bottleneck == null ? null : bottleneck.toJson());
    return o.put("processes", array(processes, GpuProcess::toJson));
  }
}
