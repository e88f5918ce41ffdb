#!/usr/bin/env python3
"""Checks the SVG ladder of a sample against what the CLI says of its call.

Usage: check-ladder.py CLI SAMPLE CALL_ID

The SVG must pass `xmllint --noout` and render with librsvg
(`rsvg-convert`) at its own size, and read back from its structure
(docs/ladder.md) it must hold:
  - one <g class="endpoint"> per endpoint of the call (`calls --json`), in
    that order;
  - one <g class="message" data-frame="N"> per message of the call
    (`call --json`), in time order, each labelled with its method or status
    and reason, its arrow drawn from the sender's column to the
    receiver's;
  - one <g class="rtp" data-ssrc="0x..."> per RTP stream bound to the call
    (`rtp --json`), its arrow between the columns of its two endpoints;
  - one legend entry per leg, naming its Call-ID;
and the reference flow's own facts (flow 2: ACK and BYE skip the proxy;
flow 3: five columns and the 302; flow 4: both legs, RTP between phone and
gateway). Exit status 0 pass, 1 fail, 99 broken set-up.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run_json(cli, *args):
    out = subprocess.run([cli, *args], capture_output=True, text=True)
    if out.returncode != 0:
        print(f"FAIL: {' '.join(args)}: exit {out.returncode}: {out.stderr}")
        sys.exit(1)
    return json.loads(out.stdout)


def groups(root, cls):
    return [g for g in root.iter(SVG + "g") if g.get("class") == cls]


def texts(g):
    return ["".join(t.itertext()) for t in g.iter(SVG + "text")]


def first_line(g):
    """The first <line> of a group as (x1, x2)."""
    ln = next(g.iter(SVG + "line"))
    return float(ln.get("x1")), float(ln.get("x2"))


def polygon_tip(g):
    """The first point of the arrow head: where the arrow ends."""
    for p in g.iter(SVG + "polygon"):
        pts = p.get("points").split()
        if len(pts) == 3:
            return float(pts[0].split(",")[0])
    return None


def expected_label(m):
    words = m["summary"].split(" ")
    label = words[0] if not words[0].isdigit() else m["summary"]
    return label


def main():
    cli, sample, call_id = sys.argv[1:4]
    for tool, pkg in (("xmllint", "libxml2-utils"), ("rsvg-convert", "librsvg2-bin")):
        if not shutil.which(tool):
            print(f"{tool} is missing (Debian package {pkg}; tools/setup installs it)")
            return 99
    name = os.path.basename(sample).rsplit(".", 1)[0]
    with tempfile.TemporaryDirectory() as tmp:
        svg_path = os.path.join(tmp, "ladder.svg")
        run = subprocess.run([cli, "ladder", "--call", call_id, "-o", svg_path, sample],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL: ladder exit {run.returncode}: {run.stderr}")
            return 1
        lint = subprocess.run(["xmllint", "--noout", svg_path], capture_output=True, text=True)
        check(lint.returncode == 0, f"xmllint: {lint.stderr.strip()}")
        root = ET.parse(svg_path).getroot()
        # a real SVG renderer (librsvg) draws it at its size
        png_path = os.path.join(tmp, "ladder.png")
        rsvg = subprocess.run(["rsvg-convert", "-o", png_path, svg_path],
                              capture_output=True, text=True)
        check(rsvg.returncode == 0 and rsvg.stderr == "", f"rsvg-convert: {rsvg.stderr.strip()}")
        if rsvg.returncode == 0:
            with open(png_path, "rb") as f:
                head = f.read(24)
            size = (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big"))
            want = (int(float(root.get("width"))), int(float(root.get("height"))))
            check(size == want, f"rsvg-convert drew {size}, the SVG says {want}")

    call = next(c for c in run_json(cli, "calls", "--json", sample)["calls"]
                if str(c["id"]) == call_id)
    msgs = run_json(cli, "call", "--call", call_id, "--json", sample)["messages"]
    msgs.sort(key=lambda m: (m["time"], m["frame"]))
    streams = [s for s in run_json(cli, "rtp", "--json", sample)["streams"]
               if s.get("call") == call["id"]]

    # columns: the call's endpoints first, in order; then media-only ones
    endpoints = groups(root, "endpoint")
    addrs = [g.get("data-address") for g in endpoints]
    check(addrs[:len(call["endpoints"])] == call["endpoints"],
          f"columns {addrs} do not start with the call's endpoints {call['endpoints']}")
    col_x = {}
    for g in endpoints:
        t = next(g.iter(SVG + "text"))
        col_x[g.get("data-address")] = float(t.get("x"))

    def column_of(addr):
        if addr in col_x:
            return addr
        ip = addr.rsplit(":", 1)[0]
        return next((a for a in addrs if a.rsplit(":", 1)[0] == ip), None)

    # messages, in order, labelled, between the right columns
    arrows = groups(root, "message")
    frames = [int(g.get("data-frame")) for g in arrows]
    check(frames == [m["frame"] for m in msgs],
          f"message frames {frames} != the call's {[m['frame'] for m in msgs]}")
    for g, m in zip(arrows, msgs):
        t = texts(g)
        label = t[2] if len(t) > 2 else ""
        want = expected_label(m)
        if m["role"] != "original":
            check(label.startswith(want + " ("),
                  f"frame {m['frame']}: label {label!r}, want {want!r} marked as a copy")
        else:
            check(label == want, f"frame {m['frame']}: label {label!r}, want {want!r}")
        title = g.find(SVG + "title")
        first = m["summary"] if label[0].isdigit() else m["summary"].split(" ")[0]
        if label[0].isdigit():
            first = "SIP/2.0 " + first
        check(title is not None and title.text.split("\n")[0].startswith(first),
              f"frame {m['frame']}: tooltip does not start with the message's first line")
        x1, _ = first_line(g)
        tip = polygon_tip(g)
        src, dst = column_of(m["src"]), column_of(m["dst"])
        if src == dst:
            continue
        check(abs(x1 - col_x[src]) < 0.5, f"frame {m['frame']}: arrow starts at {x1}, "
              f"not at {m['src']} ({col_x[src]})")
        check(tip is not None and abs(tip - col_x[dst]) < 0.5,
              f"frame {m['frame']}: arrow ends at {tip}, not at {m['dst']} ({col_x[dst]})")

    # RTP bands between their endpoints' columns
    bands = groups(root, "rtp")
    check(sorted(g.get("data-ssrc") for g in bands) == sorted(s["ssrc"] for s in streams),
          f"rtp bands {[g.get('data-ssrc') for g in bands]} != streams "
          f"{[s['ssrc'] for s in streams]}")
    band_cols = []
    for g in bands:
        title = g.find(SVG + "title").text
        src, dst = title.split("\n")[1].split(" ")[2], title.split("\n")[1].split(" ")[4]
        x1, _ = first_line(g)
        tip = polygon_tip(g)
        band_cols.append((column_of(src), column_of(dst)))
        check(abs(x1 - col_x[column_of(src)]) < 0.5 and abs(tip - col_x[column_of(dst)]) < 0.5,
              f"rtp {g.get('data-ssrc')} not drawn from {src} to {dst}")

    # legend: one entry per leg with its Call-ID
    legs = groups(root, "leg")
    check([g.get("data-call-id") for g in legs] == [leg["call_id"] for leg in call["legs"]],
          f"legend {[g.get('data-call-id') for g in legs]} != legs {call['legs']}")

    # the reference flows (../shared/SCENARIOS.md)
    labels = [texts(g)[2] for g in arrows]
    pairs = [(column_of(m["src"]), column_of(m["dst"])) for m in msgs]
    if name.startswith("flow2-proxy"):
        for m, pair, label in zip(msgs, pairs, labels):
            if label in ("ACK", "BYE"):
                check(pair == (addrs[0], addrs[2]) or pair == (addrs[2], addrs[0]),
                      f"flow 2: {label} does not skip the proxy column: {pair}")
    if name.startswith("flow3"):
        check(len(call["endpoints"]) == 5, f"flow 3: {len(call['endpoints'])} columns, want 5")
        check("302 Moved Temporarily" in labels, "flow 3: no 302 arrow")
    if name == "flow4-b2bua":  # the -xcallid twin anchors media at the B2BUA
        check(len(legs) == 2, f"flow 4: {len(legs)} legs in the legend, want 2")
        check(len(bands) == 2, f"flow 4: {len(bands)} RTP bands, want 2")
        for pair in band_cols:
            check(set(pair) == {"10.0.0.10:5060", "10.0.0.50:5060"},
                  f"flow 4: RTP drawn between {pair}, not phone and gateway")

    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print(f"{name}: {len(endpoints)} columns, {len(arrows)} messages, {len(bands)} RTP bands, "
          f"{len(legs)} legs as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
