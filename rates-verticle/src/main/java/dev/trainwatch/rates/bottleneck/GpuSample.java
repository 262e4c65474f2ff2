package dev.trainwatch.rates.bottleneck;

import java.util.List;

/**
 * One GPU in one window sample.
 *
 * @param key UUID, else {@code "#" + index}: what ties the GPU across samples
 * @param util utilization %, NaN when the GPU reports none
 * @param throttle clock-event reasons that are throttling (benign ones removed); empty when none
 */
record GpuSample(String key, int index, double util, List<String> throttle) {}
