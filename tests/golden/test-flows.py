#!/usr/bin/env python3
"""The four reference call flows of SCENARIOS.md, checked field by field
on the bundled samples (TAP). Addresses are those of samples/README.md:
10.0.0.10 caller (GW-A, UAC, Phone), .20 Proxy / Proxy-A / B2BUA,
.30 Redirect, .40 Proxy-B + Registrar, .50 GW-B.

Usage: test-flows.py CLI SAMPLES_DIR
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

import tap
from tap import case

CLI, SAMPLES = sys.argv[1], sys.argv[2]
A, P, R, PB, B = ("10.0.0.%d:5060" % n for n in (10, 20, 30, 40, 50))


def cli_json(*args):
    r = subprocess.run([CLI, *args], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def calls(sample):
    return cli_json("calls", "--json", os.path.join(SAMPLES, sample))["calls"]


def call_msgs(sample, cid):
    return cli_json("call", "--json", "--call", str(cid), os.path.join(SAMPLES, sample))["messages"]


def only_call(sample):
    cs = [c for c in calls(sample) if c["kind"] == "call"]
    assert len(cs) == 1, [c["call_ids"] for c in cs]
    return cs[0]


def arrows(msgs):
    return [(m["src"], m["dst"], m["summary"].split()[0]) for m in msgs]


@case
def flow1_direct():
    c = only_call("flow1-direct.pcap")
    assert c["state"] == "completed" and c["hangup_by"] == "caller", c
    assert len(c["legs"]) == 1 and c["legs"][0]["linked_by"] == "same-call-id"
    assert c["endpoints"] == [A, B], c["endpoints"]
    assert c["retransmissions"] == 0 and c["duplicates"] == 0
    assert 150 <= c["pdd_ms"] <= 300 and 1100 <= c["setup_ms"] <= 1400, c
    assert 2.5 < c["duration_s"] < 3.5, c
    streams = cli_json("rtp", "--json", os.path.join(SAMPLES, "flow1-direct.pcap"))["streams"]
    assert [(x["found_by"], x["ndpi"], x["call"]) for x in streams] == [("sdp", "RTP", c["id"])] * 2
    got = arrows(call_msgs("flow1-direct.pcap", c["id"]))
    assert got == [(A, B, "INVITE"), (B, A, "100"), (B, A, "180"), (B, A, "200"),
                   (A, B, "ACK"), (A, B, "BYE"), (B, A, "200")], got


@case
def flow2_proxy_without_record_route():
    c = only_call("flow2-proxy.pcap")
    assert c["endpoints"] == [A, P, B], c["endpoints"]
    assert len(c["call_ids"]) == 1 and c["state"] == "completed"
    assert c["hops"] == 2 and c["retransmissions"] == 0, c
    msgs = call_msgs("flow2-proxy.pcap", c["id"])
    invites = [m for m in msgs if m["summary"].startswith("INVITE")]
    assert [(m["src"], m["dst"], m["hop"]) for m in invites] == [(A, P, 0), (P, B, 1)], invites
    assert all(m["role"] == "original" for m in msgs)
    # ACK and BYE skip the proxy
    for m in msgs:
        if m["summary"].split()[0] in ("ACK", "BYE"):
            assert (m["src"], m["dst"]) == (A, B), m
    oks = [(m["src"], m["dst"], m["hop"]) for m in msgs if m["summary"].startswith("200")]
    assert oks == [(B, P, 1), (P, A, 0), (B, A, 0)], oks


def flow3(sample, record_route):
    entries = calls(sample)
    regs = [c for c in entries if c["kind"] == "registration"]
    assert len(regs) == 1 and regs[0]["result"] == 200, regs
    assert regs[0]["endpoints"] == [B, PB]
    c = only_call(sample)
    assert c["endpoints"] == [A, P, R, PB, B], c["endpoints"]
    assert c["state"] == "completed" and len(c["legs"]) == 1
    assert c["hops"] == 4, c  # UAC->A, A->Redirect, A->B, B->GW-B
    msgs = call_msgs(sample, c["id"])
    red = [m for m in msgs if m["summary"].startswith("302")]
    assert [(m["src"], m["dst"], m["hop"]) for m in red] == [(R, P, 1)], red
    acks = [(m["src"], m["dst"]) for m in msgs if m["summary"].startswith("ACK")]
    if record_route:
        assert acks == [(P, R), (A, P), (P, PB), (PB, B)], acks
    else:
        assert acks == [(P, R), (A, B)], acks
    # the 302 is not the call's outcome: the caller's first hop decides
    assert c["setup_ms"] is not None and c["hangup_by"] == "caller"


@case
def flow3_redirect_record_route():
    flow3("flow3-redirect.pcap", True)


@case
def flow3_redirect_no_record_route():
    flow3("flow3-redirect-norr.pcap", False)


@case
def flow4_b2bua_linked_by_media():
    c = only_call("flow4-b2bua.pcap")
    assert len(c["call_ids"]) == 2, c["call_ids"]
    legs = c["legs"]
    assert legs[0]["linked_by"] == "same-call-id"
    assert legs[1]["linked_by"] == "media", legs
    assert legs[1]["linked_to"] == legs[0]["call_id"]
    assert c["endpoints"] == [A, P, B], c["endpoints"]
    assert c["state"] == "completed" and c["hangup_by"] == "callee", c
    msgs = call_msgs("flow4-b2bua.pcap", c["id"])
    first_bye = next(m for m in msgs if m["summary"].startswith("BYE"))
    assert (first_bye["src"], first_bye["dst"], first_bye["leg"]) == (B, P, 2), first_bye
    assert {m["leg"] for m in msgs if m["src"] == A or m["dst"] == A} == {1}
    assert {m["leg"] for m in msgs if m["src"] == B or m["dst"] == B} == {2}
    # the media: two streams of the one call, between the phone and the
    # gateway (not the B2BUA), G.729 as negotiated
    assert c["streams"] == 2 and c["mos_worst"] is not None, c
    streams = cli_json("rtp", "--json", os.path.join(SAMPLES, "flow4-b2bua.pcap"))["streams"]
    ends = sorted((s["src"].split(":")[0], s["dst"].split(":")[0]) for s in streams)
    assert ends == [("10.0.0.10", "10.0.0.50"), ("10.0.0.50", "10.0.0.10")], ends
    assert all(s["call"] == c["id"] and s["codec"] == "G729" for s in streams), streams
    assert all(3.5 < s["mos"] < 4.2 for s in streams), [s["mos"] for s in streams]


@case
def flow4_b2bua_linked_by_x_call_id():
    c = only_call("flow4-b2bua-xcallid.pcap")
    legs = c["legs"]
    assert len(legs) == 2 and legs[1]["linked_by"] == "header", legs
    assert legs[1]["header"] == "X-Call-ID" and legs[1]["linked_to"] == legs[0]["call_id"]
    assert c["endpoints"] == [A, P, B] and c["hangup_by"] == "callee", c


@case
def failed_calls():
    cs = [c for c in calls("failures.pcap") if c["kind"] == "call"]
    got = [(c["callee"], c["state"], c["state_code"], c["hangup_by"]) for c in cs]
    assert got == [("15551230002", "busy", 486, None),
                   ("15559990000", "rejected", 404, None),
                   ("15551230003", "cancelled", 487, "caller"),
                   ("15551240004", "completed", None, "caller")], got
    # the challenged call: 407, then the retry answered; one INVITE per try
    auth = cs[3]
    msgs = call_msgs("failures.pcap", auth["id"])
    codes = [m["summary"].split()[0] for m in msgs if m["hop"] == 0 and m["src"] == P]
    assert codes[0] == "407" and "200" in codes, codes
    assert auth["setup_ms"] is not None and auth["duration_s"] > 2


@case
def two_capture_points_give_duplicates():
    c = only_call("flow2-two-points.pcap")
    assert c["messages"] == 14 and c["duplicates"] == 3 and c["retransmissions"] == 0, c
    msgs = call_msgs("flow2-two-points.pcap", c["id"])
    dups = [m["summary"].split()[0] for m in msgs if m["role"] == "duplicate"]
    assert dups == ["ACK", "BYE", "200"], dups
    assert c["endpoints"] == [A, P, B]


@case
def files_out_of_time_order_link_nothing_new():
    # the failures (14:07:39 on) given before flows 3 and 4 (14:07:08 on):
    # read in time order, every sample's calls keep the legs they have
    # alone, and the output does not depend on the order given
    names = ["failures.pcap", "flow3-redirect.pcap", "flow4-b2bua.pcap"]
    alone = sorted(sorted(c["call_ids"]) for n in names for c in calls(n))
    together = cli_json("calls", "--json", *[os.path.join(SAMPLES, n) for n in names])["calls"]
    assert sorted(sorted(c["call_ids"]) for c in together) == alone, together
    assert [c["start"] for c in together] == sorted(c["start"] for c in together)
    for order in (names[1:] + names[:1], names[::-1]):
        got = cli_json("calls", "--json", *[os.path.join(SAMPLES, n) for n in order])["calls"]
        assert got == together, order


def pcap_records(path):
    """The global header and the records (header and data) of a classic pcap."""
    data = open(path, "rb").read()
    end = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    recs, off = [], 24
    while off + 16 <= len(data):
        (incl,) = struct.unpack(end + "I", data[off + 8:off + 12])
        recs.append(data[off:off + 16 + incl])
        off += 16 + incl
    assert off == len(data), path
    return data[:24], recs


def split(sample, tmp, parts):
    """Writes the frames of @sample into files, frame k into parts(k, n)."""
    head, recs = pcap_records(os.path.join(SAMPLES, sample))
    outs = {}
    for k, r in enumerate(recs):
        outs.setdefault(parts(k, len(recs)), []).append(r)
    paths = []
    for key in sorted(outs):
        p = os.path.join(tmp, "%s.%d.pcap" % (sample, key))
        with open(p, "wb") as f:
            f.write(head + b"".join(outs[key]))
        paths.append(p)
    return paths


def renumbered(doc):
    """@doc without what names a file or a frame in it (they differ when the
    same frames come from several files)."""
    if isinstance(doc, dict):
        return {k: renumbered(v) for k, v in doc.items()
                if k not in ("file", "frame", "first_frame", "last_frame", "max_delta_frame")}
    if isinstance(doc, list):
        return [renumbered(v) for v in doc]
    if isinstance(doc, str):
        return re.sub(r"frame \d+", "frame N", doc)
    return doc


def same_as_one_capture(sample, paths):
    whole = os.path.join(SAMPLES, sample)
    for cmd in ("messages", "calls", "rtp"):
        one = cli_json(cmd, "--json", whole)
        several = cli_json(cmd, "--json", *paths)
        assert renumbered(several) == renumbered(one), (cmd, sample, paths)
    return cli_json("rtp", "--json", *paths)


@case
def files_are_merged_by_time():
    # every other frame in a second file: read together, the two are one
    # capture again: the same messages in the same order, the same calls,
    # and RTP streams with the same packets, loss and jitter (the TCP
    # sample's messages span segments of both files)
    for sample in ("flow4-b2bua-xcallid.pcap", "flow2-two-points.pcap", "failures.pcap",
                   "ways-tcp.pcap"):
        with tempfile.TemporaryDirectory() as tmp:
            paths = split(sample, tmp, lambda k, n: k % 2)
            rtp = same_as_one_capture(sample, paths)
            # a stream is listed under the file of its first packet
            assert all(s["file"] in paths for s in rtp["streams"]), rtp


@case
def ring_buffer_files_continue():
    # a capture cut in three (as a ring buffer writes it), given in any
    # order: calls and RTP streams go on from one file to the next
    for sample in ("flow1-direct.pcap", "flow4-b2bua.pcap"):
        with tempfile.TemporaryDirectory() as tmp:
            paths = split(sample, tmp, lambda k, n: 3 * k // n)
            assert len(paths) == 3
            same_as_one_capture(sample, paths[::-1])
            same_as_one_capture(sample, paths[1:] + paths[:1])


if __name__ == "__main__":
    sys.exit(tap.run())
