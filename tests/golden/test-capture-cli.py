#!/usr/bin/env python3
"""TAP tests of `sipladder-cli capture` on files (the live sources have
their own suite, tests/live): calls printed once each as they complete,
-w and --rotate, JSON lines, and memory kept bounded by evicting finished
calls on a long capture made here from a sample.

Usage: test-capture-cli.py CLI SAMPLES_DIR
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

cli, samples = sys.argv[1], sys.argv[2]
results = []


def case(name, ok, detail=""):
    results.append((name, ok, detail))


def run(*args):
    r = subprocess.run([cli, *args], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def sample(name):
    return os.path.join(samples, name + ".pcap")


def long_capture(path, copies, spacing):
    """@copies of flow1-direct, @spacing seconds apart, each with its own
    Call-ID, tags and branches (SIPp numbers them after its pid, 7495: the
    copies get 0000, 0001..., the same length, so no length field
    changes)."""
    with open(sample("flow1-direct"), "rb") as f:
        data = f.read()
    head, body = data[:24], data[24:]
    magic = struct.unpack("<I", head[:4])[0]
    assert magic in (0xA1B2C3D4, 0xA1B23C4D), "a little-endian pcap"
    records = []
    off = 0
    while off + 16 <= len(body):
        sec, frac, incl, orig = struct.unpack("<IIII", body[off:off + 16])
        records.append((sec, frac, orig, body[off + 16:off + 16 + incl]))
        off += 16 + incl
    out = bytearray(head)
    for i in range(copies):
        tag = b"%04d" % i
        for sec, frac, orig, pkt in records:
            pkt = pkt.replace(b"7495", tag)
            out += struct.pack("<IIII", sec + i * spacing, frac, len(pkt), orig) + pkt
    with open(path, "wb") as f:
        f.write(out)


with tempfile.TemporaryDirectory() as tmp:
    # every call of the file printed once, with its final state
    rc, out, err = run("capture", "--json", sample("failures"))
    lines = [json.loads(x) for x in out.splitlines()]
    states = sorted(x["state"] for x in lines if x["kind"] == "call")
    case("capture prints each call once with its state (JSON lines)",
         rc == 0 and states == ["busy", "cancelled", "completed", "rejected"], states)
    rc, out, err = run("capture", "--json", sample("flow3-redirect"))
    kinds = sorted(json.loads(x)["kind"] for x in out.splitlines())
    case("capture prints registrations too", rc == 0 and kinds == ["call", "registration"], kinds)

    # -w writes what was read; the file gives the same messages
    w = os.path.join(tmp, "w.pcap")
    rc, _, err = run("capture", sample("flow4-b2bua"), "-w", w)
    _, a, _ = run("messages", "--json", sample("flow4-b2bua"))
    _, b, _ = run("messages", "--json", w)
    ma = [(m["frame"], m["time"], m["src"], m["dst"], m["call_id"]) for m in json.loads(a)["messages"]]
    mb = [(m["frame"], m["time"], m["src"], m["dst"], m["call_id"]) for m in json.loads(b)["messages"]]
    case("-w writes every frame: the same messages, frames and times", rc == 0 and ma == mb
         and len(ma) == 14, f"{len(ma)} vs {len(mb)}")

    # --rotate by size: several files, together every frame once
    r = os.path.join(tmp, "r.pcap")
    rc, _, err = run("capture", sample("flow4-b2bua"), "-w", r, "--rotate", "20k")
    parts = sorted(f for f in os.listdir(tmp) if f.startswith("r-") and f.endswith(".pcap"))
    sizes = [os.path.getsize(os.path.join(tmp, p)) for p in parts]
    total = 0
    for p in parts:
        _, o, _ = run("messages", "--json", os.path.join(tmp, p))
        total += len(json.loads(o)["messages"])
    case("--rotate 20k splits into files of at most 20 kB holding every message",
         rc == 0 and len(parts) >= 2 and max(sizes) <= 20000 and total == 14,
         f"{parts} {sizes} {total}")
    # --rotate by time
    t = os.path.join(tmp, "t.pcap")
    rc, _, err = run("capture", sample("flow4-b2bua"), "-w", t, "--rotate", "1s")
    tparts = [f for f in os.listdir(tmp) if f.startswith("t-")]
    case("--rotate 1s: a file per second of capture time", rc == 0 and 4 <= len(tparts) <= 6,
         tparts)

    # a long capture: finished calls beyond --max-calls leave memory, each
    # printed once
    longp = os.path.join(tmp, "long.pcap")
    long_capture(longp, 30, 120)
    rc, out, err = run("capture", "--json", "--max-calls", "3", longp)
    lines = [json.loads(x) for x in out.splitlines()]
    ids = [x["call_id"] for x in lines]
    evicted = int(err.split(" evicted")[0].rsplit(" ", 1)[1]) if " evicted" in err else -1
    case("30 calls, --max-calls 3: each printed once, completed",
         rc == 0 and len(ids) == 30 and len(set(ids)) == 30
         and all(x["state"] == "completed" for x in lines), f"{len(ids)} {err}")
    case("... and most of them evicted from memory on the way", evicted >= 20, err.strip())
    rc, out, err = run("capture", "--json", "--max-calls", "0", longp)
    case("--max-calls 0 keeps them all", rc == 0 and " 0 evicted" in err
         and len(out.splitlines()) == 30, err.strip())

    # usage errors
    case("--rotate without -w: exit 2", run("capture", "--rotate", "1M", sample("failures"))[0] == 2)
    case("bad --rotate: exit 2", run("capture", "-w", w, "--rotate", "lots", sample("failures"))[0] == 2)
    case("no input: exit 2", run("capture")[0] == 2)
    case("files and -i: exit 2", run("capture", "-i", "lo", sample("failures"))[0] == 2)
    rc, _, err = run("capture", "--hep-send", "nowhere", sample("failures"))
    case("bad --hep-send: exit 2 naming it", rc == 2 and "nowhere" in err, err)
    rc, _, err = run("capture", sample("failures"), "-w", os.path.join(tmp, "no", "x.pcap"))
    case("unwritable -w: exit 1 naming the file", rc == 1 and "x.pcap" in err, err)

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok and detail:
        print("# " + str(detail).replace("\n", "\n# "))
