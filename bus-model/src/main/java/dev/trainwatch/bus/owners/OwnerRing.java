package dev.trainwatch.bus.owners;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * Which rates node owns a server: rendezvous (highest random weight) hashing over the live rates
 * nodes. Every node that sees the same members computes the same owner without talking to anyone,
 * and when a node leaves only the servers it owned move (each to the node that scored second for
 * it); when one joins, only the servers it now scores highest for move to it. Pure and immutable.
 */
public final class OwnerRing {
  private static final OwnerRing EMPTY = new OwnerRing(List.of());
  private final List<String> nodes;

  private OwnerRing(List<String> nodes) {
    this.nodes = nodes;
  }

  public static OwnerRing of(Collection<String> nodes) {
    return nodes.isEmpty() ? EMPTY : new OwnerRing(nodes.stream().distinct().sorted().toList());
  }

  public List<String> nodes() {
    return nodes;
  }

  public boolean isEmpty() {
    return nodes.isEmpty();
  }

  /** The owner of {@code server}, or null while no rates node is known. */
  public String owner(String server) {
    String best = null;
    long bestScore = 0;
    for (String node : nodes) {
      long s = score(node, server);
      // Unsigned, ties (one in 2^64) broken by the sorted order: every node still agrees.
      if (best == null || Long.compareUnsigned(s, bestScore) > 0) {
        best = node;
        bestScore = s;
      }
    }
    return best;
  }

  /**
   * FNV-1a over "server NUL node", then the SplitMix64 finaliser: FNV alone avalanches poorly on
   * the short, similar strings slugs and node ids are, which would skew ownership towards some
   * nodes.
   */
  static long score(String node, String server) {
    long h = 0xcbf29ce484222325L;
    for (byte b : server.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ 0) * 0x100000001b3L;
    for (byte b : node.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OwnerRing r && r.nodes.equals(nodes);
  }

  @Override
  public int hashCode() {
    return nodes.hashCode();
  }

  @Override
  public String toString() {
    return nodes.toString();
  }
}
