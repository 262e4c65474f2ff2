package dev.trainwatch.bus.owners;

import dev.trainwatch.bus.Addresses;

/**
 * The roles whose work is split by server: each server has one owner among the live nodes of the
 * role, and senders route its messages there ({@link Members}, {@link OwnerRing}).
 */
public enum Owned {
  /**
   * Rate state is the previous sample: two nodes computing one server's rates would both be wrong.
   */
  RATES(Addresses.RAW_SAMPLE, Addresses.RATES_MEMBERS),
  /**
   * Two history nodes writing one server contend for its boot locks (and its dirty hours) on every
   * batch: one writer per server keeps group commits whole (docs/benchmarks.md, "Cluster").
   */
  HISTORY(Addresses.HISTORY_STORE, Addresses.HISTORY_MEMBERS);

  /**
   * Where any node of the role takes work (while a sender knows of none); a node's own is this plus
   * its id.
   */
  public final String address;

  /** Where the role's nodes heartbeat. */
  public final String members;

  Owned(String address, String members) {
    this.address = address;
    this.members = members;
  }

  public String nodeAddress(String node) {
    return address + "." + node;
  }
}
