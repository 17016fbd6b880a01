package dev.zkdigest.budget;

import dev.zkdigest.digest.DigestSnapshot;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Limits on traffic that fail a build: a rules file, one rule per line ({@code calls getChildren
 * /app/locks/* <= 5}), read and checked whole before any traffic is, then evaluated on a snapshot.
 * What {@code zkdigest proxy|replay --budget} and the JUnit extension's {@code assertWithin} share.
 *
 * @param source the file name as given, for messages
 */
public record Budget(String source, List<Rule> rules) {
  /** A budget is a few dozen lines; anything this large is not one. */
  private static final long MAX_FILE_BYTES = 1 << 20;

  public Budget {
    rules = List.copyOf(rules);
  }

  /**
   * Reads and checks a budget file.
   *
   * @throws BudgetException naming the file, and the line when one is wrong
   */
  public static Budget read(Path file) {
    String name = file.toString();
    try {
      if (Files.isDirectory(file)) {
        throw new BudgetException(name + ": is a directory, not a budget file");
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new BudgetException(name + ": larger than 1 MiB, not a budget file");
      }
      return parse(name, Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new BudgetException(name + ": no such file");
    } catch (MalformedInputException e) {
      throw new BudgetException(name + ": not a text file (UTF-8)");
    } catch (IOException e) {
      throw new BudgetException(name + ": cannot read: " + e.getMessage());
    }
  }

  /**
   * Parses and checks budget rules.
   *
   * @throws BudgetException naming the source and the line when one is wrong
   */
  public static Budget parse(String source, String text) {
    return new Budget(source, BudgetParser.rules(source, text));
  }

  public BudgetResult evaluate(Traffic traffic) {
    return new BudgetResult(this, rules.stream().map(r -> r.evaluate(traffic)).toList());
  }

  public BudgetResult evaluate(DigestSnapshot snapshot) {
    return evaluate(Traffic.of(snapshot));
  }
}
