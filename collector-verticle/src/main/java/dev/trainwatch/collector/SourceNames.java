package dev.trainwatch.collector;

import java.util.List;

/** The collector's sources: config keys, metric tags and shared-map keys all use these names. */
final class SourceNames {
  static final String CPU = "cpu";
  static final String MEMORY = "memory";
  static final String DISKS = "disks";
  static final String NETWORKS = "networks";
  static final String PRESSURE = "pressure";
  static final String GPUS = "gpus";
  static final String PROCESSES = "processes";
  static final List<String> ALL = List.of(CPU, MEMORY, DISKS, NETWORKS, PRESSURE, GPUS, PROCESSES);

  private SourceNames() {}
}
