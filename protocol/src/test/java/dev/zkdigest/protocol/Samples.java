package dev.zkdigest.protocol;

import java.nio.charset.StandardCharsets;

/** A well-formed request and reply for every client opcode, encoded as ZooKeeper 3.9 does. */
public final class Samples {
  public static final String PATH = "/app/locks/lock-0000000042";
  public static final String SECRET = "tacos:s3cr3t";

  private Samples() {}

  public static int xidFor(Op op) {
    return switch (op) {
      case PING -> -2;
      case AUTH -> -4;
      case SET_WATCHES, SET_WATCHES2 -> -8;
      default -> 7;
    };
  }

  public static byte[] request(Op op) {
    JuteOut o = JuteOut.request(xidFor(op), op);
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    switch (op) {
      case CREATE, CREATE2, CREATE_CONTAINER -> o.str(PATH).buf(data).acls(1).i32(2);
      case CREATE_TTL -> o.str(PATH).buf(data).acls(1).i32(5).i64(60_000);
      case DELETE, CHECK -> o.str(PATH).i32(3);
      case EXISTS, GET_DATA, GET_CHILDREN, GET_CHILDREN2 -> o.str(PATH).bool(true);
      case SET_DATA -> o.str(PATH).buf(data).i32(-1);
      case SET_ACL -> o.str(PATH).acls(2).i32(0);
      case GET_ACL, SYNC, DELETE_CONTAINER, GET_EPHEMERALS, GET_ALL_CHILDREN_NUMBER -> o.str(PATH);
      case CHECK_WATCHES, REMOVE_WATCHES, ADD_WATCH -> o.str(PATH).i32(1);
      case MULTI ->
          o.i32(Op.CREATE.code())
              .bool(false)
              .i32(-1)
              .str(PATH)
              .buf(data)
              .acls(1)
              .i32(0)
              .i32(Op.SET_DATA.code())
              .bool(false)
              .i32(-1)
              .str(PATH)
              .buf(data)
              .i32(-1)
              .i32(Op.CHECK.code())
              .bool(false)
              .i32(-1)
              .str(PATH)
              .i32(1)
              .i32(Op.DELETE.code())
              .bool(false)
              .i32(-1)
              .str(PATH)
              .i32(1)
              .i32(-1)
              .bool(true)
              .i32(-1);
      case MULTI_READ ->
          o.i32(Op.GET_DATA.code())
              .bool(false)
              .i32(-1)
              .str(PATH)
              .bool(false)
              .i32(Op.GET_CHILDREN.code())
              .bool(false)
              .i32(-1)
              .str("/app")
              .bool(false)
              .i32(-1)
              .bool(true)
              .i32(-1);
      case AUTH -> o.i32(0).str("digest").buf(SECRET.getBytes(StandardCharsets.UTF_8));
      case SASL -> o.buf(SECRET.getBytes(StandardCharsets.UTF_8));
      case SET_WATCHES -> o.i64(99).i32(1).str("/a").i32(0).i32(2).str("/b").str("/c");
      case SET_WATCHES2 ->
          o.i64(99).i32(1).str("/a").i32(0).i32(0).i32(1).str("/d").i32(1).str("/e");
      case RECONFIG -> o.str("server.4=h:2888:3888").str(null).str(null).i64(-1);
      case PING, CLOSE_SESSION, WHO_AM_I -> {}
      default -> throw new IllegalArgumentException(op.toString());
    }
    return o.frame();
  }

  public static byte[] reply(Op op) {
    JuteOut o = JuteOut.reply(xidFor(op), 100, 0);
    switch (op) {
      case CREATE, SYNC -> o.str(PATH);
      case CREATE2, CREATE_CONTAINER, CREATE_TTL -> o.str(PATH).stat();
      case GET_DATA, RECONFIG -> o.buf(new byte[12]).stat();
      case EXISTS, SET_DATA, SET_ACL -> o.stat();
      case GET_ACL -> o.acls(1).stat();
      case GET_CHILDREN, GET_EPHEMERALS -> o.i32(3).str("a").str("b").str("c");
      case GET_CHILDREN2 -> o.i32(2).str("a").str("b").stat();
      case GET_ALL_CHILDREN_NUMBER -> o.i32(17);
      case WHO_AM_I -> o.i32(1).str("digest").str("tacos");
      case MULTI ->
          o.i32(Op.CREATE.code())
              .bool(false)
              .i32(0)
              .str(PATH)
              .i32(Op.SET_DATA.code())
              .bool(false)
              .i32(0)
              .stat()
              .i32(Op.CHECK.code())
              .bool(false)
              .i32(0)
              .i32(Op.DELETE.code())
              .bool(false)
              .i32(0)
              .i32(-1)
              .bool(true)
              .i32(-1);
      case MULTI_READ ->
          o.i32(Op.GET_DATA.code())
              .bool(false)
              .i32(0)
              .buf(new byte[3])
              .stat()
              .i32(Op.ERROR.code())
              .bool(false)
              .i32(-101)
              .i32(-101)
              .i32(-1)
              .bool(true)
              .i32(-1);
      case SASL -> o.buf(SECRET.getBytes(StandardCharsets.UTF_8));
      default -> {}
    }
    return o.frame();
  }
}
