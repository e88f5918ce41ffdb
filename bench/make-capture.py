#!/usr/bin/env python3
"""Build a large, realistic pcap of many overlapping calls for benchmarks.

Usage: make-capture.py SOURCE.pcap OUT.pcap SIZE_MB [--calls N] [--seed S]
                       [--sip-only | --no-sip]

SOURCE is a capture of one answered call made by real SIP software (the
default bench input is samples/flow1-direct.pcap: SIPp GW-A calls SIPp
GW-B; INVITE, 100, 180, 200 with SDP, ACK, then BYE and 200). Its SIP
messages are the templates; every call of the output gets its own
Call-ID, From/To tags, Via branches, numbers, SDP session ids and RTP
ports (the Content-Length is recomputed), and RTP both ways: G.711 PCMU,
20 ms packets (50 per second each way), its own SSRC, random first
sequence number and timestamp, the marker on the first packet, a little
network jitter and the payload bytes of the sample's own RTP.

Calls start at random intervals (about 20 a second) and last between 0.7
and 1.3 times a mean chosen so that the file reaches SIZE_MB, so several
hundred calls are up at once, as on a busy trunk between two gateways
(10.0.0.10 and 10.0.0.50). Records are written in time order.

--sip-only keeps only the SIP records, --no-sip only the RTP records.
"""
import argparse
import random
import re
import struct
import sys

PTIME = 0.020
RTP_PAYLOAD = 160          # 20 ms of G.711 at 8 kHz


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic == b"\xd4\xc3\xb2\xa1":
        endian, nano = "<", False
    elif magic == b"\x4d\x3c\xb2\xa1":
        endian, nano = "<", True
    else:
        sys.exit("make-capture: only little-endian pcap sources are supported")
    if struct.unpack("<I", data[20:24])[0] != 1:
        sys.exit("make-capture: the source must be Ethernet")
    off = 24
    recs = []
    while off + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack(endian + "IIII", data[off:off + 16])
        t = sec + frac / (1e9 if nano else 1e6)
        recs.append((t, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return recs


def udp_parts(frame):
    """(src ip, dst ip, sport, dport, payload) of Ethernet/IPv4/UDP, or None."""
    if len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
        return None
    ihl = (frame[14] & 0x0F) * 4
    sport, dport, ulen = struct.unpack(">HHH", frame[14 + ihl:20 + ihl])
    return frame[26:30], frame[30:34], sport, dport, frame[14 + ihl + 8:14 + ihl + ulen]


def csum_words(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


class Frame:
    """Ethernet + IPv4 + UDP headers for one direction; the IP id varies."""

    def __init__(self, src_mac, dst_mac, src_ip, dst_ip, sport, dport, plen):
        self.eth = dst_mac + src_mac + b"\x08\x00"
        total = 20 + 8 + plen
        # version/IHL, DSCP EF for media is common but keep 0 like the sample
        self.ip_pre = struct.pack("!BBH", 0x45, 0, total)
        self.ip_post = struct.pack("!HBBH", 0x4000, 64, 17, 0) + src_ip + dst_ip
        self.base = csum_words(self.ip_pre + self.ip_post)
        self.udp = struct.pack("!HHHH", sport, dport, 8 + plen, 0)

    def build(self, ip_id, payload):
        ck = (~fold(self.base + ip_id)) & 0xFFFF
        ip = self.ip_pre + struct.pack("!H", ip_id) + self.ip_post[:4] + \
            struct.pack("!H", ck) + self.ip_post[6:]
        return self.eth + ip + self.udp + payload


def sip_templates(recs):
    """The SIP records of the source: (offset from the INVITE, src ip, text)."""
    out = []
    t0 = None
    for t, frame in recs:
        p = udp_parts(frame)
        if not p or (p[2] != 5060 and p[3] != 5060):
            continue
        if t0 is None:
            t0 = t
        out.append((t - t0, p[0], frame[6:12], frame[0:6], p[2], p[3], p[4].decode("latin-1")))
    if not out or not out[0][6].startswith("INVITE "):
        sys.exit("make-capture: the source must start with an INVITE")
    return out


def rtp_payloads(recs):
    pays = []
    for _t, frame in recs:
        p = udp_parts(frame)
        if p and p[2] != 5060 and p[3] != 5060 and len(p[4]) == 12 + RTP_PAYLOAD:
            pays.append(p[4][12:])
    return pays or [b"\xff" * RTP_PAYLOAD]


def personalise(text, i, ports, rnd):
    """One template message made into call i's own."""
    caller, callee = ports
    head, sep, body = text.partition("\r\n\r\n")
    subs = [
        (r"(Call-ID: )[^@\r\n]+", lambda m: m.group(1) + rnd["callid"]),
        (r"tag=7495-1\b", "tag=" + rnd["ftag"]),
        (r"tag=7482-1\b", "tag=" + rnd["ttag"]),
        (r"branch=z9hG4bK-7495-1-(\d+)", lambda m: "branch=z9hG4bK-" + rnd["branch"] + "-" + m.group(1)),
        (r"15551110001", "1555111%04d" % (i % 10000)),
        (r"15551230001", "1555123%04d" % (i % 10000)),
    ]
    for pat, rep in subs:
        head = re.sub(pat, rep, head)
    if body:
        body = re.sub(r"o=- 1001 1001", "o=- %d %d" % (rnd["sess"], rnd["sess"]), body)
        body = re.sub(r"o=- 2001 2001", "o=- %d %d" % (rnd["sess"] + 1, rnd["sess"] + 1), body)
        port = caller if "c=IN IP4 10.0.0.10" in body else callee
        body = re.sub(r"m=audio \d+", "m=audio %d" % port, body)
    head = re.sub(r"Content-Length: *\d+", "Content-Length: %d" % len(body.encode("latin-1")), head)
    return (head + sep + body).encode("latin-1")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("out")
    ap.add_argument("size_mb", type=float)
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sip-only", action="store_true")
    ap.add_argument("--no-sip", action="store_true")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    recs = read_pcap(a.source)
    tmpl = sip_templates(recs)
    pays = rtp_payloads(recs)
    invite = tmpl[0]
    a_ip, b_ip, a_mac, b_mac = invite[1], None, invite[2], invite[3]
    for m in tmpl:
        if m[1] != a_ip:
            b_ip = m[1]
    answer = next(m[0] for m in tmpl if m[6].startswith("SIP/2.0 200") and "INVITE" in m[6].split("CSeq:")[1][:20])
    ack = next(m[0] for m in tmpl if m[6].startswith("ACK "))
    bye_i = next(k for k, m in enumerate(tmpl) if m[6].startswith("BYE "))
    setup = [m for m in tmpl[:bye_i]]
    teardown = [(m[0] - tmpl[bye_i][0],) + m[1:] for m in tmpl[bye_i:]]

    n = a.calls
    rec_rtp = 16 + 14 + 20 + 8 + 12 + RTP_PAYLOAD
    target = a.size_mb * 1e6
    # Mean RTP time per call so that the file reaches the target size
    # (the SIP adds a little on top); durations vary by +-30 % around it.
    mean = target / rec_rtp / n / 2 * PTIME
    if a.sip_only:
        mean = 30.0
    durs = [mean * rnd.uniform(0.7, 1.3) for _ in range(n)]
    scale = mean * n / sum(durs) * 1.002
    durs = [d * scale for d in durs]
    starts = []
    t = 1_700_000_000.0
    for _ in range(n):
        starts.append(t)
        t += rnd.expovariate(20.0)

    # Events: SIP messages are few; make them all now. RTP is generated
    # per 20 ms tick for the calls that are up, then each tick's records
    # are sorted by time and written.
    sip_events = []
    calls = []
    for i in range(n):
        r = {
            "callid": "%08x-%04x-%d" % (rnd.getrandbits(32), rnd.getrandbits(16), i + 1),
            "ftag": "%x-%d" % (rnd.getrandbits(32), i + 1),
            "ttag": "%x-%d" % (rnd.getrandbits(32), i + 1),
            "branch": "%x-%d" % (rnd.getrandbits(40), i + 1),
            "sess": 100000 + 2 * i,
        }
        ports = (10000 + 2 * (i % 25000), 20000 + 2 * (i % 20000))
        t0 = starts[i]
        media_start = t0 + ack + 0.006
        media_end = media_start + durs[i]
        for off, src, smac, dmac, sp, dp, text in setup:
            sip_events.append((t0 + off, (smac, dmac, src, b_ip if src == a_ip else a_ip, sp, dp),
                               personalise(text, i + 1, ports, r)))
        for off, src, smac, dmac, sp, dp, text in teardown:
            sip_events.append((media_end + 0.01 + off, (smac, dmac, src, b_ip if src == a_ip else a_ip, sp, dp),
                               personalise(text, i + 1, ports, r)))
        legs = []
        for k, (sip_, dip, smac, dmac, sport, dport, lag) in enumerate((
                (a_ip, b_ip, a_mac, b_mac, ports[0], ports[1], 0.0),
                (b_ip, a_ip, b_mac, a_mac, ports[1], ports[0], 0.0149))):
            legs.append({
                "frame": Frame(smac, dmac, sip_, dip, sport, dport, 12 + RTP_PAYLOAD),
                "start": media_start + lag + k * 0.0001,
                "count": int(durs[i] / PTIME),
                "seq": rnd.getrandbits(16),
                "ts": rnd.getrandbits(32),
                "ssrc": rnd.getrandbits(32),
                "id": rnd.getrandbits(16),
            })
        calls.append(legs)
    sip_events.sort(key=lambda e: e[0])
    jitter = [rnd.gauss(0.0, 0.0008) for _ in range(4093)]
    jit_i = 0

    first = starts[0]
    last = max(c[1]["start"] + c[1]["count"] * PTIME for c in calls) + 2.0
    ticks = int((last - first) / PTIME) + 1
    written = 24
    n_rec = n_sip = 0
    sip_i = 0
    active = []
    next_call = 0
    ip_id_sip = 1
    with open(a.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for tick in range(ticks):
            lo = first + tick * PTIME
            hi = lo + PTIME
            batch = []
            while sip_i < len(sip_events) and sip_events[sip_i][0] < hi:
                ts, (smac, dmac, src, dst, sp, dp), payload = sip_events[sip_i]
                if not a.no_sip:
                    fr = Frame(smac, dmac, src, dst, sp, dp, len(payload))
                    batch.append((ts, fr.build(ip_id_sip, payload)))
                    ip_id_sip = (ip_id_sip + 1) & 0xFFFF
                sip_i += 1
            while next_call < n and calls[next_call][0]["start"] < hi:
                active.append(calls[next_call])
                next_call += 1
            if not a.sip_only:
                still = []
                for legs in active:
                    live = False
                    for leg in legs:
                        k = int((lo - leg["start"]) / PTIME) if lo > leg["start"] else 0
                        # packets of this leg whose nominal time is in [lo, hi)
                        while k < leg["count"]:
                            nominal = leg["start"] + k * PTIME
                            if nominal >= hi:
                                break
                            if nominal >= lo:
                                sent = leg.get("sent", 0)
                                if sent == k:
                                    jit_i = (jit_i + 1) % len(jitter)
                                    # V=2, PT 0 (PCMU), the marker on the first packet
                                    rtp = struct.pack("!BBHII", 0x80, 0x80 if k == 0 else 0,
                                                      (leg["seq"] + k) & 0xFFFF,
                                                      (leg["ts"] + k * 160) & 0xFFFFFFFF, leg["ssrc"])
                                    pay = pays[(k + leg["ssrc"]) % len(pays)]
                                    batch.append((nominal + abs(jitter[jit_i]),
                                                  leg["frame"].build((leg["id"] + k) & 0xFFFF, rtp + pay)))
                                    leg["sent"] = k + 1
                            k += 1
                        if leg.get("sent", 0) < leg["count"]:
                            live = True
                    if live:
                        still.append(legs)
                active = still
            batch.sort(key=lambda e: e[0])
            out = []
            for ts, frame in batch:
                sec = int(ts)
                usec = int((ts - sec) * 1e6)
                out.append(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
                out.append(frame)
                written += 16 + len(frame)
            n_rec += len(batch)
            f.write(b"".join(out))
    n_sip = sum(1 for _ in sip_events) if not a.no_sip else 0
    print(f"{a.out}: {written / 1e6:.1f} MB, {n_rec} records, {n} calls, "
          f"{n_sip} SIP messages, mean call {mean:.1f} s of RTP")


if __name__ == "__main__":
    main()
