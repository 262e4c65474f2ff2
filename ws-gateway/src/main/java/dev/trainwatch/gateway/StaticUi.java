package dev.trainwatch.gateway;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Serves the dashboard: from {@code ui_dir} when configured (development), else from {@code
 * webroot} on the class path (the jar). Every response carries Last-Modified so browsers revalidate
 * cheaply (304). A file whose name carries a content hash ({@code app.3f2a9c1e.js}) can never
 * change under that name and is cached for a year as immutable; anything else, {@code index.html}
 * first, is {@code no-cache}, so a new release shows at once.
 */
final class StaticUi {
  private StaticUi() {}

  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String REVALIDATE = "no-cache";
  private static final Pattern HASHED = Pattern.compile(".*[.-][0-9a-f]{8,}\\.[a-z0-9]+$");

  static void mount(Router router, String uiDir) {
    boolean fromDisk = uiDir != null && Files.isDirectory(Path.of(uiDir));
    StaticHandler files =
        (fromDisk
                ? StaticHandler.create(
                    FileSystemAccess.ROOT, Path.of(uiDir).toAbsolutePath().toString())
                : StaticHandler.create("webroot"))
            .setCachingEnabled(true)
            .setIncludeHidden(false)
            .setDirectoryListing(false)
            .setIndexPage("index.html");
    router
        .get("/*")
        .handler(
            ctx -> {
              String policy =
                  HASHED.matcher(ctx.request().path()).matches() ? IMMUTABLE : REVALIDATE;
              // StaticHandler writes its own Cache-Control; ours is applied last so it wins.
              ctx.addHeadersEndHandler(v -> ctx.response().headers().set("cache-control", policy));
              ctx.next();
            })
        .handler(files);
  }
}
