#!/usr/bin/env python3
"""Compare `sipladder-cli rtp` on one capture with Wireshark's RTP streams.

Usage: check-rtp.py CLI CAPTURE
       check-rtp.py CLI --random FIRST-LAST
CAPTURE is relative to ../shared/captures/public, or an absolute path (the
bundled samples). --random writes one synthetic capture per seed (RTP with
lost, late and repeated packets, timestamp jumps and wraps, payload type
changes, CSRC lists, header extensions, padding, markers, claimed ports,
and SIP INVITEs whose SDP announces RTP or T.38 on the ports in use) and
compares each the same way: a differential test of the rules, where every
difference fails.

The reference is `tshark -r CAPTURE -q -o rtp.heuristic_rtp:TRUE -z
rtp,streams` (Debian's tshark 4.0.17, installed by tools/setup). Streams
are matched by (source, destination, SSRC); the sets must be equal, the
packet and lost counts, payload names and "Problems?" flags identical, the
start and end times equal to the microsecond, and min/mean/max delta and
jitter within 0.01 ms. Every difference that cannot be removed is listed
in KNOWN with the streams and frames involved, why, and the tshark options
that make it disappear (checked too); anything else fails. Exits 77 (skip) when the capture or tshark is absent.
"""
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile

MS_TOLERANCE = 0.01
TIME_TOLERANCE = 1e-6

# tshark needs a port hint where SIP runs on a port it gives to another
# protocol (INDEX.md, note *).
DECODE_AS = {
    "heplify/sip_ipv4_tcp_fragmented.pcap": ["-d", "tcp.port==6060,sip"],
}

# Differences that stay, per capture: the streams and fields that differ
# from plain tshark, why, and the tshark options under which the
# difference disappears (the test checks that too, so the explanation is
# verified, not only stated). A stream key is "src>dst/ssrc".
KNOWN = {
    "heplify/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap": {
        "streams": ["10.35.60.100:15580>10.23.1.52:16756/0x0EAF0EAF"],
        "fields": ["packets", "payload", "end_rel", "mean_delta_ms", "max_delta_ms",
                   "mean_jitter_ms", "max_jitter_ms"],
        "why": "the media gateway is also driven by H.248 (Megaco, UDP 2944), whose "
               "SDP tshark applies too: frame 60 announces 10.23.1.52:16756 with an "
               "SDP that has no rtpmap for PT 102 (tshark names it RTPType-102, "
               "sipladder takes telephone-event from the SIP SDP), and frames "
               "3146-3147 announce T.38 (image udptl) on the same address, so tshark "
               "dissects the 2004 RTP packets sent there from frame 3148 (64.73 s) as "
               "T.38. sipladder reads the SDP of SIP only; with tshark's Megaco "
               "dissector disabled both agree exactly",
        "tshark_args": ["--disable-protocol", "megaco"],
    },
}


def tshark_streams(path, capture, extra=()):
    cmd = ["tshark", "-n", "-r", path, "-q", "-o", "rtp.heuristic_rtp:TRUE",
           "-z", "rtp,streams"]
    cmd[2:2] = DECODE_AS.get(capture, []) + list(extra)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    streams = {}
    for line in out.splitlines():
        tok = line.split()
        if len(tok) < 17 or not re.fullmatch(r"0x[0-9A-F]{8}", tok[6]):
            continue
        problem = tok[-1] == "X"
        if problem:
            tok = tok[:-1]
        floats = [float(x) for x in tok[-6:]]
        pct = tok[-7]
        lost = int(tok[-8])
        pkts = int(tok[-9])
        payload = " ".join(tok[7:-9])
        assert pct.startswith("(") and pct.endswith("%)"), line
        key = f"{tok[2]}:{tok[3]}>{tok[4]}:{tok[5]}/{tok[6]}"
        streams[key] = {
            "start_rel": float(tok[0]), "end_rel": float(tok[1]),
            "payload": payload, "packets": pkts, "lost": lost, "problem": problem,
            "min_delta_ms": floats[0], "mean_delta_ms": floats[1], "max_delta_ms": floats[2],
            "min_jitter_ms": floats[3], "mean_jitter_ms": floats[4], "max_jitter_ms": floats[5],
        }
    return streams


def our_streams(cli, path):
    run = subprocess.run([cli, "rtp", "--json", path], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"exit status {run.returncode}: {run.stderr}")
    streams = {}
    for s in json.loads(run.stdout)["streams"]:
        key = f"{s['src']}>{s['dst']}/{s['ssrc']}"
        # tshark prints -1 (min) and 0 (mean, max) when nothing was measured
        for kind in ("delta", "jitter"):
            if s[f"min_{kind}_ms"] is None:
                s[f"min_{kind}_ms"] = -1.0
                s[f"mean_{kind}_ms"] = 0.0
                s[f"max_{kind}_ms"] = 0.0
        streams[key] = s
    return streams


def compare(ours, ref, known=None):
    """Returns (problems, explained) lists of strings."""
    problems, explained = [], []
    known = known or {}

    def report(key, field, text):
        if key in known.get("streams", []) and (field is None or field in known["fields"]):
            explained.append(f"{key} {field or ''}: {text}")
        else:
            problems.append(f"{key} {field or ''}: {text}")

    for key in sorted(set(ref) - set(ours)):
        report(key, None, f"only tshark finds it ({ref[key]['packets']} packets)")
    for key in sorted(set(ours) - set(ref)):
        report(key, None, f"only sipladder finds it ({ours[key]['packets']} packets)")
    for key in sorted(set(ours) & set(ref)):
        o, r = ours[key], ref[key]
        for field in ("packets", "lost", "payload", "problem"):
            if o[field] != r[field]:
                report(key, field, f"sipladder {o[field]!r}, tshark {r[field]!r}")
        for field in ("start_rel", "end_rel"):
            if abs(o[field] - r[field]) > TIME_TOLERANCE:
                report(key, field, f"sipladder {o[field]:.6f}, tshark {r[field]:.6f}")
        for kind in ("delta", "jitter"):
            for stat in ("min", "mean", "max"):
                field = f"{stat}_{kind}_ms"
                if abs(o[field] - r[field]) > MS_TOLERANCE:
                    report(key, field, f"sipladder {o[field]:.3f}, tshark {r[field]:.3f}")
    return problems, explained


def _frame(src_port, dst_port, payload, src="10.0.0.1", dst="10.0.0.2"):
    udp = struct.pack("!HHHH", src_port, dst_port, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     bytes(map(int, src.split("."))), bytes(map(int, dst.split("."))))
    words = struct.unpack("!10H", ip)
    total = sum(words)
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    ip = ip[:10] + struct.pack("!H", ~total & 0xFFFF) + ip[12:]
    return b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00" + ip + udp


def _invite(rng, i):
    media = rng.choice(["audio", "image"])
    port = rng.choice([5000, 5002, 40000])
    proto = rng.choice(["RTP/AVP", "RTP/AVP", "udptl"])
    enc96 = rng.choice(["opus/48000/2", "speex", "AMR-WB/16000", "L16/44100", "x/0"])
    body = ("v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
            f"m={media} {port} {proto} 0 96 101 111\r\na=rtpmap:96 {enc96}\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=rtpmap:111 opus/48000/2\r\n")
    return (f"INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK{i}\r\n"
            f"From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c{i}\r\nCSeq: 1 INVITE\r\n"
            f"Content-Type: application/sdp\r\nContent-Length: {len(body)}\r\n\r\n{body}"
            ).encode()


def write_random_capture(path, seed):
    """A synthetic capture for the differential test (see the usage)."""
    rng = random.Random(seed)
    streams = [dict(ssrc=rng.choice([1, 2, 3, 0xFFFFFFFF]), sp=rng.choice([4000, 4002, 30000, 53]),
                    dp=rng.choice([5000, 5002, 40000]), seq=rng.randrange(65536),
                    ts=rng.randrange(2**32), step=rng.choice([160, 320, 960, 882, 0]),
                    pt=rng.choice([0, 8, 9, 13, 18, 96, 97, 99, 100, 101, 111, 11, 6, 72, 77, 34]))
               for _ in range(12)]
    t = 100.0
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

        def add(frame):
            us = int(round(t * 1e6))
            f.write(struct.pack("<IIII", us // 1000000, us % 1000000, len(frame), len(frame)))
            f.write(frame)

        for i in range(6000):
            s = rng.choice(streams)
            r = rng.random()
            if r < 0.02:
                s["seq"] = (s["seq"] + rng.randrange(-5, 300)) & 0xFFFF
            elif r < 0.04:
                s["ts"] = (s["ts"] + rng.randrange(-100000, 2**32)) & 0xFFFFFFFF
            elif r < 0.06:
                s["pt"] = rng.choice([0, 8, 13, 96, 101, 111])
            s["seq"] = (s["seq"] + 1) & 0xFFFF
            s["ts"] = (s["ts"] + s["step"]) & 0xFFFFFFFF
            cc = rng.choice([0, 0, 0, 1, 2])
            ext, pad, marker = rng.random() < 0.1, rng.random() < 0.1, rng.random() < 0.05
            b = struct.pack("!BBHII", 0x80 | (0x20 if pad else 0) | (0x10 if ext else 0) | cc,
                            (0x80 if marker else 0) | s["pt"], s["seq"], s["ts"], s["ssrc"])
            b += b"".join(struct.pack("!I", rng.getrandbits(32)) for _ in range(cc))
            if ext:
                words = rng.choice([0, 1, 2])
                b += struct.pack("!HH", 0xBEDE, words) + bytes(4 * words)
            b += bytes(rng.choice([0, 1, 20, 160]))
            if pad:
                n = rng.choice([1, 3, 200])
                b += bytes(n - 1) + bytes([n])
            if rng.random() < 0.01:
                add(_frame(5060, 5060, _invite(rng, i), "10.0.0.9", "10.0.0.8"))
            add(_frame(s["sp"], s["dp"], b))
            t += rng.choice([0.0, 0.0005, 0.01, 0.02, 0.02, 0.02, -0.01, 0.3])


def check_random(cli, seeds):
    if shutil.which("tshark") is None:
        print("skip: tshark is not installed (tools/setup installs it)")
        return 77
    first, _, last = seeds.partition("-")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(int(first), int(last or first) + 1):
            path = os.path.join(tmp, f"random-{seed}.pcap")
            write_random_capture(path, seed)
            problems, _ = compare(our_streams(cli, path), tshark_streams(path, path))
            print(f"seed {seed}: {'ok' if not problems else 'FAIL'}")
            for p in problems:
                print(f"  FAIL: {p}")
            failed += bool(problems)
    return 1 if failed else 0


def main():
    cli, capture = sys.argv[1], sys.argv[2]
    if capture == "--random":
        return check_random(cli, sys.argv[3])
    shared = os.environ.get("SL_SHARED_DIR", "../shared")
    path = capture if os.path.isabs(capture) else os.path.join(shared, "captures", "public",
                                                                capture)
    if not os.path.isfile(path):
        print(f"skip: {path} is absent")
        return 77
    if shutil.which("tshark") is None:
        print("skip: tshark is not installed (tools/setup installs it)")
        return 77
    ref = tshark_streams(path, capture)
    try:
        ours = our_streams(cli, path)
    except RuntimeError as e:
        print(f"FAIL: {e}")
        return 1
    known = KNOWN.get(capture)
    problems, explained = compare(ours, ref, known)
    same = len(set(ours) & set(ref))
    print(f"{capture}: {len(ours)} streams, tshark {len(ref)}, {same} matched")
    for e in explained:
        print(f"  explained: {e}")
    if known:
        print(f"  why: {known['why']}")
        alt = tshark_streams(path, capture, known["tshark_args"])
        alt_problems, _ = compare(ours, alt)
        args = " ".join(known["tshark_args"])
        if alt_problems:
            problems += [f"even with tshark {args}: {p}" for p in alt_problems]
        else:
            print(f"  with tshark {args}: all {len(alt)} streams agree")
        if not explained:
            problems.append("a known difference is gone: update KNOWN")
    for p in problems:
        print(f"  FAIL: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
