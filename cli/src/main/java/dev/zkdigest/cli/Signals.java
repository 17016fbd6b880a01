package dev.zkdigest.cli;

/** Signal handlers beyond SIGINT/SIGTERM (which {@link LiveSession} owns). */
final class Signals {
  private Signals() {}

  /**
   * Runs {@code action} on each SIGHUP, instead of the JVM's default (exit). Where the signal is
   * not available, nothing happens.
   */
  static void onHangUp(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
    } catch (IllegalArgumentException e) {
      // no SIGHUP here (not a POSIX system)
    }
  }
}
