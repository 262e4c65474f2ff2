package dev.trainwatch.collector.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stride detection on byte buffers shaped like each driver's output. */
class EntryStrideTest {

  /**
   * {@code count} entries at {@code stride}, written the way the driver lays them out, into a
   * sentinel buffer.
   */
  static byte[] written(int stride, int count, int capacity) {
    byte[] b = new byte[capacity * 32];
    Arrays.fill(b, EntryStride.SENTINEL);
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    for (int i = 0; i < count; i++) {
      int off = i * stride;
      buf.putInt(off, 1000 + i);
      buf.putInt(off + 4, 0);
      buf.putLong(off + 8, (i + 1) * 1_048_576L);
      if (stride >= 24) {
        buf.putInt(off + 16, -1);
        buf.putInt(off + 20, -1);
      }
      if (stride >= 32) {
        buf.putLong(off + 24, 0);
      }
    }
    return b;
  }

  @ParameterizedTest(name = "{0}-byte entries x{1}, symbol guessed {2}")
  @CsvSource({
    "16,1,24", "16,2,24", "16,7,32", "24,1,16", "24,2,32", "24,5,24", "32,1,24", "32,3,24",
    "32,9,16"
  })
  void findsTheWrittenStrideWhateverTheGuess(int stride, int count, int guess) {
    assertThat(EntryStride.detect(written(stride, count, 64), count, guess)).isEqualTo(stride);
  }

  @Test
  void migInstanceIdsAreStillPlausible() {
    byte[] b = written(24, 2, 8);
    ByteBuffer.wrap(b)
        .order(ByteOrder.nativeOrder())
        .putInt(16, 3)
        .putInt(20, 0)
        .putInt(40, 5)
        .putInt(44, 1);
    assertThat(EntryStride.detect(b, 2, 32)).isEqualTo(24);
  }

  @Test
  void nothingToDecideKeepsTheGuess() {
    assertThat(EntryStride.detect(written(24, 0, 8), 0, 24)).isEqualTo(24);
    // a driver that zeroes the whole buffer hides the extent: fall back to the symbol rule
    byte[] zeroed = new byte[8 * 32];
    ByteBuffer.wrap(zeroed).order(ByteOrder.nativeOrder()).putInt(0, 1234);
    assertThat(EntryStride.detect(zeroed, 1, 32)).isEqualTo(32);
  }

  @Test
  void symbolRuleFollowsNvitop() {
    assertThat(EntryStride.guess("nvmlDeviceGetComputeRunningProcesses_v3", true, false))
        .isEqualTo(32);
    assertThat(EntryStride.guess("nvmlDeviceGetComputeRunningProcesses_v3", true, true))
        .isEqualTo(24);
    assertThat(EntryStride.guess("nvmlDeviceGetComputeRunningProcesses_v3", false, false))
        .isEqualTo(24);
    assertThat(EntryStride.guess("nvmlDeviceGetComputeRunningProcesses_v2", true, false))
        .isEqualTo(24);
    assertThat(EntryStride.guess("nvmlDeviceGetComputeRunningProcesses", true, false))
        .isEqualTo(16);
  }
}
