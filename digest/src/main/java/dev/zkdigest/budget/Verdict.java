package dev.zkdigest.budget;

import java.util.Locale;

/** A rule's outcome. Only {@link #OK} passes: a rule that cannot be decided fails the budget. */
public enum Verdict {
  OK,
  BROKEN,
  /** The measurement is a range (raw paths past the cap) on both sides of the limit. */
  UNDECIDED;

  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
