#!/usr/bin/env python3
"""Memory-exhaustion captures (made by make-exhaustion.py into the build
folder) read with small limits: the run ends well, warns for the right
limit once and counts it, keeps the first N calls whole, and its peak
memory does not grow with the input (the same run on an input four times
larger peaks within a few MiB) and stays within a bound derived from the
cap above a run on a tiny capture.

    test-exhaustion.py CLI MAKE-EXHAUSTION OUTDIR [SCALE]

Peak memory is GNU time's %M (the CLI's ru_maxrss). Under AddressSanitizer freed memory
sits in a quarantine that would grow with the input; the runs here cap it
(quarantine_size_mb), which costs nothing but the reuse check. TAP output.
"""
import json
import os
import subprocess
import sys
import tempfile

CLI, MAKE, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
SCALE = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
MiB = 1024 * 1024
TIME = "/usr/bin/time"
if not os.access(TIME, os.X_OK):
    print("1..0 # SKIP GNU time (/usr/bin/time) measures peak memory; it is missing")
    sys.exit(0)

env = dict(os.environ)
asan = env.get("ASAN_OPTIONS", "")
env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "quarantine_size_mb=4:malloc_context_size=5"

results = []
made = set()


def check(ok, what):
    results.append((bool(ok), what))
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what), flush=True)
    return ok


def capture(kind, count):
    path = os.path.join(OUT, "exhaustion-%s-%d.pcap" % (kind, count))
    if path not in made:  # made afresh by each run, once
        subprocess.run([sys.executable, MAKE, kind, path, "--count", str(count)], check=True)
        made.add(path)
    return path


def run(args):
    """Runs the CLI; returns (exit status, stdout, stderr, peak RSS bytes).
    The CLI starts from GNU time, a small process: a child forked from this
    (large) Python would count the memory of that copy in its peak."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as rss:
        st = subprocess.run([TIME, "-q", "-f", "%M", "-o", rss.name, CLI] + args, stdout=out,
                            stderr=err, env=env).returncode
        out.seek(0)
        err.seek(0)
        kib = rss.read().strip().splitlines()
        return st, out.read().decode(), err.read().decode(), int(kib[-1]) * 1024


def n(x):
    return max(1, int(x * SCALE))


def warned_once(err, name):
    first = [l for l in err.splitlines() if ": limit %s reached" % name in l]
    summary = [l for l in err.splitlines() if "warning: limit %s (" % name in l]
    return len(first) == 1 and len(summary) == 1, first, summary


def bounded(kind, count, limits, cmd, bound, name):
    """The shared assertions; returns the JSON of the small run (if any)."""
    small, large = capture(kind, count), capture(kind, 4 * count)
    base = run([cmd, "--json"] + limits + [capture(kind, 1)])
    rs = run([cmd, "--json"] + limits + [small])
    rl = run([cmd, "--json"] + limits + [large])
    check(rs[0] == 0 and rl[0] == 0, "%s: exits 0 (%d, %d)" % (kind, rs[0], rl[0]))
    once, first, summary = warned_once(rl[2], name)
    check(once, "%s: limit %s warned once when first hit and once with its count: %s"
          % (kind, name, first + summary))
    other = [l for l in rl[2].splitlines() if "limit" in l and name not in l]
    check(not other, "%s: no other limit warned: %s" % (kind, other[:3]))
    growth = rl[3] - rs[3]
    check(growth < 8 * MiB, "%s: peak memory %.1f MiB for %d units, %.1f MiB for %d (growth %.1f MiB < 8)"
          % (kind, rs[3] / MiB, count, rl[3] / MiB, 4 * count, growth / MiB))
    above = rl[3] - base[3]
    check(above < bound, "%s: peak %.1f MiB above a tiny capture's, under the bound %.1f MiB derived from the cap"
          % (kind, above / MiB, bound / MiB))
    try:
        return json.loads(rl[1]), rl
    except ValueError:
        check(False, "%s: JSON output" % kind)
        return None, rl


def limit_entry(doc, name):
    for e in (doc or {}).get("limits", []):
        if e["name"] == name:
            return e
    return None


# 1. INVITEs without answers, a new Call-ID each
cap = 300
count = n(10000)
doc, r = bounded("invites", count, ["--limit", "calls=%d" % cap], "calls",
                 32 * MiB + cap * 64 * 1024, "calls")
calls = doc["calls"] if doc else []
check([c["call_ids"][0] for c in calls] == ["invites-%d@exhaust.test" % i for i in range(1, cap + 1)],
      "invites: the first %d Call-IDs kept, in order (%d calls)" % (cap, len(calls)))
e = limit_entry(doc, "calls")
check(e and e["count"] == 4 * count - cap and e["frame"] == cap + 1 and e["value"] == cap,
      "invites: JSON limits entry: %s" % e)

# the measure sees memory: the same input without the cap peaks far higher
free = run(["calls", "--json", capture("invites", 4 * count)])
tiny = run(["calls", "--json", capture("invites", 1)])
check(free[0] == 0 and free[3] - tiny[3] > 16 * MiB,
      "invites: without the cap the run peaks %.1f MiB above a tiny capture's (> 16)"
      % ((free[3] - tiny[3]) / MiB))

# 2. Short complete calls: the capped result equals the first N calls read alone
cap = 200
count = n(4000)
doc, r = bounded("calls", count, ["--limit", "calls=%d" % cap], "calls",
                 32 * MiB + cap * 64 * 1024, "calls")
alone = run(["calls", "--json", capture("calls", cap)])
ref = json.loads(alone[1]) if alone[0] == 0 else {}
got = dict(doc or {})
got.pop("limits", None)
check(got == ref and len(ref.get("calls", [])) == cap,
      "calls: capped at %d, the calls equal those of a capture of the first %d calls" % (cap, cap))
check(all(c["state"] == "completed" and c["messages"] == 6 for c in got.get("calls", [])),
      "calls: every kept call complete (6 messages, state completed)")
e = limit_entry(doc, "calls")
check(e and e["count"] == 6 * (4 * count - cap) and e["frame"] == 6 * cap + 1,
      "calls: %s messages dropped, first at frame %s" % (e and e["count"], e and e["frame"]))

# 3. A new SSRC in every RTP packet
cap = 500
count = n(10000)
doc, r = bounded("ssrc", count, ["--limit", "rtp-streams=%d" % cap], "rtp",
                 32 * MiB + cap * 16 * 1024, "rtp-streams")
streams = doc["streams"] if doc else []
check(len(streams) == cap and [s["ssrc"] for s in streams][:3] == ["0x00000001", "0x00000002", "0x00000003"],
      "ssrc: %d streams kept, the first ones" % len(streams))

# 4. One TCP stream to port 5060 without a message boundary
cap = 64 * 1024
count = n(2000)
doc, r = bounded("tcp", count, ["--limit", "sip-message=64K", "--limit", "tcp-buffer=128K"],
                 "messages", 32 * MiB + 4 * 128 * 1024, "sip-message")
check(doc is not None and doc.get("messages") == [], "tcp: no message made of the endless header block")

# 5. First fragments whose datagrams never complete
count = n(10000)
doc, r = bounded("frags", count, ["--limit", "ip-fragments=1M"], "messages",
                 32 * MiB + 4 * MiB, "ip-fragments")
e = limit_entry(doc, "ip-fragments")
check(e and e["count"] > 4 * count - 1024 * 1024 // 1480 - 10,
      "frags: %s incomplete datagrams dropped at the bound" % (e and e["count"]))

# 6. The same two through `tls`, which reads without the loader: its
# decoder and SIP parser take the same limits and report them the same way
count = n(2000)
doc, r = bounded("tcp", count, ["--limit", "sip-message=64K", "--limit", "tcp-buffer=128K"],
                 "tls", 32 * MiB + 4 * 128 * 1024, "sip-message")
e = limit_entry(doc, "sip-message")
check(doc is not None and doc.get("tls_sessions") == [] and e and e["count"] > 0,
      "tls tcp: no TLS session, sip-message hit %s times" % (e and e["count"]))
count = n(10000)
doc, r = bounded("frags", count, ["--limit", "ip-fragments=1M"], "tls",
                 32 * MiB + 4 * MiB, "ip-fragments")
e = limit_entry(doc, "ip-fragments")
check(e and e["count"] > 4 * count - 1024 * 1024 // 1480 - 10,
      "tls frags: %s incomplete datagrams dropped at the bound" % (e and e["count"]))

print("1..%d" % len(results))
sys.exit(0 if all(ok for ok, _ in results) else 1)
