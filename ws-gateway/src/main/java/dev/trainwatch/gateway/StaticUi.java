package dev.trainwatch.gateway;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves the dashboard: from {@code ui_dir} when configured (development), else from {@code webroot} on the class
 * path (the jar). {@code index.html} is never cached, so a new release shows at once; everything under
 * {@code /assets/} is named by content hash and cached for a year.
 */
final class StaticUi {
  private StaticUi() {}

  static void mount(Router router, String uiDir) {
    boolean fromDisk = uiDir != null && Files.isDirectory(Path.of(uiDir));
    StaticHandler assets = (fromDisk ? StaticHandler.create(io.vertx.ext.web.handler.FileSystemAccess.ROOT,
        Path.of(uiDir).toAbsolutePath().toString()) : StaticHandler.create("webroot"))
        .setCachingEnabled(true).setMaxAgeSeconds(365L * 24 * 3600).setIncludeHidden(false);
    StaticHandler pages = (fromDisk ? StaticHandler.create(io.vertx.ext.web.handler.FileSystemAccess.ROOT,
        Path.of(uiDir).toAbsolutePath().toString()) : StaticHandler.create("webroot"))
        .setCachingEnabled(false).setIncludeHidden(false);
    router.get("/assets/*").handler(ctx -> {
      ctx.response().putHeader("cache-control", "public, max-age=31536000, immutable");
      ctx.next();
    }).handler(assets);
    router.get("/*").handler(ctx -> {
      ctx.response().putHeader("cache-control", "no-cache");
      ctx.next();
    }).handler(pages);
  }
}
