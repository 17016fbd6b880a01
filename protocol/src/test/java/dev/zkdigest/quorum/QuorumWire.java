package dev.zkdigest.quorum;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.StatPersisted;
import org.apache.zookeeper.server.quorum.LearnerInfo;
import org.apache.zookeeper.server.quorum.QuorumPacket;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.TxnHeader;

/**
 * Bytes as ZooKeeper's servers write them, for tests: quorum packets, learner info and transaction
 * headers with ZooKeeper's own jute records and {@code BinaryOutputArchive}; election messages as
 * {@code QuorumCnxManager} and {@code FastLeaderElection.buildMsg} lay them out; the snapshot after
 * SNAP as {@code SerializeUtils.serializeSnapshot} and {@code DataTree.serialize} write it.
 */
final class QuorumWire {
  private QuorumWire() {}

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] jute(Record r) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryOutputArchive.getArchive(bytes).writeRecord(r, "r");
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- ZAB ----

  static byte[] packet(ZabType type, long zxid, byte[] data, List<Id> ids) {
    return jute(new QuorumPacket(type.code(), zxid, data, ids));
  }

  static byte[] packet(ZabType type, long zxid, byte[] data) {
    return packet(type, zxid, data, null);
  }

  static byte[] packet(ZabType type, long zxid) {
    return packet(type, zxid, null, null);
  }

  static byte[] learnerInfo(long sid, int protocolVersion, long configVersion) {
    return jute(new LearnerInfo(sid, protocolVersion, configVersion));
  }

  static byte[] ints(int... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length);
    for (int v : values) {
      b.putInt(v);
    }
    return b.array();
  }

  /** A transaction as a PROPOSAL carries it: header, then the create. */
  static byte[] createTxn(long session, int cxid, long zxid, String path) {
    return concat(
        jute(new TxnHeader(session, cxid, zxid, 1_700_000_000_000L, 1)),
        jute(new CreateTxn(path, new byte[] {1, 2, 3}, List.of(), false, 0)));
  }

  /** A request a learner forwards: session, cxid, type, then the request's bytes. */
  static byte[] request(long session, int cxid, int type, byte[] body) {
    return concat(ByteBuffer.allocate(16).putLong(session).putInt(cxid).putInt(type).array(), body);
  }

  /** A learner's PING reply: the sessions it touched, as {@code Learner.ping} writes them. */
  static byte[] touches(int sessions) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      for (int i = 0; i < sessions; i++) {
        out.writeLong(0x100L + i);
        out.writeInt(30_000);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] revalidate(long session, int timeout) {
    return ByteBuffer.allocate(12).putLong(session).putInt(timeout).array();
  }

  static byte[] revalidateReply(long session, boolean valid) {
    return ByteBuffer.allocate(9).putLong(session).put((byte) (valid ? 1 : 0)).array();
  }

  static byte[] designatedLeader(long sid) {
    return ByteBuffer.allocate(8).putLong(sid).array();
  }

  /**
   * The snapshot after SNAP: sessions, the ACL cache, nodes from the root ("") down, the end marker
   * "/" and the signature.
   */
  static byte[] snapshot(int sessions, int nodes, int dataBytes) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryOutputArchive oa = BinaryOutputArchive.getArchive(bytes);
      oa.writeInt(sessions, "count");
      for (int i = 0; i < sessions; i++) {
        oa.writeLong(0x200L + i, "id");
        oa.writeInt(10_000, "timeout");
      }
      // ReferenceCountedACLCache.serialize: the map's size, then per key its ACL vector.
      List<List<ACL>> cache =
          List.of(
              List.of(new ACL(31, new Id("world", "anyone"))),
              List.of(
                  new ACL(1, new Id("digest", "user:abc=")),
                  new ACL(31, new Id("ip", "10.0.0.1"))));
      oa.writeInt(cache.size(), "map");
      for (int k = 0; k < cache.size(); k++) {
        oa.writeLong(k + 1, "long");
        oa.startVector(cache.get(k), "acls");
        for (ACL acl : cache.get(k)) {
          acl.serialize(oa, "acl");
        }
        oa.endVector(cache.get(k), "acls");
      }
      for (int n = 0; n < nodes; n++) {
        // The root's path is empty; "/" would end the list.
        oa.writeString(n == 0 ? "" : "/n" + n, "path");
        oa.writeBuffer(n == 0 ? null : new byte[dataBytes], "data");
        oa.writeLong(n % 3, "acl");
        new StatPersisted(n, n, 0, 0, 0, 0, 0, 0, n).serialize(oa, "statpersisted");
      }
      oa.writeString("/", "path");
      oa.writeString("BenWasHere", "signature");
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- election ----

  /** {@code QuorumCnxManager.startConnection}: version, id, then the election address. */
  static byte[] initial(long version, long sid, String address) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeLong(version);
      out.writeLong(sid);
      byte[] a = address.getBytes(StandardCharsets.UTF_8);
      out.writeInt(a.length);
      out.write(a);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code FastLeaderElection.buildMsg} with a configuration (version 2), framed. */
  static byte[] notification(
      ServerState state,
      long leader,
      long zxid,
      long electionEpoch,
      long peerEpoch,
      String config) {
    byte[] c = config.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(44 + c.length);
    b.putInt(state.ordinal()).putLong(leader).putLong(zxid).putLong(electionEpoch);
    b.putLong(peerEpoch).putInt(2).putInt(c.length).put(c);
    return frame(b.array());
  }

  /** The 40-byte notification of 3.4 (peer epoch, version 1), framed. */
  static byte[] notification40(
      ServerState state, long leader, long zxid, long electionEpoch, long peerEpoch) {
    ByteBuffer b = ByteBuffer.allocate(40);
    b.putInt(state.ordinal()).putLong(leader).putLong(zxid).putLong(electionEpoch);
    b.putLong(peerEpoch).putInt(1);
    return frame(b.array());
  }

  /** The oldest, 28-byte notification (no peer epoch), framed. */
  static byte[] notification28(ServerState state, long leader, long zxid, long electionEpoch) {
    ByteBuffer b = ByteBuffer.allocate(28);
    b.putInt(state.ordinal()).putLong(leader).putLong(zxid).putLong(electionEpoch);
    return frame(b.array());
  }

  /** {@code SendWorker.send}: the length, then the message. */
  static byte[] frame(byte[] body) {
    return concat(ByteBuffer.allocate(4).putInt(body.length).array(), body);
  }

  /** A {@code QuorumAuthPacket}: magic, status, token. */
  static byte[] saslPacket(int status, byte[] token) {
    return concat(
        ByteBuffer.allocate(12).putLong(ElectionStream.AUTH_MAGIC).putInt(status).array(),
        ByteBuffer.allocate(4).putInt(token.length).array(),
        token);
  }

  static final String CONFIG =
      "server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181\n"
          + "server.2=127.0.0.2:2888:3888:participant;0.0.0.0:2181\n"
          + "server.3=127.0.0.3:2888:3888:participant;0.0.0.0:2181\n"
          + "version=100000000";
}
