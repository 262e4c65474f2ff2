package dev.trainwatch.collector.gpu;

/** A provider cannot serve on this host; the message is the reason, written for an operator. */
public final class GpuUnavailableException extends Exception {
  public GpuUnavailableException(String reason) {
    super(reason, null, false, false);
  }
}
