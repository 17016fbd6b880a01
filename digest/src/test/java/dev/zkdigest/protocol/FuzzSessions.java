package dev.zkdigest.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the seeds of {@link ZkConnectionFuzzTest#scriptedSession} into {@code src/test/resources};
 * run from the digest module's directory with the test classpath.
 */
final class FuzzSessions {
  private FuzzSessions() {}

  private static final Path DIR =
      Path.of(
          "src/test/resources/dev/zkdigest/protocol/ZkConnectionFuzzTestInputs/scriptedSession");

  /** Every client opcode Samples knows, each with its reply, distinct xids. */
  private static final Op[] OPS = {
    Op.CREATE,
    Op.CREATE2,
    Op.CREATE_CONTAINER,
    Op.CREATE_TTL,
    Op.DELETE,
    Op.EXISTS,
    Op.GET_DATA,
    Op.SET_DATA,
    Op.GET_ACL,
    Op.SET_ACL,
    Op.GET_CHILDREN,
    Op.GET_CHILDREN2,
    Op.SYNC,
    Op.CHECK,
    Op.MULTI,
    Op.MULTI_READ,
    Op.RECONFIG,
    Op.GET_EPHEMERALS,
    Op.GET_ALL_CHILDREN_NUMBER,
    Op.ADD_WATCH,
    Op.CHECK_WATCHES,
    Op.REMOVE_WATCHES,
    Op.WHO_AM_I,
    Op.AUTH,
    Op.SASL,
    Op.SET_WATCHES,
    Op.SET_WATCHES2,
    Op.PING,
    Op.CLOSE_SESSION
  };

  public static void main(String[] args) throws IOException {
    Files.createDirectories(DIR);
    List<byte[]> exchanges = new ArrayList<>();
    exchanges.add(JuteOut.connectRequest(0, true));
    exchanges.add(JuteOut.connectResponse(0x1234, true));
    int xid = 1;
    for (Op op : OPS) {
      boolean ordinary = Samples.xidFor(op) == 7;
      exchanges.add(ordinary ? withXid(Samples.request(op), xid) : Samples.request(op));
      exchanges.add(ordinary ? withXid(Samples.reply(op), xid) : Samples.reply(op));
      if (ordinary) {
        xid++;
      }
    }
    // Whole frames, one step each, from the start.
    write("whole-frames", true, exchanges, Integer.MAX_VALUE, false);
    // The same cut into 5-byte steps: every frame spans steps.
    write("five-byte-chunks", true, exchanges, 5, false);
    // Joined mid-stream: no handshake, resynchronising on the first plausible frame.
    write("mid-stream", false, exchanges.subList(6, exchanges.size()), Integer.MAX_VALUE, false);
    // A capture gap in each frame's middle, after its header.
    write("gaps", true, exchanges, Integer.MAX_VALUE, true);
    // A four-letter word and its answer.
    write(
        "four-letter-word",
        true,
        List.of(
            "ruok".getBytes(StandardCharsets.US_ASCII), "imok".getBytes(StandardCharsets.US_ASCII)),
        Integer.MAX_VALUE,
        false);
  }

  private static byte[] withXid(byte[] frame, int xid) {
    byte[] f = frame.clone();
    ByteBuffer.wrap(f).putInt(4, xid);
    return f;
  }

  /** Requests and replies alternate in {@code frames}; each is sent in steps of {@code chunk}. */
  private static void write(
      String name, boolean fromStart, List<byte[]> frames, int chunk, boolean gaps)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(fromStart ? 1 : 0);
    for (int i = 0; i < frames.size(); i++) {
      int kind = i % 2 == 0 ? ZkConnectionFuzzTest.CLIENT_BYTES : ZkConnectionFuzzTest.SERVER_BYTES;
      byte[] f = frames.get(i);
      if (gaps && f.length > 24) {
        int keep = 20; // the length and the header are captured, the rest lost
        step(out, kind, f, 0, keep);
        int gap =
            kind == ZkConnectionFuzzTest.CLIENT_BYTES
                ? ZkConnectionFuzzTest.CLIENT_GAP
                : ZkConnectionFuzzTest.SERVER_GAP;
        out.writeBytes(
            ByteBuffer.allocate(3).put((byte) gap).putShort((short) (f.length - keep)).array());
        continue;
      }
      for (int off = 0; off < f.length; off += chunk) {
        step(out, kind, f, off, Math.min(f.length, off + (long) chunk) - off);
      }
    }
    Files.write(DIR.resolve(name), out.toByteArray());
  }

  private static void step(ByteArrayOutputStream out, int kind, byte[] f, int from, long n) {
    out.writeBytes(ByteBuffer.allocate(3).put((byte) kind).putShort((short) n).array());
    out.write(f, from, (int) n);
  }
}
