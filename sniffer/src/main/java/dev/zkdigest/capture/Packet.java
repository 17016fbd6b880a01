package dev.zkdigest.capture;

/**
 * One captured packet, as a view into a buffer that the reader reuses: copy what must outlive the
 * next read.
 *
 * @param linkType the DLT / LINKTYPE value of the interface it was captured on
 * @param originalLength its length on the wire, which exceeds {@code length} when the snaplen cut
 *     it
 */
public record Packet(
    long nanos, int linkType, byte[] data, int offset, int length, int originalLength) {}
