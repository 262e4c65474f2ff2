package dev.trainwatch.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  private static final long SMALL = 64 * 1024; // 4 KiB segments

  @TempDir Path dir;

  private static byte[] record(int i, int size) {
    byte[] b = new byte[size];
    new Random(i).nextBytes(b);
    byte[] tag = ("#" + i + "#").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(tag, 0, b, 0, tag.length);
    return b;
  }

  private static List<byte[]> payloads(List<SpoolRecord> records) {
    return records.stream().map(SpoolRecord::payload).toList();
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
  }

  @Test
  void recordsComeBackOldestFirstAcrossSegmentsAndRestarts() throws IOException {
    try (Spool s = Spool.open(dir, SMALL)) {
      for (int i = 0; i < 50; i++) {
        s.append(record(i, 500));
      }
      assertThat(s.pending()).isEqualTo(50);
      assertThat(segments()).hasSizeGreaterThan(3);
      List<SpoolRecord> first = s.peek(10);
      assertThat(payloads(first))
          .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> record(i, 500)).toList());
      s.ack(first, true);
      assertThat(s.pending()).isEqualTo(40);
      assertThat(s.anchor()).isEqualTo(record(9, 500));
    }
    try (Spool s = Spool.open(dir, SMALL)) {
      assertThat(s.pending()).isEqualTo(40);
      assertThat(s.anchor()).isEqualTo(record(9, 500));
      List<SpoolRecord> rest = s.peek(1000);
      assertThat(payloads(rest))
          .containsExactlyElementsOf(
              IntStream.range(10, 50).mapToObj(i -> record(i, 500)).toList());
      s.append(record(50, 500));
      s.ack(rest, true);
      assertThat(payloads(s.peek(10))).containsExactly(record(50, 500));
      s.ack(s.peek(10), true);
      assertThat(s.pending()).isZero();
    }
    // Fully acknowledged segments are deleted; an empty last segment is not left behind.
    assertThat(segments()).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void pastItsBoundTheOldestAreDroppedAndCounted() throws IOException {
    try (Spool s = Spool.open(dir, SMALL)) {
      for (int i = 0; i < 300; i++) {
        s.append(record(i, 1000));
      }
      assertThat(s.bytes()).isLessThanOrEqualTo(SMALL);
      assertThat(s.droppedRecords()).isPositive();
      assertThat(s.pending() + s.droppedRecords()).isEqualTo(300);
      List<SpoolRecord> left = s.peek(1000);
      assertThat(left).hasSize((int) s.pending());
      // What is left is the newest, unbroken.
      int from = 300 - left.size();
      for (int i = 0; i < left.size(); i++) {
        assertThat(left.get(i).payload()).isEqualTo(record(from + i, 1000));
      }
    }
  }

  @Test
  void aTornLastRecordIsCutReportedAndTheOthersKept() throws IOException {
    try (Spool s = Spool.open(dir, SMALL)) {
      for (int i = 0; i < 5; i++) {
        s.append(record(i, 300));
      }
    }
    Path seg = segments().get(segments().size() - 1);
    long size = Files.size(seg);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(size - 100); // a power cut in the middle of the last record's payload
    }
    try (Spool s = Spool.open(dir, SMALL)) {
      assertThat(s.damagedBytes()).isEqualTo(312 - 100);
      assertThat(s.pending()).isEqualTo(4);
      assertThat(payloads(s.peek(100)))
          .containsExactlyElementsOf(IntStream.range(0, 4).mapToObj(i -> record(i, 300)).toList());
      s.append(record(99, 300));
      assertThat(payloads(s.peek(100))).hasSize(5).last().isEqualTo(record(99, 300));
    }
  }

  @Test
  void aFlippedBitEndsItsSegmentAndIsReported() throws IOException {
    try (Spool s = Spool.open(dir, SMALL)) {
      for (int i = 0; i < 5; i++) {
        s.append(record(i, 300));
      }
    }
    Path seg = segments().get(0);
    try (FileChannel ch =
        FileChannel.open(seg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = 2 * 312 + 12 + 50; // inside the third record's payload
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 1));
      b.rewind();
      ch.write(b, at);
    }
    try (Spool s = Spool.open(dir, SMALL)) {
      assertThat(s.damagedBytes()).isEqualTo(3 * 312);
      assertThat(payloads(s.peek(100))).containsExactly(record(0, 300), record(1, 300));
    }
  }

  @Test
  void aDamagedCursorReplaysFromTheOldest() throws IOException {
    try (Spool s = Spool.open(dir, SMALL)) {
      for (int i = 0; i < 3; i++) {
        s.append(record(i, 100));
      }
      s.ack(s.peek(2), true);
    }
    Files.writeString(dir.resolve("cursor"), "garbage\n");
    try (Spool s = Spool.open(dir, SMALL)) {
      // The server drops the repeats; nothing is lost.
      assertThat(payloads(s.peek(10)))
          .containsExactly(record(0, 100), record(1, 100), record(2, 100));
    }
  }

  @Test
  void aSecondAgentCannotUseTheSameDirectory() throws IOException {
    try (Spool s = Spool.open(dir, SMALL)) {
      assertThatThrownBy(() -> Spool.open(dir, SMALL))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use by another trainwatch-agent");
    }
    try (Spool again = Spool.open(dir, SMALL)) {
      assertThat(again.pending()).isZero();
    }
  }

  @Test
  void theDirectoryIsPrivate() throws IOException {
    try (Spool s = Spool.open(dir.resolve("new"), SMALL)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("new"))))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void acknowledgementsInBatchesKeepCountsExact() throws IOException {
    List<byte[]> seen = new ArrayList<>();
    try (Spool s = Spool.open(dir, SMALL)) {
      for (int i = 0; i < 120; i++) {
        s.append(record(i, 200));
        if (i % 7 == 6) {
          List<SpoolRecord> batch = s.peek(5);
          seen.addAll(payloads(batch));
          s.ack(batch, true);
        }
      }
      for (List<SpoolRecord> b; !(b = s.peek(11)).isEmpty(); ) {
        seen.addAll(payloads(b));
        s.ack(b, true);
      }
      assertThat(s.pending()).isZero();
    }
    assertThat(seen)
        .containsExactlyElementsOf(IntStream.range(0, 120).mapToObj(i -> record(i, 200)).toList());
  }

  @Test
  void onlyStoredRecordsBecomeTheAnchor() throws IOException {
    try (Spool s = Spool.open(dir, SMALL)) {
      s.append(record(1, 100));
      s.append(record(2, 100));
      s.ack(s.peek(1), true);
      s.ack(s.peek(1), false); // refused by the server: skipped, but never replayed as the anchor
      assertThat(s.pending()).isZero();
      assertThat(s.anchor()).isEqualTo(record(1, 100));
    }
  }
}
