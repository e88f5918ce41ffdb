#!/usr/bin/env python3
"""sipladder's HEP sender feeds sipladder's HEP listener, losslessly. A
sample is replayed with `capture FILE --hep-send 127.0.0.1:9060` (HEPv3
over UDP, capture id and key given) into
  1. `messages --hep-listen 127.0.0.1:9060 --duration S --json`: the
     messages received equal the file's (addresses, ports, times to the
     microsecond, Call-IDs, methods, every field but the frame number);
  2. `capture --hep-listen 127.0.0.1:9060 -w out.pcap --count N`: the
     pcap written holds the inner packets as HEP carried them, and
     `messages` on it equals `messages` on the sample.
The listener is listening (ss) before anything is sent. Everything runs on
the loopback of a network namespace of our own. TAP output.

Usage: hep-loop.py CLI SAMPLES_DIR [SAMPLE]
"""
import json
import os
import re
import signal
import struct
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib as L  # noqa: E402

CLI, SAMPLES = sys.argv[1:3]
SAMPLE = os.path.join(SAMPLES, sys.argv[3] if len(sys.argv) > 3 else "flow4-b2bua.pcap")
ADDR = "127.0.0.1:9060"
DURATION = 5        # round 1: the replay takes well under a second
# the file and frame number name where a message was read, not what it is
WHERE = ("file", "frame")


def messages(path):
    r = subprocess.run([CLI, "messages", "--json", path], capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr
    return json.loads(r.stdout)["messages"], r.stderr


def main():
    L.require_root_and_netns()
    L.require_programs("ss")
    L.plan(10)
    w = L.work_dir("hep-loop")
    ns = L.netns("l")
    want, err = messages(SAMPLE)
    if want is None:
        L.bail(f"messages {SAMPLE}: {err}")

    def replay():
        return subprocess.run(L.in_ns(ns, CLI, "capture", SAMPLE, "--hep-send", ADDR,
                                      "--hep-id", "2001", "--hep-key", "sipladder-test"),
                              capture_output=True, text=True, timeout=60)

    # ---- 1. messages --hep-listen
    lis = L.start("messages --hep-listen", L.in_ns(
        ns, CLI, "messages", "--json", "--hep-listen", ADDR, "--duration", str(DURATION)),
        f"{w}/listen.err", stdout=f"{w}/listen.json")
    L.wait_listening(ns, "udp", ADDR, proc=lis)
    r = replay()
    sent = f"{len(want)} SIP messages sent as HEP (0 failed)"
    L.ok(r.returncode == 0 and sent in r.stderr,
         f"capture {os.path.basename(SAMPLE)} --hep-send exits 0: {sent}",
         f"exit {r.returncode}: {r.stderr}")
    rc = L.wait(lis, DURATION + 30)
    L.ok(rc == 0, f"messages --hep-listen --duration {DURATION} ends by itself, exit 0",
         lambda: f"exit {rc}: {L.tail(lis[2])}")
    got = L.read_json(f"{w}/listen.json", "messages") or []
    L.diag(f"{len(want)} SIP messages in {os.path.basename(SAMPLE)}, {len(got)} received")
    L.ok(len(got) == len(want), f"all {len(want)} messages arrived",
         lambda: f"{len(got)} arrived")
    d = L.first_difference(L.strip_keys(got, WHERE), L.strip_keys(want, WHERE))
    L.ok(d is None, "they equal the file's messages (addresses, ports, times to the "
         "microsecond, Call-IDs, methods, lengths)", d)
    e = open(lis[2], errors="replace").read()
    counts = re.search(r"(\d+) packets, (\d+) malformed HEP dropped", e)
    L.ok(counts and int(counts.group(1)) == len(want) and counts.group(2) == "0",
         "the listener counts one HEP packet a message and none malformed", e)

    # ---- 2. capture --hep-listen -w
    out = f"{w}/out.pcap"
    cap = L.start("capture --hep-listen", L.in_ns(
        ns, CLI, "capture", "--hep-listen", ADDR, "-w", out, "--count", str(len(want)),
        "--duration", "40"), f"{w}/capture.err", stdout=f"{w}/capture.out")
    L.wait_listening(ns, "udp", ADDR, proc=cap)
    r = replay()
    rc = L.wait(cap, 45)
    L.ok(r.returncode == 0 and rc == 0,
         f"capture --hep-listen -w --count {len(want)} ends by itself, exit 0",
         lambda: f"sender exit {r.returncode}: {r.stderr}\nlistener exit {rc}: "
                 + L.tail(cap[2]))
    linktype = None
    if os.path.exists(out):
        with open(out, "rb") as f:
            head = f.read(24)
        if len(head) == 24:
            order = "<" if head[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
            linktype = struct.unpack(order + "I", head[20:24])[0]
    L.ok(linktype in (12, 101), "out.pcap is a pcap of raw IP packets (DLT_RAW)",
         f"link type {linktype}")
    wrote, err = messages(out) if os.path.exists(out) else (None, "no out.pcap")
    L.ok(wrote is not None and len(wrote) == len(want),
         f"messages on out.pcap finds the {len(want)} messages", err)
    d = (L.first_difference(L.strip_keys(wrote, WHERE), L.strip_keys(want, WHERE))
         if wrote is not None else "no messages")
    L.ok(d is None, "they equal the sample's messages, times to the microsecond", d)
    L.ok(wrote is not None and [m["frame"] for m in wrote] == list(range(1, len(want) + 1)),
         "out.pcap holds the SIP messages alone, one frame each",
         lambda: [m["frame"] for m in wrote or []])
    if cap[0].poll() is None:
        L.stop(cap, signal.SIGINT)
    L.finish()


if __name__ == "__main__":
    main()
