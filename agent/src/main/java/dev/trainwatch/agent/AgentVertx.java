package dev.trainwatch.agent;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/** A Vert.x sized for one host's agent: one event loop, tiny pools, no file cache (the unit's file system is read-only). */
final class AgentVertx {
  private AgentVertx() {}

  static Vertx create() {
    return Vertx.builder().with(new VertxOptions()
            .setEventLoopPoolSize(1)
            .setWorkerPoolSize(2)
            .setInternalBlockingPoolSize(2)
            .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                .setClassPathResolvingEnabled(false)))
        .build();
  }
}
