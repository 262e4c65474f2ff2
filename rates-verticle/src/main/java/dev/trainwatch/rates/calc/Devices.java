package dev.trainwatch.rates.calc;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * Finds a device's previous reading. Devices usually keep their position, so that is tried before a
 * scan.
 */
final class Devices {
  private Devices() {}

  static <T> T find(List<T> prev, int position, T cur, BiPredicate<T, T> same) {
    if (position < prev.size() && same.test(prev.get(position), cur)) {
      return prev.get(position);
    }
    for (int i = 0; i < prev.size(); i++) {
      if (i != position && same.test(prev.get(i), cur)) {
        return prev.get(i);
      }
    }
    return null;
  }
}
