#!/usr/bin/env python3
"""Writes captures shaped to exhaust the memory of a SIP analyzer, for the
limit tests (docs/robustness.md, section Limits).

    make-exhaustion.py KIND OUT.pcap [--count N]

KIND:
  invites  N INVITEs with distinct Call-IDs, never answered (UDP)
  calls    N short complete calls with distinct Call-IDs: INVITE, 180, 200,
           ACK, BYE, 200 (UDP)
  ssrc     one INVITE whose SDP announces 10.0.0.2:40000, then N RTP
           packets to it, each with a new SSRC
  tcp      one TCP stream to port 5060: an INVITE start line, then header
           lines without end (no blank line, no Content-Length), N segments
           of 1400 bytes
  frags    N first fragments of IPv4 datagrams (distinct IDs and sources)
           whose other fragments never come

The frames are Ethernet/IPv4; times advance 1 ms per frame from
2026-01-01 00:00:00 UTC. The IPv4 header checksum is left 0 and UDP
checksums absent: no reader of these captures checks them. Call-IDs are
"<kind>-<n>@exhaust.test" with n from 1, so a test can tell which calls a
capped run kept.
"""
import argparse
import struct
import sys

T0 = 1767225600  # 2026-01-01T00:00:00Z
MAC = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"


class Pcap:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.n = 0
        self.buf = []

    def frame(self, data):
        t = self.n  # ms
        self.n += 1
        self.buf.append(struct.pack("<IIII", T0 + t // 1000, (t % 1000) * 1000, len(data), len(data)))
        self.buf.append(data)
        if len(self.buf) >= 8192:
            self.flush()

    def flush(self):
        self.f.write(b"".join(self.buf))
        self.buf = []

    def close(self):
        self.flush()
        self.f.close()


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ipv4(src, dst, proto, payload, ident=0, flags_frag=0, total=None):
    total = 20 + len(payload) if total is None else total
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ident & 0xFFFF, flags_frag, 64, proto,
                       0, src, dst) + payload


def udp(src, sport, dst, dport, data):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    return MAC + ipv4(src, dst, 17, u)


A = ip4("10.0.0.1")
B = ip4("10.0.0.2")


def sip(start, call_id, cseq, method, from_tag, to_tag="", body=b"", branch="z9hG4bK1"):
    to = "<sip:bob@exhaust.test>" + (";tag=" + to_tag if to_tag else "")
    hdrs = (f"{start}\r\n"
            f"Via: SIP/2.0/UDP 10.0.0.1:5060;branch={branch}\r\n"
            f"From: <sip:alice@exhaust.test>;tag={from_tag}\r\n"
            f"To: {to}\r\n"
            f"Call-ID: {call_id}\r\n"
            f"CSeq: {cseq} {method}\r\n"
            f"Contact: <sip:alice@10.0.0.1:5060>\r\n"
            f"Max-Forwards: 70\r\n")
    if body:
        hdrs += "Content-Type: application/sdp\r\n"
    hdrs += f"Content-Length: {len(body)}\r\n\r\n"
    return hdrs.encode() + body


def invites(p, n):
    for i in range(1, n + 1):
        cid = f"invites-{i}@exhaust.test"
        p.frame(udp(A, 5060, B, 5060, sip("INVITE sip:bob@exhaust.test SIP/2.0", cid, 1, "INVITE",
                                          f"f{i}", branch=f"z9hG4bKi{i}")))


def calls(p, n):
    for i in range(1, n + 1):
        cid = f"calls-{i}@exhaust.test"
        ft, tt = f"f{i}", f"t{i}"
        br, br2 = f"z9hG4bKc{i}", f"z9hG4bKb{i}"
        p.frame(udp(A, 5060, B, 5060, sip("INVITE sip:bob@exhaust.test SIP/2.0", cid, 1, "INVITE", ft, branch=br)))
        p.frame(udp(B, 5060, A, 5060, sip("SIP/2.0 180 Ringing", cid, 1, "INVITE", ft, tt, branch=br)))
        p.frame(udp(B, 5060, A, 5060, sip("SIP/2.0 200 OK", cid, 1, "INVITE", ft, tt, branch=br)))
        p.frame(udp(A, 5060, B, 5060, sip("ACK sip:bob@10.0.0.2 SIP/2.0", cid, 1, "ACK", ft, tt, branch=br + "a")))
        p.frame(udp(A, 5060, B, 5060, sip("BYE sip:bob@10.0.0.2 SIP/2.0", cid, 2, "BYE", ft, tt, branch=br2)))
        p.frame(udp(B, 5060, A, 5060, sip("SIP/2.0 200 OK", cid, 2, "BYE", ft, tt, branch=br2)))


def ssrc(p, n):
    sdp = (b"v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
           b"m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
    p.frame(udp(A, 5060, B, 5060, sip("INVITE sip:bob@exhaust.test SIP/2.0", "ssrc-1@exhaust.test",
                                      1, "INVITE", "f1", body=sdp)))
    payload = b"\xff" * 20
    for i in range(1, n + 1):
        rtp = struct.pack("!BBHII", 0x80, 0, i & 0xFFFF, i * 160 & 0xFFFFFFFF, i) + payload
        p.frame(udp(A, 30000, B, 40000, rtp))


def tcp(p, n):
    text = bytearray(b"INVITE sip:bob@exhaust.test SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.1:40000;branch=z9hG4bKt\r\n")
    seq = 1000
    line = 0
    for _ in range(n):
        while len(text) < 1400:
            text += b"X-Filler-%08d: %s\r\n" % (line, b"a" * 40)
            line += 1
        seg, text = bytes(text[:1400]), text[1400:]
        th = struct.pack("!HHIIBBHHH", 40000, 5060, seq, 1, 5 << 4, 0x18, 65535, 0, 0)
        p.frame(MAC + ipv4(A, B, 6, th + seg))
        seq = (seq + len(seg)) & 0xFFFFFFFF


def frags(p, n):
    data = struct.pack("!HHHH", 5060, 5060, 8 + 2952, 0) + b"x" * 1472  # 1480: a multiple of 8
    for i in range(n):
        src = bytes([10, 1 + (i >> 16) % 200, (i >> 8) & 0xFF, i & 0xFF])
        p.frame(MAC + ipv4(src, B, 17, data, ident=i, flags_frag=0x2000))


KINDS = {"invites": invites, "calls": calls, "ssrc": ssrc, "tcp": tcp, "frags": frags}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kind", choices=sorted(KINDS))
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=1000000)
    a = ap.parse_args()
    if a.count < 1:
        sys.exit("make-exhaustion.py: --count must be at least 1")
    p = Pcap(a.out)
    KINDS[a.kind](p, a.count)
    p.close()


if __name__ == "__main__":
    main()
