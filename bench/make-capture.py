#!/usr/bin/env python3
"""Build a large pcap for benchmarks by repeating a capture's records.

Usage: make-capture.py SOURCE.pcap OUT.pcap SIZE_MB [--sip-only|--no-sip]

Each copy is shifted in time by the source's duration plus one second and
gets its own source port range, so copies do not overlap. --no-sip keeps
only non-SIP records (RTP), to show that memory does not grow with them;
--sip-only keeps only SIP (UDP port 5060).
"""
import struct
import sys


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic == b"\xd4\xc3\xb2\xa1":
        endian, nano = "<", False
    elif magic == b"\x4d\x3c\xb2\xa1":
        endian, nano = "<", True
    else:
        sys.exit("make-capture: only little-endian pcap sources are supported")
    header = data[:24]
    off = 24
    recs = []
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(endian + "IIII", data[off:off + 16])
        recs.append((sec, frac, data[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return header, endian, nano, recs


def is_sip(frame):
    # Ethernet + IPv4 + UDP port 5060 on either side
    if len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
        return False
    ihl = (frame[14] & 0x0F) * 4
    sport, dport = struct.unpack(">HH", frame[14 + ihl:18 + ihl])
    return sport == 5060 or dport == 5060


def main():
    src, out, size_mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    mode = sys.argv[4] if len(sys.argv) > 4 else ""
    header, endian, nano, recs = records(src)
    if mode == "--sip-only":
        recs = [r for r in recs if is_sip(r[2])]
    elif mode == "--no-sip":
        recs = [r for r in recs if not is_sip(r[2])]
    if not recs:
        sys.exit("make-capture: nothing to repeat")
    span = recs[-1][0] - recs[0][0] + 1
    target = int(size_mb * 1e6)
    written = 24
    copy = 0
    with open(out, "wb") as f:
        f.write(header)
        while written < target:
            shift = copy * span
            for sec, frac, frame, orig in recs:
                f.write(struct.pack(endian + "IIII", sec + shift, frac, len(frame), orig))
                f.write(frame)
                written += 16 + len(frame)
            copy += 1
    print(f"{out}: {written / 1e6:.1f} MB, {copy} copies of {len(recs)} records")


if __name__ == "__main__":
    main()
