package dev.zkdigest.cli;

import dev.zkdigest.quorum.QuorumSnapshot;
import dev.zkdigest.quorum.QuorumText;
import java.io.PrintWriter;

/** The quorum section of the text report, after the client report: {@code # Quorum}. */
final class QuorumReport {
  private QuorumReport() {}

  /** The text section, when quorum traffic was seen. */
  static void text(QuorumSnapshot quorum, PrintWriter out) {
    if (quorum != null && !quorum.isEmpty()) {
      QuorumText.render(quorum, out);
    }
  }
}
