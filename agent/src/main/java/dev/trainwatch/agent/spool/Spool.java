package dev.trainwatch.agent.spool;

import dev.trainwatch.agent.spool.SpoolRecord.Position;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's on-disk queue of snapshots not yet acknowledged by the server. Every sample is
 * appended here first (write-ahead), and the sender reads oldest-first from the cursor and moves
 * the cursor when the server answers 202, so an agent killed at any moment loses nothing it had
 * sampled, and a server away for hours costs disk, not data.
 *
 * <p>Files in the spool directory: {@code <20-digit id>.seg} segments of {@link RecordFrame framed}
 * records, appended and rolled at a size; {@code cursor} (the first unacknowledged record,
 * rewritten by rename); {@code anchor} (the last acknowledged record, which the sender puts in
 * front of a replay so the server's rates have a predecessor even after a server restart); {@code
 * lock}, held while an agent uses the directory.
 *
 * <p>Bounded: past {@code maxBytes} the oldest segment is deleted (drop-oldest), counted and warned
 * about once. A torn or corrupt segment is cut at its last good record on opening, reported, and
 * never fatal. A new run always appends to a new segment, never after a previous run's possibly
 * torn tail.
 *
 * <p>Thread-safe: every public method holds the spool's monitor. The agent's sampling thread
 * appends while its sender peeks and acknowledges; each call is a short piece of file I/O.
 */
public final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final String SUFFIX = ".seg";

  /**
   * While records wait unacknowledged, what was appended reaches the disk at least this often
   * (power loss).
   */
  private static final long FORCE_INTERVAL_NANOS = 5_000_000_000L;

  private static final class Segment {
    final long id;
    final Path path;
    long size;

    /** Offsets of its records, in order: counts what a drop loses and what a cursor has left. */
    final List<Long> offsets = new ArrayList<>();

    Segment(long id, Path path) {
      this.id = id;
      this.path = path;
    }

    /** Where the first record at or after {@code offset} starts, or the end of the segment. */
    long firstRecordAtOrAfter(long offset) {
      int i = Collections.binarySearch(offsets, offset);
      int at = i >= 0 ? i : -i - 1;
      return at < offsets.size() ? offsets.get(at) : size;
    }

    /** Records at or after {@code offset}. */
    int recordsFrom(long offset) {
      int i = Collections.binarySearch(offsets, offset);
      return offsets.size() - (i >= 0 ? i : -i - 1);
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private Segment active;
  private FileChannel activeChannel;
  private Position cursor;
  private byte[] anchor;
  private boolean cursorDirty;
  private boolean anchorDirty;
  private long pending;
  private long totalBytes;
  private long lastForce = System.nanoTime();
  private long droppedRecords;
  private long damagedBytes;
  private boolean dropWarned;

  private Spool(Path dir, long maxBytes, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytesFor(maxBytes);
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Segments small enough that dropping the oldest loses a small part of the bound, and not too
   * many files.
   */
  static long segmentBytesFor(long maxBytes) {
    return Math.max(4096, Math.min(1 << 20, maxBytes / 16));
  }

  /**
   * Opens (creating it if needed, mode 0700 where the file system has modes) and locks {@code dir},
   * checks every segment and starts a new one for this run.
   *
   * @throws IOException the directory cannot be used, or another agent holds it
   */
  public static Spool open(Path dir, long maxBytes) throws IOException {
    if (maxBytes < 64 * 1024) {
      throw new IllegalArgumentException("spool bound must be at least 64 KiB");
    }
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory keeps what it inherited
    }
    FileChannel lc =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lc.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      lc.close();
      throw new IOException("spool directory " + dir + " is in use by another trainwatch-agent");
    }
    Spool s = new Spool(dir, maxBytes, lc, l);
    try {
      s.load();
      s.startSegment();
      s.enforceBound();
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void load() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(SUFFIX) && name.length() == 20 + SUFFIX.length()) {
          try {
            long id = Long.parseLong(name.substring(0, 20));
            segments.put(id, new Segment(id, p));
          } catch (NumberFormatException e) {
            LOG.warn("Spool: ignoring {} (not a segment name)", p);
          }
        }
      }
    }
    for (Segment s : segments.values()) {
      check(s);
      totalBytes += s.size;
    }
    anchor = readAnchor();
    cursor = readCursor();
    pending = 0;
    for (Segment s : segments.tailMap(cursor.segment(), true).values()) {
      pending += s.id == cursor.segment() ? s.recordsFrom(cursor.offset()) : s.offsets.size();
    }
    dropConsumedSegments();
  }

  /** Reads every record of a segment; cuts the file at the first damage, which is reported. */
  private void check(Segment s) throws IOException {
    long size = Files.size(s.path);
    long at = 0;
    String damage = null;
    try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
      while (at < size) {
        Read r = read(ch, at, size);
        if (r.damage != null) {
          damage = r.damage;
          break;
        }
        s.offsets.add(at);
        at = r.next;
      }
    }
    if (damage != null) {
      damagedBytes += size - at;
      LOG.warn(
          "Spool: {} is damaged at byte {} ({}): kept the {} records before it, skipped the {} bytes after it",
          s.path.getFileName(),
          at,
          damage,
          s.offsets.size(),
          size - at);
      try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.WRITE)) {
        ch.truncate(at);
      }
    }
    s.size = at;
  }

  private record Read(byte[] payload, long next, String damage) {}

  private static Read read(FileChannel ch, long at, long size) throws IOException {
    if (size - at < RecordFrame.HEADER) {
      return new Read(null, at, "torn record header");
    }
    ByteBuffer h = ByteBuffer.allocate(RecordFrame.HEADER);
    readFully(ch, h, at);
    h.flip();
    int magic = h.getInt();
    int length = h.getInt();
    int crc = h.getInt();
    if (magic != RecordFrame.MAGIC) {
      return new Read(null, at, "no record marker");
    }
    if (length < 0 || length > RecordFrame.MAX_PAYLOAD) {
      return new Read(null, at, "impossible record length " + length);
    }
    if (size - at - RecordFrame.HEADER < length) {
      return new Read(
          null,
          at,
          "torn record: "
              + length
              + " bytes announced, "
              + (size - at - RecordFrame.HEADER)
              + " present");
    }
    ByteBuffer p = ByteBuffer.allocate(length);
    readFully(ch, p, at + RecordFrame.HEADER);
    byte[] payload = p.array();
    if (RecordFrame.crc(length, payload) != crc) {
      return new Read(null, at, "checksum mismatch");
    }
    return new Read(payload, at + RecordFrame.HEADER + length, null);
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private Position readCursor() {
    Position first = segments.isEmpty() ? new Position(0, 0) : new Position(segments.firstKey(), 0);
    Path p = dir.resolve("cursor");
    String text;
    try {
      text = Files.readString(p, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      return first;
    } catch (IOException e) {
      LOG.warn(
          "Spool: cursor unreadable ({}); replaying from the oldest record (the server drops repeats)",
          e.toString());
      return first;
    }
    String[] parts = text.split(" ");
    try {
      Position c = new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      Segment s = segments.get(c.segment());
      if (s != null) {
        return new Position(s.id, s.firstRecordAtOrAfter(c.offset()));
      }
      Long after = segments.ceilingKey(c.segment());
      return after == null ? new Position(c.segment(), 0) : new Position(after, 0);
    } catch (RuntimeException e) {
      LOG.warn(
          "Spool: cursor file is damaged ('{}'); replaying from the oldest record (the server drops repeats)",
          text.length() > 60 ? text.substring(0, 60) : text);
      return first;
    }
  }

  private byte[] readAnchor() {
    Path p = dir.resolve("anchor");
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      Read r = read(ch, 0, ch.size());
      return r.damage == null ? r.payload : null;
    } catch (IOException e) {
      return null; // none yet, or unreadable: a replay then starts without one
    }
  }

  private void startSegment() throws IOException {
    long id = Math.max(segments.isEmpty() ? 0 : segments.lastKey() + 1, cursor.segment());
    Segment s = new Segment(id, dir.resolve(String.format("%020d%s", id, SUFFIX)));
    activeChannel =
        FileChannel.open(
            s.path,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    segments.put(id, s);
    active = s;
    if (pending == 0) {
      // Nothing unacknowledged: the cursor waits at the start of the new segment.
      cursor = new Position(id, 0);
      cursorDirty = true;
    }
  }

  /** Appends one record (the snapshot, as {@code payload}) after everything already spooled. */
  public synchronized void append(byte[] payload) throws IOException {
    if (payload.length > RecordFrame.MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "record of " + payload.length + " bytes is over the spool's record limit");
    }
    ByteBuffer frame = RecordFrame.frame(payload);
    if (active.size > 0 && active.size + frame.remaining() > segmentBytes) {
      roll();
    }
    long at = active.size;
    while (frame.hasRemaining()) {
      activeChannel.write(frame, at + frame.position());
    }
    active.offsets.add(at);
    active.size += frame.limit();
    totalBytes += frame.limit();
    pending++;
    // Unacknowledged records exist only here while the server is away: make them survive a power
    // cut too.
    if (pending > 1 && System.nanoTime() - lastForce > FORCE_INTERVAL_NANOS) {
      activeChannel.force(false);
      lastForce = System.nanoTime();
    }
    enforceBound();
  }

  private void roll() throws IOException {
    activeChannel.force(false);
    activeChannel.close();
    startSegment();
  }

  private void enforceBound() throws IOException {
    while (totalBytes > maxBytes && segments.size() > 1) {
      Segment oldest = segments.firstEntry().getValue();
      if (oldest == active) {
        return;
      }
      int lost =
          oldest.id < cursor.segment()
              ? 0
              : oldest.id == cursor.segment()
                  ? oldest.recordsFrom(cursor.offset())
                  : oldest.offsets.size();
      delete(oldest);
      if (cursor.segment() <= oldest.id) {
        cursor = new Position(segments.firstKey(), 0);
        cursorDirty = true;
      }
      pending -= lost;
      droppedRecords += lost;
      if (!dropWarned && lost > 0) {
        LOG.warn(
            "Spool is full ({} bytes): dropping the oldest unsent snapshots ({} now; counted, warned once per "
                + "run). Raise --spool-max-mb to keep a longer outage.",
            maxBytes,
            lost);
        dropWarned = true;
      }
    }
  }

  private void delete(Segment s) throws IOException {
    Files.deleteIfExists(s.path);
    segments.remove(s.id);
    totalBytes -= s.size;
  }

  /**
   * Up to {@code max} unacknowledged records, oldest first. A record found damaged here (the disk
   * changed under us) ends that segment: reported, and reading goes on with the next.
   */
  public synchronized List<SpoolRecord> peek(int max) throws IOException {
    List<SpoolRecord> out = new ArrayList<>(Math.min(max, 64));
    Position at = cursor;
    while (out.size() < max) {
      Map.Entry<Long, Segment> e = segments.ceilingEntry(at.segment());
      if (e == null) {
        break;
      }
      Segment s = e.getValue();
      long offset = s.id == at.segment() ? at.offset() : 0;
      if (offset >= s.size) {
        if (s == active) {
          break;
        }
        at = new Position(s.id + 1, 0);
        continue;
      }
      // The segment being written is read through its own channel: in steady state every peek reads
      // it.
      FileChannel rc =
          s == active ? activeChannel : FileChannel.open(s.path, StandardOpenOption.READ);
      try {
        while (out.size() < max && offset < s.size) {
          Read r = read(rc, offset, s.size);
          if (r.damage != null) {
            LOG.warn(
                "Spool: {} is damaged at byte {} ({}); its {} remaining bytes are skipped",
                s.path.getFileName(),
                offset,
                r.damage,
                s.size - offset);
            damagedBytes += s.size - offset;
            int skipped = s.recordsFrom(offset);
            pending -= skipped;
            s.offsets.subList(s.offsets.size() - skipped, s.offsets.size()).clear();
            s.size = offset;
            break;
          }
          out.add(new SpoolRecord(r.payload, s.id, offset, r.next));
          offset = r.next;
        }
      } finally {
        if (rc != activeChannel) {
          rc.close();
        }
      }
      at = new Position(s.id, offset);
      if (offset >= s.size && s != active) {
        at = new Position(s.id + 1, 0);
      }
    }
    return out;
  }

  /**
   * The server is done with {@code records} (as {@link #peek} returned them, a prefix of what is
   * unacknowledged): the cursor moves past the last, and segments left behind are deleted.
   *
   * @param stored the server stored them (202), so the last becomes the anchor; false for records
   *     it refused
   */
  public synchronized void ack(List<SpoolRecord> records, boolean stored) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    SpoolRecord last = records.get(records.size() - 1);
    Position next = last.next();
    if (next.compareTo(cursor) <= 0) {
      return; // already past it (a drop overtook the acknowledgement)
    }
    int acked = 0;
    for (SpoolRecord r : records) {
      if (new Position(r.segment(), r.offset()).compareTo(cursor) >= 0) {
        acked++;
      }
    }
    cursor = next;
    pending = Math.max(0, pending - acked);
    cursorDirty = true;
    if (stored) {
      anchor = last.payload();
      anchorDirty = true;
    }
    dropConsumedSegments();
  }

  private void dropConsumedSegments() throws IOException {
    for (Segment s : new ArrayList<>(segments.headMap(cursor.segment(), true).values())) {
      boolean consumed = s.id < cursor.segment() || cursor.offset() >= s.size;
      if (consumed && s != active) {
        if (s.id == cursor.segment()) {
          Long nextId = segments.higherKey(s.id);
          cursor = new Position(nextId == null ? s.id + 1 : nextId, 0);
          cursorDirty = true;
        }
        delete(s);
      }
    }
  }

  /** The last acknowledged snapshot's payload, or null when none is known. */
  public synchronized byte[] anchor() {
    return anchor;
  }

  /**
   * Writes the cursor and the anchor when they changed. A cursor lost in a crash costs re-sends,
   * never data.
   */
  public synchronized void checkpoint() throws IOException {
    if (anchorDirty && anchor != null) {
      ByteBuffer b = RecordFrame.frame(anchor);
      writeAtomically("anchor", b.array());
      anchorDirty = false;
    }
    if (cursorDirty) {
      writeAtomically(
          "cursor",
          (cursor.segment() + " " + cursor.offset() + "\n").getBytes(StandardCharsets.US_ASCII));
      cursorDirty = false;
    }
  }

  private void writeAtomically(String name, byte[] content) throws IOException {
    Path tmp = dir.resolve(name + ".tmp");
    Files.write(tmp, content);
    try {
      Files.move(
          tmp,
          dir.resolve(name),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Unacknowledged records. */
  public synchronized long pending() {
    return pending;
  }

  /** Bytes of every segment on disk, acknowledged records in the current segments included. */
  public synchronized long bytes() {
    return totalBytes;
  }

  public synchronized long droppedRecords() {
    return droppedRecords;
  }

  public synchronized long damagedBytes() {
    return damagedBytes;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      if (activeChannel != null) {
        activeChannel.force(false);
        activeChannel.close();
        if (active.size == 0) {
          // An empty segment says nothing; the next run starts its own.
          delete(active);
        }
      }
      checkpoint();
    } finally {
      lock.release();
      lockChannel.close();
    }
  }
}
