package dev.zkdigest.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The HTML report's document around its sections: one self-contained file, its style sheet and
 * sorting script inline (resources beside this class), nothing fetched when it is opened. Its
 * content security policy allows that style and that script by their hashes and nothing else, so a
 * page that is opened from a mail or a ticket cannot load anything, and a path that slipped through
 * escaping still could not run as script.
 */
final class HtmlPage {
  static final String STYLE = resource("report.css");
  static final String SCRIPT = resource("report.js");

  static final String POLICY =
      "default-src 'none'; style-src '"
          + sha256(STYLE)
          + "'; script-src '"
          + sha256(SCRIPT)
          + "'; base-uri 'none'; form-action 'none'";

  private HtmlPage() {}

  /** The whole document; {@code body} is markup whose user data is already escaped. */
  static void write(String title, String body, PrintWriter out) {
    out.print("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.print("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.print("<meta http-equiv=\"Content-Security-Policy\" content=\"" + POLICY + "\">\n");
    out.print("<meta name=\"generator\" content=\"zkdigest\">\n");
    out.print("<title>" + Html.escape(title) + "</title>\n");
    out.print("<style>" + STYLE + "</style>\n</head>\n<body>\n");
    out.print(body);
    out.print("<script>" + SCRIPT + "</script>\n</body>\n</html>\n");
    out.flush();
  }

  private static String resource(String name) {
    try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CSP hash source: what browsers compute over the element's text. */
  private static String sha256(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
