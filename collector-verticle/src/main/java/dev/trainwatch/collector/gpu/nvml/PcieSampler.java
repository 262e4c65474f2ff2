package dev.trainwatch.collector.gpu.nvml;

import static dev.trainwatch.collector.gpu.nvml.NvmlLayout.*;

import com.sun.jna.Memory;
import dev.trainwatch.collector.gpu.Readings;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PCIe throughput, kept off the sampling path. {@code nvmlDeviceGetPcieThroughput} measures over a
 * 20 ms window per counter, so reading RX and TX on 8 GPUs blocks ~320 ms; doing that inside a
 * sample would break the 10 ms budget even at a low cadence. Instead every n-th sample wakes this
 * daemon thread, which refreshes a cache that samples read without blocking. The first refresh runs
 * synchronously at start so the first sample already has values.
 */
final class PcieSampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PcieSampler.class);

  /**
   * A reading older than this (the thread wedged in the driver, or errors) is no longer reported.
   */
  private static final long STALE_NANOS = TimeUnit.MINUTES.toNanos(2);

  record Reading(Double rxBytesPerS, Double txBytesPerS, long atNanos) {}

  private final NvmlLibrary lib;
  private final List<NvmlGpu> gpus;
  private final int everyN;
  private final Outcomes outcomes;
  private final AtomicReferenceArray<Reading> readings;
  private final Memory value = new Memory(8);
  private final Semaphore requests = new Semaphore(0);
  private final Object refreshed = new Object();
  private final Thread thread;
  private volatile boolean running = true;
  private long refreshes;
  private long ticks;

  PcieSampler(NvmlBinding nvml, List<NvmlGpu> gpus, int everyN) {
    this.lib = nvml.lib;
    this.gpus = gpus;
    this.everyN = everyN;
    this.outcomes = new Outcomes(nvml, LOG);
    this.readings = new AtomicReferenceArray<>(gpus.size());
    refresh();
    thread = new Thread(this::loop, "trainwatch-nvml-pcie");
    thread.setDaemon(true);
    thread.start();
  }

  /** Called once per GPU sample, on the sampling thread; never blocks. */
  void tick() {
    if (++ticks % everyN == 0 && requests.availablePermits() == 0) {
      requests.release();
    }
  }

  /**
   * The latest reading for the GPU at {@code position} in the source's list, or null if none or
   * stale.
   */
  Reading get(int position) {
    Reading r = readings.get(position);
    return r == null || System.nanoTime() - r.atNanos() > STALE_NANOS ? null : r;
  }

  private void loop() {
    while (running) {
      try {
        requests.acquire();
        requests.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
      if (running) {
        try {
          refresh();
        } catch (RuntimeException | LinkageError e) {
          LOG.warn("PCIe throughput refresh failed", e);
        }
      }
    }
  }

  private void refresh() {
    for (int i = 0; i < gpus.size() && running; i++) {
      NvmlGpu g = gpus.get(i);
      Double rx = read(g, PCIE_UTIL_RX_BYTES);
      Double tx = read(g, PCIE_UTIL_TX_BYTES);
      readings.set(i, new Reading(rx, tx, System.nanoTime()));
    }
    synchronized (refreshed) {
      refreshes++;
      refreshed.notifyAll();
    }
  }

  /** Outcomes go to the GPU's PCIE_RX/PCIE_TX slots, which only this thread writes. */
  private Double read(NvmlGpu g, int counter) {
    int rc = lib.nvmlDeviceGetPcieThroughput(g.handle, counter, value);
    NvmlCall call = counter == PCIE_UTIL_RX_BYTES ? NvmlCall.PCIE_RX : NvmlCall.PCIE_TX;
    return outcomes.ok(g, call, rc)
        ? Readings.bytesPerSecond(DeviceReader.u32(value, 0) * BYTES_PER_KB)
        : null;
  }

  /** How many refreshes have completed, including the one at start. */
  long refreshes() {
    synchronized (refreshed) {
      return refreshes;
    }
  }

  /** Blocks until {@code n} refreshes have completed or the timeout passes; for tests. */
  boolean awaitRefreshes(long n, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (refreshed) {
      while (refreshes < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(refreshed, left);
      }
      return true;
    }
  }

  /** Stops the thread, waiting up to 2 s for a call in flight; see {@link #stopped()}. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * False if the thread is still inside the driver, in which case NVML must not be shut down under
   * it.
   */
  boolean stopped() {
    return !thread.isAlive();
  }
}
