package dev.trainwatch.collector;

import dev.trainwatch.bus.raw.RawSnapshot;
import io.vertx.core.Future;

/**
 * Where the collector verticle's samples go ({@link BusSink}: the rates service on the event bus),
 * kept apart from the sampling schedule. The collector schedules the next sample when {@link
 * #deliver} completes, so a sink that waits for its consumer slows sampling down rather than piling
 * samples up.
 *
 * @param <T> what {@link #prepare} makes of a snapshot for {@link #deliver}
 */
public interface SampleSink<T> {
  /** On the event loop, before the first sample: whatever the sink must learn or open first. */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /**
   * On the collector's worker thread, right after the sample: encoding and anything else that costs
   * CPU or may block, so the event loop only hands the result on.
   */
  T prepare(RawSnapshot snapshot) throws Exception;

  /**
   * On the event loop. Success or failure alike, the next sample is scheduled when this completes.
   */
  Future<Void> deliver(T prepared);
}
