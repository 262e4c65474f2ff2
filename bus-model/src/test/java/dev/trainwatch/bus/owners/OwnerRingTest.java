package dev.trainwatch.bus.owners;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OwnerRingTest {
  static final List<String> SERVERS =
      IntStream.range(0, 30_000).mapToObj(i -> "gpu-box-" + i).toList();

  @Test
  void noNodesNoOwner() {
    assertThat(OwnerRing.of(List.of()).owner("a")).isNull();
  }

  /**
   * Nodes of different builds must agree on owners: the hash is part of the wire. These values were
   * computed apart from this code (a few lines of Python: FNV-1a 64 of "server\0node" through the
   * SplitMix64 finaliser) and must never change.
   */
  @Test
  void scoresArePinned() {
    assertThat(Long.toHexString(OwnerRing.score("node-a", "gpu-box-01"))).isEqualTo(PINNED_A);
    assertThat(Long.toHexString(OwnerRing.score("node-b", "gpu-box-01"))).isEqualTo(PINNED_B);
  }

  static final String PINNED_A = "38fc53ed7eea06b7";
  static final String PINNED_B = "2f75a32217483de2";

  @Test
  void theOrderNodesAreListedInDoesNotMatter() {
    OwnerRing a = OwnerRing.of(List.of("n1", "n2", "n3"));
    OwnerRing b = OwnerRing.of(List.of("n3", "n1", "n2", "n1"));
    assertThat(a).isEqualTo(b);
    assertThat(SERVERS).allMatch(s -> a.owner(s).equals(b.owner(s)));
  }

  @Test
  void serversSpreadEvenly() {
    OwnerRing ring = OwnerRing.of(List.of("Zk3-aQ1xL0pe", "c9_b2kLm0QwE", "uT7yPq1-x8Rd"));
    Map<String, Integer> count = new HashMap<>();
    SERVERS.forEach(s -> count.merge(ring.owner(s), 1, Integer::sum));
    // 10,000 each expected; a binomial's standard deviation here is ~82, so ±3 % is over 3.5 sigma.
    assertThat(count.values()).allMatch(n -> Math.abs(n - 10_000) < 300);
  }

  @Test
  void whenANodeLeavesOnlyItsServersMove() {
    OwnerRing three = OwnerRing.of(List.of("n1", "n2", "n3"));
    OwnerRing two = OwnerRing.of(List.of("n1", "n3"));
    for (String s : SERVERS) {
      if (!three.owner(s).equals("n2")) {
        assertThat(two.owner(s)).as(s).isEqualTo(three.owner(s));
      } else {
        assertThat(two.owner(s)).isIn("n1", "n3");
      }
    }
  }

  @Test
  void whenANodeJoinsServersMoveOnlyToIt() {
    OwnerRing three = OwnerRing.of(List.of("n1", "n2", "n3"));
    OwnerRing four = OwnerRing.of(List.of("n1", "n2", "n3", "n4"));
    long moved =
        SERVERS.stream()
            .filter(s -> !four.owner(s).equals(three.owner(s)))
            .peek(s -> assertThat(four.owner(s)).isEqualTo("n4"))
            .count();
    assertThat(moved).isBetween(7_000L, 8_000L); // a quarter
  }
}
