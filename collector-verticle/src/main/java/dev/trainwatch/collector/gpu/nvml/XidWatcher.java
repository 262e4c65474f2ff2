package dev.trainwatch.collector.gpu.nvml;

import static dev.trainwatch.collector.gpu.nvml.NvmlLayout.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.trainwatch.bus.raw.XidEvent;
import dev.trainwatch.collector.gpu.GpuMetrics;
import dev.trainwatch.collector.gpu.StateLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Critical XID errors through an NVML event set. {@code nvmlEventSetWait} blocks in the driver, so
 * a dedicated daemon thread waits on it (never a Vert.x thread) and queues what arrives; each GPU
 * sample drains the queue into its GPU's {@code xid_events}. The event carries no time, so an event
 * is stamped when the thread receives it.
 */
final class XidWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XidWatcher.class);
  private static final int QUEUE_LIMIT = 4096;

  private record Pending(int gpuIndex, long xid, Instant ts) {}

  private final NvmlBinding nvml;
  private final Pointer set;
  private final Map<Long, Integer> indexByHandle;
  private final boolean waitV2;
  private final int waitMillis;
  private final GpuMetrics metrics;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Object receivedLock = new Object();
  private final Thread thread;
  private volatile boolean running = true;
  private long received;

  private XidWatcher(
      NvmlBinding nvml,
      Pointer set,
      Map<Long, Integer> indexByHandle,
      int waitMillis,
      GpuMetrics metrics) {
    this.nvml = nvml;
    this.set = set;
    this.indexByHandle = indexByHandle;
    this.waitV2 = nvml.has("nvmlEventSetWait_v2");
    this.waitMillis = waitMillis;
    this.metrics = metrics;
    this.thread = new Thread(this::loop, "trainwatch-nvml-xid");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Creates the event set and registers every GPU for critical XID errors. Returns null (and says
   * why in {@code why[0]}) when the driver lacks the calls or no GPU accepts the registration.
   */
  static XidWatcher start(
      NvmlBinding nvml, List<NvmlGpu> gpus, int waitMillis, GpuMetrics metrics, String[] why) {
    for (String s : List.of("nvmlEventSetCreate", "nvmlDeviceRegisterEvents", "nvmlEventSetFree")) {
      if (!nvml.has(s)) {
        why[0] = "driver lacks " + s;
        return null;
      }
    }
    if (!nvml.has("nvmlEventSetWait_v2") && !nvml.has("nvmlEventSetWait")) {
      why[0] = "driver lacks nvmlEventSetWait";
      return null;
    }
    Memory out = new Memory(8);
    int rc = nvml.lib.nvmlEventSetCreate(out);
    if (rc != SUCCESS) {
      why[0] = "nvmlEventSetCreate: " + nvml.error(rc);
      return null;
    }
    Pointer set = out.getPointer(0);
    Map<Long, Integer> byHandle = new HashMap<>();
    for (NvmlGpu g : gpus) {
      rc = nvml.lib.nvmlDeviceRegisterEvents(g.handle, EVENT_TYPE_XID_CRITICAL_ERROR, set);
      if (rc == SUCCESS) {
        byHandle.put(Pointer.nativeValue(g.handle), g.index);
      } else {
        LOG.info("{}: XID events not available: {}", g.label, nvml.error(rc));
      }
    }
    if (byHandle.isEmpty()) {
      nvml.lib.nvmlEventSetFree(set);
      why[0] = "no GPU accepted XID event registration";
      return null;
    }
    return new XidWatcher(nvml, set, Map.copyOf(byHandle), waitMillis, metrics);
  }

  /** Whether a GPU is registered, i.e. whether an empty event list for it means "none happened". */
  boolean watches(int gpuIndex) {
    return indexByHandle.containsValue(gpuIndex);
  }

  /** Removes and returns the queued events of each GPU, at most {@link XidEvent#MAX} per GPU. */
  Map<Integer, List<XidEvent>> drain() {
    Map<Integer, List<XidEvent>> out = new HashMap<>();
    Pending p;
    while ((p = queue.poll()) != null) {
      queued.decrementAndGet();
      List<XidEvent> list = out.computeIfAbsent(p.gpuIndex(), k -> new ArrayList<>());
      if (list.size() < XidEvent.MAX) {
        list.add(new XidEvent(p.xid(), p.ts()));
      } else {
        metrics.xidDropped();
      }
    }
    return out;
  }

  private void loop() {
    StateLog states = new StateLog(LOG);
    Memory data = new Memory(EVENT_DATA_SIZE);
    while (running) {
      data.clear();
      int rc =
          waitV2
              ? nvml.lib.nvmlEventSetWait_v2(set, data, waitMillis)
              : nvml.lib.nvmlEventSetWait(set, data, waitMillis);
      if (rc == SUCCESS) {
        states.ok("nvmlEventSetWait");
        if ((data.getLong(EVENT_DATA_TYPE) & EVENT_TYPE_XID_CRITICAL_ERROR) != 0) {
          enqueue(data.getPointer(0), data.getLong(EVENT_DATA_VALUE));
        }
      } else if (rc != ERROR_TIMEOUT) {
        states.failed("nvmlEventSetWait", nvml.error(rc), false);
        // back off without spinning, but wake at once when closed
        try {
          if (stop.await(1, TimeUnit.SECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void enqueue(Pointer device, long xid) {
    Integer index = indexByHandle.get(Pointer.nativeValue(device));
    if (index == null) {
      LOG.debug("XID {} for an unknown device handle {}; ignored", xid, device);
      return;
    }
    LOG.warn("GPU {}: XID {} reported by the driver", index, xid);
    metrics.xidEvent();
    if (queued.incrementAndGet() > QUEUE_LIMIT) {
      queued.decrementAndGet();
      metrics.xidDropped();
    } else {
      queue.add(new Pending(index, xid, Instant.now()));
    }
    synchronized (receivedLock) {
      received++;
      receivedLock.notifyAll();
    }
  }

  /** Blocks until {@code n} events have been received in total or the timeout passes; for tests. */
  boolean awaitReceived(long n, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (receivedLock) {
      while (received < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(receivedLock, left);
      }
      return true;
    }
  }

  /**
   * Stops the thread (it returns from its current wait within {@code waitMillis}) and frees the
   * event set.
   */
  @Override
  public void close() {
    running = false;
    stop.countDown();
    try {
      thread.join(waitMillis + 2_000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      nvml.lib.nvmlEventSetFree(set);
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
