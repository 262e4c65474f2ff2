package dev.trainwatch.collector.system;

import dev.trainwatch.bus.raw.PressureRaw;
import dev.trainwatch.collector.system.proc.Pressure;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pressure stall information ({@code /proc/pressure/*}, kernel 4.20+ with CONFIG_PSI). Whether the
 * kernel has it is decided once at start: a kernel booted with {@code psi=0} keeps the files but
 * fails every read with EOPNOTSUPP.
 */
final class ProcfsPressure {
  private final Path cpu, io, memory;
  private final boolean available;

  ProcfsPressure(ProcFiles files) {
    this.cpu = files.proc("pressure/cpu");
    this.io = files.proc("pressure/io");
    this.memory = files.proc("pressure/memory");
    this.available = Files.isReadable(cpu) && probe(cpu);
  }

  boolean available() {
    return available;
  }

  /**
   * Null when the kernel has no PSI; a resource file that fails after a successful start is an
   * error.
   */
  PressureRaw read() {
    if (!available) {
      return null;
    }
    Pressure c = Pressure.parse(ProcFiles.read(cpu));
    Pressure i = Pressure.parse(ProcFiles.read(io));
    Pressure m = Pressure.parse(ProcFiles.read(memory));
    return new PressureRaw(
        c.someTotalUs(), i.someTotalUs(), i.fullTotalUs(), m.someTotalUs(), m.fullTotalUs());
  }

  private static boolean probe(Path p) {
    try {
      ProcFiles.read(p);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
