#!/usr/bin/env python3
"""sipladder samples/regenerate-ways-in: writes the frames of a pcap file
(link type Ethernet) as a text2pcap hex dump, with the bytes of a tunnel
header put in front of each: text2pcap then adds the outer IPv4 (and UDP)
and Ethernet headers. Used for the tunnels whose kernel drivers the
machine lacks (only VXLAN is made by the kernel here).

  wrap.py KIND IN.pcap > dump.txt   KIND: ipip gre erspan geneve
  wrap.py times IN.pcap OUT.pcap    OUT's frames get IN's time stamps
                                    (text2pcap 4.0 drops the microseconds)
"""
import struct
import sys
import time

kind, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()


def records(buf):
    """(offset of the record header, time fields) of each classic pcap record."""
    e = "<" if struct.unpack("<I", buf[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    o = 24
    while o + 16 <= len(buf):
        yield o, e
        o += 16 + struct.unpack(e + "I", buf[o + 8:o + 12])[0]


if kind == "times":
    out = bytearray(open(sys.argv[3], "rb").read())
    src = list(records(data))
    dst = list(records(bytes(out)))
    if len(src) != len(dst):
        sys.exit("frame counts differ")
    for (so, se), (do, de) in zip(src, dst):
        sec, usec = struct.unpack(se + "II", data[so:so + 8])
        out[do:do + 8] = struct.pack(de + "II", sec, usec)
    open(sys.argv[3], "wb").write(out)
    sys.exit(0)
magic = struct.unpack("<I", data[:4])[0]
end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
nsec = magic in (0xA1B23C4D, 0x4D3CB2A1)
off, seq = 24, 0
while off + 16 <= len(data):
    sec, frac, cap, _ = struct.unpack(end + "IIII", data[off:off + 16])
    frame = data[off + 16:off + 16 + cap]
    off += 16 + cap
    if nsec:
        frac //= 1000
    if kind == "ipip":            # IP protocol 4: the inner IPv4 packet
        body = frame[14:]
    elif kind == "gre":           # GRE with key 42 (RFC 2890), IPv4
        body = struct.pack("!HHI", 0x2000, 0x0800, 42) + frame[14:]
    elif kind == "erspan":        # GRE S bit, ERSPAN type II, session 7
        seq += 1
        body = (struct.pack("!HHI", 0x1000, 0x88BE, seq)
                + struct.pack("!II", 0x10000000 | 7, seq) + frame)
    elif kind == "geneve":        # RFC 8926, VNI 4343, Ethernet
        body = struct.pack("!BBHI", 0, 0, 0x6558, 4343 << 8) + frame
    else:
        sys.exit("unknown kind " + kind)
    print(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(sec)) + ".%06d" % frac)
    for i in range(0, len(body), 16):
        print("%06x %s" % (i, " ".join("%02x" % b for b in body[i:i + 16])))
