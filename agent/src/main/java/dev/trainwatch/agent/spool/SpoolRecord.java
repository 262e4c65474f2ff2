package dev.trainwatch.agent.spool;

/**
 * One spooled snapshot as stored: its payload (the snapshot's JSON, deflated) and where the next
 * record starts, which is what acknowledging it moves the cursor to.
 */
public record SpoolRecord(byte[] payload, long segment, long offset, long nextOffset) {
  public Position next() {
    return new Position(segment, nextOffset);
  }

  /** A place in the spool: a segment's id and a byte offset inside it. */
  public record Position(long segment, long offset) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int c = Long.compare(segment, o.segment);
      return c != 0 ? c : Long.compare(offset, o.offset);
    }
  }
}
