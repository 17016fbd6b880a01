package dev.zkdigest.cli;

import dev.zkdigest.report.JsonReportReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads JSON reports for merge and diff, failing with one line that names the file. */
final class ReportFiles {
  private ReportFiles() {}

  /** A report that could not be read; its message is the line to print. */
  static final class BadReport extends Exception {
    BadReport(String message) {
      super(message);
    }
  }

  static JsonReportReader.Read read(Path file) throws BadReport {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return JsonReportReader.read(r);
    } catch (NoSuchFileException e) {
      throw new BadReport(file + ": no such file");
    } catch (IllegalArgumentException e) {
      throw new BadReport(file + ": " + e.getMessage());
    } catch (IOException e) {
      throw new BadReport(file + ": cannot read: " + e.getMessage());
    }
  }
}
