package dev.zkdigest.budget;

/** A budget file that cannot be used; the message is one line naming the file and the line. */
public final class BudgetException extends IllegalArgumentException {
  public BudgetException(String message) {
    super(message);
  }
}
