package dev.trainwatch.alerts.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.List;

/**
 * Plain-text e-mail over SMTP (vertx-mail-client): subject is the one-line summary, body the
 * details.
 */
public final class EmailChannel implements Channel {
  private final MailClient client;
  private final String from;
  private final List<String> to;

  public EmailChannel(
      Vertx vertx,
      String host,
      int port,
      StartTLSOptions startTls,
      String username,
      String password,
      String from,
      List<String> to) {
    MailConfig config =
        new MailConfig()
            .setHostname(host)
            .setPort(port)
            .setStarttls(startTls)
            .setKeepAlive(true)
            .setMaxPoolSize(2);
    if (username != null) {
      config.setUsername(username).setPassword(password);
    }
    this.client = MailClient.create(vertx, config);
    this.from = from;
    this.to = List.copyOf(to);
  }

  @Override
  public String name() {
    return "email";
  }

  @Override
  public String payload(Notice notice) {
    return Payloads.subject(notice) + "\n\n" + Payloads.emailText(notice.alert());
  }

  @Override
  public Future<Void> send(Notice notice, String payload) {
    MailMessage m =
        new MailMessage()
            .setFrom(from)
            .setTo(to)
            .setSubject(Payloads.subject(notice))
            .setText(Payloads.emailText(notice.alert()));
    m.addHeader("X-Trainwatch-Delivery", notice.deliveryId());
    return client.sendMail(m).mapEmpty();
  }

  public Future<Void> close() {
    return client.close();
  }
}
