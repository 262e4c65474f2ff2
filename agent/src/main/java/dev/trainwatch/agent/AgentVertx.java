package dev.trainwatch.agent;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/**
 * A Vert.x sized for one host's agent: one event loop, tiny pools, no file cache (the unit's file
 * system is read-only).
 */
final class AgentVertx {
  private AgentVertx() {}

  static Vertx create() {
    return Vertx.builder()
        .with(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                // Once a minute, not every second: at one sample a second the checker's wake-ups
                // were a visible share
                // of the agent's CPU; a blocked loop is still reported, a minute later.
                .setBlockedThreadCheckInterval(60_000)
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)))
        .build();
  }
}
