package dev.zkdigest.protocol;

/**
 * One request frame as a client wrote it.
 *
 * @param xid the request header's xid (0 for the handshake, which has none)
 * @param path the znode path the request names, or null for ops without one
 * @param frameBytes bytes on the wire, length prefix included
 * @param timeNanos epoch nanoseconds when the frame's last byte was seen
 * @param complete false when the capture cut the frame short, so some fields may be missing
 */
public record ZkRequest(
    int xid,
    Op op,
    String path,
    RequestBody body,
    int frameBytes,
    long timeNanos,
    boolean complete) {}
