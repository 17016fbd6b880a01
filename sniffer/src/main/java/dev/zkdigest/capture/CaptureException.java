package dev.zkdigest.capture;

/** A capture that cannot be read, with a message fit to show the user as is. */
public final class CaptureException extends Exception {
  public CaptureException(String message) {
    super(message);
  }

  public CaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}
