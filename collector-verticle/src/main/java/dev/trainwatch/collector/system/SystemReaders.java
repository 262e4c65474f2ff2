package dev.trainwatch.collector.system;

import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;

/** Picks the reader for this host. Blocking (OSHI inventory): call from a worker. */
public final class SystemReaders {
  private static final Logger LOG = LoggerFactory.getLogger(SystemReaders.class);

  private SystemReaders() {}

  /**
   * @param which {@code auto} (procfs where {@code /proc/stat} is readable, else OSHI), {@code
   *     procfs} or {@code oshi}
   */
  public static SystemReader open(String which, SystemInfo si, DeviceFilter filter) {
    ProcFiles host = ProcFiles.host();
    boolean procfs =
        switch (which) {
          case "auto" -> Files.isReadable(host.proc("stat"));
          case "procfs" -> true;
          case "oshi" -> false;
          default ->
              throw new IllegalArgumentException(
                  "system_reader must be auto, procfs or oshi, not " + which);
        };
    SystemReader r =
        procfs
            ? new ProcfsSystemReader(
                host, OshiInventory.read(si), filter, () -> OshiSystemReader.bootTimeId(si))
            : new OshiSystemReader(si, filter);
    LOG.info("System counters from {}; boot id {}", r.kind(), r.bootId());
    return r;
  }
}
