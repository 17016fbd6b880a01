#!/usr/bin/env python3
"""The shape of a ZooKeeper capture, to compare a real one with `zkdigest generate --shape real`.

    benchmarks/capture-shape.py FILE.pcap [PORT=2181] [--json]

Reads a pcap (Ethernet or Linux cooked, IPv4/IPv6, micro- or nanosecond) on its own, without
zkdigest: packet sizes, TCP payload sizes, pure ACKs, frames per data segment, frame sizes each
way, the request mix by opcode and the distinct request paths. Frames are cut from each direction's
byte stream in sequence order (retransmissions dropped), so a frame split over segments counts once.
"""
import collections
import json
import struct
import sys

OPS = {0: "notification", 1: "create", 2: "delete", 3: "exists", 4: "getData", 5: "setData",
       6: "getACL", 7: "setACL", 8: "getChildren", 9: "sync", 11: "ping", 12: "getChildren2",
       13: "check", 14: "multi", 15: "create2", 16: "reconfig", 17: "checkWatches",
       18: "removeWatches", 19: "createContainer", 20: "deleteContainer", 21: "createTTL",
       22: "multiRead", 100: "auth", 101: "setWatches", 102: "sasl", 103: "getEphemerals",
       104: "getAllChildrenNumber", 105: "setWatches2", 106: "addWatch", 107: "whoAmI",
       -10: "createSession", -11: "closeSession", -1: "error"}
# Requests whose first field is the path (zookeeper.jute).
PATH_FIRST = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15, 17, 18, 19, 20, 21, 103, 104, 106}
SIZE_EDGES = [64, 66, 80, 100, 128, 160, 200, 256, 512, 1024, 1500, 4096, 16384, 65536, 1 << 30]


def packets(path):
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            e = "<"
        else:
            e = ">"
            magic = struct.unpack(">I", head[:4])[0]
        nanos = magic == 0xA1B23C4D
        link = struct.unpack(e + "I", head[20:24])[0] & 0x0FFFFFFF
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            sec, frac, cap, orig = struct.unpack(e + "IIII", h)
            data = f.read(cap)
            yield sec * 1_000_000_000 + (frac if nanos else frac * 1000), link, orig, data


def tcp(link, d):
    """(src, sport, dst, dport, seq, flags, payload) or None."""
    if link == 1:
        et, off = struct.unpack(">H", d[12:14])[0], 14
    elif link == 113:
        et, off = struct.unpack(">H", d[14:16])[0], 16
    elif link == 276:
        et, off = struct.unpack(">H", d[0:2])[0], 20
    else:
        return None
    if et == 0x0800:
        ihl = (d[off] & 0x0F) * 4
        if d[off + 9] != 6:
            return None
        total = struct.unpack(">H", d[off + 2:off + 4])[0]
        src, dst, t, end = d[off + 12:off + 16], d[off + 16:off + 20], off + ihl, off + total
    elif et == 0x86DD:
        if d[off + 6] != 6:
            return None
        plen = struct.unpack(">H", d[off + 4:off + 6])[0]
        src, dst, t, end = d[off + 8:off + 24], d[off + 24:off + 40], off + 40, off + 40 + plen
    else:
        return None
    sport, dport, seq = struct.unpack(">HHI", d[t:t + 8])
    doff = (d[t + 12] >> 4) * 4
    return src, sport, dst, dport, seq, d[t + 13], d[t + doff:end]


def bucket(n):
    for edge in SIZE_EDGES:
        if n <= edge:
            return edge
    return SIZE_EDGES[-1]


def shape(path, port):
    sizes = collections.Counter()
    payloads = collections.Counter()
    frames_per_segment = {"request": collections.Counter(), "reply": collections.Counter()}
    frame_sizes = {"request": collections.Counter(), "reply": collections.Counter()}
    ops = collections.Counter()
    paths = set()
    n = acks = data_segments = frames = 0
    streams = {}  # direction -> [next seq, pending bytes, connected]
    for _, link, orig, d in packets(path):
        n += 1
        sizes[bucket(orig)] += 1
        t = tcp(link, d)
        if t is None:
            continue
        src, sport, dst, dport, seq, flags, payload = t
        if not payload:
            if flags & 0x10 and not flags & 0x07:
                acks += 1
            continue
        if port not in (sport, dport):
            continue
        data_segments += 1
        payloads[bucket(len(payload))] += 1
        key = (src, sport, dst, dport)
        s = streams.get(key)
        if s is None or flags & 0x02:
            s = streams[key] = [seq, b"", 0]
        if seq != s[0]:
            # A retransmission or a gap: count from the next segment that lines up.
            if (seq - s[0]) & 0xFFFFFFFF < 0x80000000:
                s[0], s[1] = seq, b""
            else:
                continue
        s[0] = (seq + len(payload)) & 0xFFFFFFFF
        buf = s[1] + payload
        ended = 0
        request = dport == port
        while len(buf) >= 4:
            length = struct.unpack(">i", buf[:4])[0]
            if length < 0 or length > (1 << 21):
                buf = b""
                break
            if len(buf) < 4 + length:
                break
            body = buf[4:4 + length]
            buf = buf[4 + length:]
            ended += 1
            frames += 1
            frame_sizes["request" if request else "reply"][bucket(length + 4)] += 1
            if request:
                s[2] += 1
                if s[2] == 1:
                    ops["connect"] += 1
                    continue
                if len(body) >= 8:
                    op = struct.unpack(">i", body[4:8])[0]
                    ops[OPS.get(op, str(op))] += 1
                    if op in PATH_FIRST and len(body) >= 12:
                        plen = struct.unpack(">i", body[8:12])[0]
                        if 0 <= plen <= len(body) - 12:
                            paths.add(body[12:12 + plen])
        s[1] = buf
        frames_per_segment["request" if request else "reply"][min(ended, 8)] += 1
    return {
        "packets": n,
        "pure_acks": acks,
        "data_segments": data_segments,
        "frames": frames,
        "packet_size_histogram": dict(sorted(sizes.items())),
        "payload_size_histogram": dict(sorted(payloads.items())),
        "frames_ending_per_request_segment": dict(sorted(frames_per_segment["request"].items())),
        "frames_ending_per_reply_segment": dict(sorted(frames_per_segment["reply"].items())),
        "request_frame_size_histogram": dict(sorted(frame_sizes["request"].items())),
        "reply_frame_size_histogram": dict(sorted(frame_sizes["reply"].items())),
        "requests_by_op": dict(ops.most_common()),
        "distinct_paths": len(paths),
    }


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    s = shape(args[0], int(args[1]) if len(args) > 1 else 2181)
    if "--json" in sys.argv:
        print(json.dumps(s, indent=1))
        return
    n = s["packets"]
    print(f"{args[0]}: {n} packets, {s['pure_acks'] / n:.1%} pure ACKs, "
          f"{s['data_segments']} data segments, {s['frames']} frames "
          f"({s['frames'] / max(1, s['data_segments']):.2f} per data segment), "
          f"{s['distinct_paths']} distinct request paths")
    for name in ("packet_size_histogram", "payload_size_histogram",
                 "frames_ending_per_request_segment", "frames_ending_per_reply_segment",
                 "request_frame_size_histogram",
                 "reply_frame_size_histogram"):
        h = s[name]
        total = sum(h.values()) or 1
        print(f"{name} (<= bucket: share): "
              + ", ".join(f"{k}: {v / total:.1%}" for k, v in h.items()))
    total = sum(s["requests_by_op"].values()) or 1
    print("requests by op: " + ", ".join(
        f"{k} {v / total:.1%}" for k, v in list(s["requests_by_op"].items())[:12]))


if __name__ == "__main__":
    main()
