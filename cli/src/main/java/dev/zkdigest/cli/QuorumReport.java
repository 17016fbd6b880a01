package dev.zkdigest.cli;

import dev.zkdigest.quorum.QuorumJson;
import dev.zkdigest.quorum.QuorumSnapshot;
import dev.zkdigest.quorum.QuorumText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Attaches the quorum section to the client report, without touching the client renderers: after
 * the text report, {@code # Quorum}; inside the JSON document, a {@code quorum} key before its
 * closing brace. The one place to re-wire when the report takes sections itself.
 */
final class QuorumReport {
  private QuorumReport() {}

  /** The text section, when quorum traffic was seen. */
  static void text(QuorumSnapshot quorum, PrintWriter out) {
    if (quorum != null && !quorum.isEmpty()) {
      QuorumText.render(quorum, out);
    }
  }

  /**
   * A writer for the JSON report that holds back the document's last closing brace, then writes
   * {@code ,"quorum":{...}} before it on {@link JsonTail#finish()}.
   */
  static final class JsonTail extends Writer {
    private final PrintWriter out;
    private final QuorumSnapshot quorum;
    private final StringBuilder held = new StringBuilder();

    JsonTail(PrintWriter out, QuorumSnapshot quorum) {
      this.out = out;
      this.quorum = quorum;
    }

    @Override
    public void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        if (c == '}') {
          release();
          held.append(c);
        } else if (held.length() > 0 && Character.isWhitespace(c)) {
          held.append(c);
        } else {
          release();
          out.write(c);
        }
      }
    }

    private void release() {
      if (held.length() > 0) {
        out.write(held.toString());
        held.setLength(0);
      }
    }

    /** Writes the quorum key and what was held back. */
    void finish() {
      if (held.length() > 0 && held.charAt(0) == '}') {
        out.write(",\"quorum\":");
        QuorumJson.render(quorum, out);
      }
      release();
      out.flush();
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
