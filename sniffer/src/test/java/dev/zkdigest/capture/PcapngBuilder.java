package dev.zkdigest.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds pcapng files for tests; every block padded to 32 bits, its length repeated at the end. */
final class PcapngBuilder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteOrder order;

  PcapngBuilder(ByteOrder order) {
    this.order = order;
    ByteBuffer b = ByteBuffer.allocate(16).order(order);
    b.putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1);
    block(0x0a0d0d0a, b.array());
  }

  void block(int type, byte[] body) {
    int padded = (body.length + 3) & ~3;
    ByteBuffer b = ByteBuffer.allocate(12 + padded).order(order);
    b.putInt(type).putInt(12 + padded).put(body);
    b.position(8 + padded);
    b.putInt(12 + padded);
    out.writeBytes(b.array());
  }

  /** An interface description; {@code tsresol} as the if_tsresol option byte, or -1 for none. */
  void iface(int linkType, int tsresol) {
    ByteBuffer b = ByteBuffer.allocate(tsresol < 0 ? 12 : 24).order(order);
    b.putShort((short) linkType).putShort((short) 0).putInt(65535);
    if (tsresol >= 0) {
      b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
      b.putShort((short) 0).putShort((short) 0); // opt_endofopt
    } else {
      b.putInt(0);
    }
    block(1, b.array());
  }

  void packet(int iface, long units, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(20 + data.length).order(order);
    b.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units);
    b.putInt(data.length).putInt(data.length).put(data);
    block(6, b.array());
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
