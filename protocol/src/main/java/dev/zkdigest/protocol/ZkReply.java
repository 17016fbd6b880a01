package dev.zkdigest.protocol;

/**
 * One reply frame from the server (the handshake's ConnectResponse included).
 *
 * @param err ZooKeeper error code, 0 for OK ({@link KeeperErrors#name})
 * @param frameBytes bytes on the wire, length prefix included
 * @param timeNanos epoch nanoseconds when the frame's first byte was seen
 */
public record ZkReply(
    int xid,
    long zxid,
    int err,
    ReplyBody body,
    int frameBytes,
    long timeNanos,
    boolean complete) {}
