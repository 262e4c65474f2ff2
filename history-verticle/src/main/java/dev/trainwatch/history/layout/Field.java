package dev.trainwatch.history.layout;

import com.fasterxml.jackson.core.io.SerializedString;

/**
 * One stored figure, as its group's table ({@link Fields}) declares it.
 *
 * @param pos its position in the group's array, or in each device's block of it: the table's order
 * @param name the history point's key for it: {@code section.key} for a host figure (also its key
 *     under {@code min} and {@code max}), the key in a device's object for a per-device one
 * @param summary what the point reports of a step
 * @param key {@code name}, pre-encoded: a month of points writes about a million keys
 * @param leaf the key within its section (the part of {@code name} after the last dot), pre-encoded
 * @param whole {@code scale.whole()}, looked up once
 */
public record Field(
    int pos,
    String name,
    Scale scale,
    Summary summary,
    SerializedString key,
    SerializedString leaf,
    boolean whole) {

  Field(int pos, String name, Scale scale, Summary summary) {
    this(
        pos,
        name,
        scale,
        summary,
        new SerializedString(name),
        new SerializedString(name.substring(name.lastIndexOf('.') + 1)),
        scale.whole());
  }

  /**
   * Raw rows and hourly rows keep min, avg, max and last of every position alike (V2's {@code
   * samples_hourly}), so a summary is only a choice at query time: the average for a level or a
   * rate, the last value for a capacity or a running total (averaging a total that grew would
   * report a count that never existed), the maximum where the figure is itself a peak.
   */
  public enum Summary {
    AVG,
    MAX,
    LAST
  }
}
