#!/usr/bin/env python3
"""TAP tests of `sipladder-cli ladder`'s options over the bundled samples.

Usage: test-ladder-cli.py CLI SAMPLES_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

cli, samples = sys.argv[1], sys.argv[2]
results = []


def run(*args):
    return subprocess.run([cli, "ladder", *args], capture_output=True)


def case(name, ok, detail=""):
    results.append((name, ok, detail))


def sample(name):
    return os.path.join(samples, name + ".pcap")


def text(*args):
    r = run(*args)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


with tempfile.TemporaryDirectory() as tmp:
    # default: the first call, as text on standard output
    rc, out, _ = text(sample("flow3-redirect"))
    case("default is the first call as text", rc == 0 and out.startswith("Call 2: ")
         and "302 Moved Temporarily" in out, out[:80])

    # --call-id picks the call that has a leg with that Call-ID (the B2BUA's
    # outgoing leg gives the whole call)
    rc, out, _ = text("--call-id", "b2b-8516-1@10.0.0.20", sample("flow4-b2bua"))
    case("--call-id selects the call of a B2BUA leg",
         rc == 0 and "leg 1: Call-ID 1-8534@10.0.0.10" in out and "leg 2: Call-ID b2b-8516-1" in out)
    rc, _, err = text("--call-id", "nope", sample("flow4-b2bua"))
    case("--call-id unknown: exit 1 with a message", rc == 1 and "no call has Call-ID" in err, err)
    rc, _, err = text("--call", "99", sample("flow1-direct"))
    case("--call unknown: exit 1", rc == 1 and "no call 99" in err, err)

    # --all: the registration and the call of flow 3 in one ladder
    rc, out, _ = text("--all", sample("flow3-redirect"))
    case("--all shows every entry", rc == 0 and "REGISTER" in out and "302 Moved" in out)

    # aliases name columns; --merge-ip folds the ports of one address
    rc, out, _ = text("--alias", "10.0.0.20=Proxy-A", "--alias", "10.0.0.50:5060=GW-B",
                      sample("flow2-proxy"))
    head = out.splitlines()[2] if rc == 0 else ""
    case("--alias names columns", "Proxy-A" in head and "GW-B" in head, head)
    aliases = os.path.join(tmp, "aliases")
    with open(aliases, "w") as f:
        f.write("# lab\n10.0.0.10 Phone\n")
    rc, out, _ = text("--aliases", aliases, sample("flow2-proxy"))
    case("--aliases reads a file", rc == 0 and "Phone" in out.splitlines()[2])
    rc, _, err = text("--alias", "bogus", sample("flow2-proxy"))
    case("bad --alias: exit 2", rc == 2 and "ADDR=NAME" in err, err)
    rc, out, _ = text("--merge-ip", sample("flow1-direct"))
    case("--merge-ip gives address columns", rc == 0 and
         re.search(r"^\s+10\.0\.0\.10\s+10\.0\.0\.50\s*$", out, re.M) is not None, out[:300])

    # formats: from the name, or --format; PNG/PDF need a file
    svg = os.path.join(tmp, "x.svg")
    r = run(sample("flow1-direct"), "-o", svg)
    case("-o x.svg writes SVG", r.returncode == 0 and open(svg, "rb").read(5) == b"<?xml")
    r = run("--format", "svg", sample("flow1-direct"))
    case("--format svg to standard output", r.returncode == 0 and b"<svg" in r.stdout[:300])
    png = os.path.join(tmp, "x.png")
    r = run(sample("flow1-direct"), "-o", png)
    case("-o x.png writes PNG", r.returncode == 0 and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n")
    w1 = int.from_bytes(open(png, "rb").read()[16:20], "big")
    r2 = run(sample("flow1-direct"), "-o", png, "--scale", "2")
    w2 = int.from_bytes(open(png, "rb").read()[16:20], "big")
    case("--scale 2 doubles the PNG", r2.returncode == 0 and w1 > 0 and abs(w2 - 2 * w1) <= 1,
         f"{w1} -> {w2}")
    pdf = os.path.join(tmp, "x.pdf")
    r = run("--all", sample("failures"), sample("flow2-proxy"), sample("flow1-direct"), "-o", pdf)
    data = open(pdf, "rb").read() if r.returncode == 0 else b""
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    case("-o x.pdf writes a multi-page PDF for a long ladder",
         data.startswith(b"%PDF") and pages >= 2, f"{pages} pages")
    r = run(sample("flow1-direct"), "--format", "png")
    case("PNG without -o: exit 2", r.returncode == 2)
    r = run(sample("flow1-direct"), "-o", os.path.join(tmp, "x.bmp"))
    case("unknown extension: exit 2", r.returncode == 2)
    r = run(sample("flow1-direct"), "-o", os.path.join(tmp, "no", "dir", "x.png"))
    case("unwritable output: exit 1 naming the file",
         r.returncode == 1 and b"x.png" in r.stderr, r.stderr.decode())
    r = run("--call", "1", "--all", sample("flow1-direct"))
    case("--call with --all: exit 2", r.returncode == 2)
    r = run(os.path.join(tmp, "missing.pcap"))
    case("missing file: exit 1 naming it", r.returncode == 1 and b"missing.pcap" in r.stderr)

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok and detail:
        print("# " + str(detail).replace("\n", "\n# "))
