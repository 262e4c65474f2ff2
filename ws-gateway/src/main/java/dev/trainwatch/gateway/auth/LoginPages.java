package dev.trainwatch.gateway.auth;

import io.vertx.core.http.HttpServerResponse;

/**
 * The few server-rendered pages of sign-in: where to sign in, and why a sign-in was refused. Plain
 * HTML, no script, styled by {@code /assets/login.css} (the CSP allows nothing inline). Every
 * interpolated text is escaped.
 */
final class LoginPages {
  private LoginPages() {}

  static void send(
      HttpServerResponse resp,
      int status,
      String title,
      String message,
      String linkText,
      String href) {
    StringBuilder b =
        new StringBuilder(512)
            .append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .append(
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .append(escape(title))
            .append(" · Trainwatch</title><link rel=\"stylesheet\" href=\"/assets/login.css\">")
            .append("</head><body><main class=\"login\"><h1>Trainwatch</h1><h2>")
            .append(escape(title))
            .append("</h2><p>")
            .append(escape(message))
            .append("</p>");
    if (linkText != null) {
      b.append("<p><a class=\"button\" href=\"")
          .append(escape(href))
          .append("\">")
          .append(escape(linkText))
          .append("</a></p>");
    }
    b.append("</main></body></html>");
    resp.setStatusCode(status)
        .putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(b.toString());
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
