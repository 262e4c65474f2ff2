package dev.trainwatch.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * Runs {@code trainwatch-agent} in this JVM as a shell would, capturing its exit code and
 * everything it printed.
 */
record OnceCapture(int code, String out) {
  static OnceCapture run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buf, true);
    System.setOut(capture);
    System.setErr(capture);
    try {
      return new OnceCapture(AgentMain.execute(args), buf.toString());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
