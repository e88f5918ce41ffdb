#!/usr/bin/env python3
"""Compare `sipladder-cli messages` on one public capture with Wireshark.

Usage: check-capture.py CLI CAPTURE   (CAPTURE relative to captures/public)

The reference is the SIP column of ../shared/captures/public/INDEX.md
(frames that tshark 4.0 dissects as SIP). When tshark is installed the
frame numbers themselves are compared too. Every known difference is
listed below with the frames involved; anything else fails. Exits 77
(skip) when the shared folder is absent.
"""
import shutil
import subprocess
import sys

from public_index import prepare

# Differences we keep on purpose: capture -> (description, check)
# A check receives (our frame set, our messages) and returns an error
# string or None.


def icmp_quotes(frames):
    def check(ours, msgs):
        hit = sorted(set(frames) & ours)
        return f"frames {hit} are ICMP errors quoting SIP" if hit else None
    return check


def extra_malformed(extra):
    def check(ours, msgs):
        for f in extra:
            at = [m for m in msgs if m["frame"] == f]
            if not at:
                return f"frame {f}: expected a malformed message, found none"
            if any(m["error"] is None for m in at):
                return f"frame {f}: expected it flagged malformed"
        return None
    return check


def hep_inside(frames):
    def check(ours, msgs):
        if sorted(ours) != frames:
            return f"SIP found in frames {sorted(ours)}, expected the HEP frames {frames}"
        return None
    return check


KNOWN = {
    "hep-wireshark/hep.pcap": (
        +6,
        [1, 2, 3, 4, 6, 7],
        "tshark 4.0 has no HEP dissector; sipladder decapsulates the HEPv3 "
        "packets sent to the collector and finds the 6 SIP messages that "
        "INDEX.md counts by hand (frame 5 is a log chunk, frame 8 another "
        "payload type)",
        hep_inside([1, 2, 3, 4, 6, 7]),
    ),
    "hep-wireshark/hep3_compressed.pcap.pcapng": (
        +21,
        list(range(1, 22)),
        "tshark 4.0 has no HEP dissector; sipladder inflates the compressed "
        "HEPv3 payloads and finds the 21 SIP messages (over TCP) that INDEX.md "
        "counts by hand",
        hep_inside(list(range(1, 22))),
    ),
    "goffinet-sip_captures/private-test-sip.pcapng": (
        -3,
        [2, 150, 152],
        "tshark also dissects the SIP message quoted inside ICMP Destination "
        "Unreachable errors (frames 2, 150, 152); those are copies of a "
        "message sent earlier, not messages on the wire, so sipladder does "
        "not list them",
        icmp_quotes([2, 150, 152]),
    ),
    "ndpi/fuzz-2006-06-26-2594.pcap": (
        +11,
        [108, 154, 181, 223, 228, 274, 346, 348, 441, 558, 560],
        "a fuzzed capture: tshark's heuristics reject 11 mangled SIP messages "
        "(NUL bytes in the status line, 'SIP/2.0/U%s' in Via, bad status "
        "codes...) that sipladder lists as SIP flagged malformed",
        extra_malformed([108, 154, 181, 223, 228, 274, 346, 348, 441, 558, 560]),
    ),
}

# tshark needs a port hint where SIP runs on a port it gives to another
# protocol (INDEX.md, note *).
DECODE_AS = {
    "heplify/sip_ipv4_tcp_fragmented.pcap": ["-d", "tcp.port==6060,sip"],
}



def tshark_frames(path, capture):
    if shutil.which("tshark") is None:
        return None
    cmd = ["tshark", "-n", "-r", path, "-Y", "sip", "-T", "fields", "-e", "frame.number"]
    cmd[2:2] = DECODE_AS.get(capture, [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return {int(x) for x in out.split()}


def main():
    cli, capture = sys.argv[1], sys.argv[2]
    started = prepare(cli, capture, "SIP", ["messages"], "messages")
    if isinstance(started, int):
        return started
    path, want, msgs = started
    ours = {m["frame"] for m in msgs}
    delta, frames, why, check = KNOWN.get(capture, (0, [], None, None))
    ok = True
    if len(ours) != want + delta:
        print(f"FAIL: {len(ours)} SIP frames, INDEX.md says {want}"
              + (f" and {delta:+d} are explained ({why})" if why else ""))
        ok = False
    if check:
        err = check(ours, msgs)
        if err:
            print(f"FAIL: {err}")
            ok = False
    ref = tshark_frames(path, capture)
    if ref is not None:
        only_tshark = sorted(ref - ours - (set(frames) if delta < 0 else set()))
        only_ours = sorted(ours - ref - (set(frames) if delta > 0 else set()))
        if only_tshark or only_ours:
            print(f"FAIL: frames only tshark finds: {only_tshark[:20]}; "
                  f"only sipladder finds: {only_ours[:20]}")
            ok = False
    print(f"{capture}: {len(ours)} SIP frames, {len(msgs)} messages; INDEX.md {want}"
          + (f"; tshark frame sets compared" if ref is not None else "; tshark absent")
          + (f"; explained: {why}" if why else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
