package dev.zkdigest.capture;

/** Recognises a ZooKeeper ConnectRequest at the start of a flow on a port we were not told of. */
final class HandshakeProbe {
  private HandshakeProbe() {}

  /**
   * A ConnectRequest frame: length 28 + password (0..16 bytes) + optional readOnly byte, protocol
   * version 0, a positive session timeout.
   */
  static boolean isConnectRequest(byte[] b, int len) {
    if (len < 32) {
      return false;
    }
    int frame = CaptureFileReader.intBE(b, 0);
    int version = CaptureFileReader.intBE(b, 4);
    int timeout = CaptureFileReader.intBE(b, 16);
    int pw = CaptureFileReader.intBE(b, 28);
    return version == 0
        && timeout > 0
        && pw >= 0
        && pw <= 16
        && (frame == 28 + pw || frame == 29 + pw);
  }
}
