package dev.trainwatch.rates.calc;

import dev.trainwatch.bus.derived.CpuFigures;
import dev.trainwatch.bus.derived.DiskFigures;
import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.derived.GpuRollup;
import dev.trainwatch.bus.derived.MemoryFigures;
import dev.trainwatch.bus.derived.NetworkFigures;
import java.util.List;

/**
 * Everything derived from one interval: the snapshot's sections plus the PSI shares only the
 * classifier reads.
 */
public record Figures(
    CpuFigures cpu,
    MemoryFigures memory,
    DiskFigures disk,
    NetworkFigures network,
    List<GpuFigures> gpus,
    GpuRollup gpuRollup,
    PressureRates pressure) {}
