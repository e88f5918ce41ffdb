#!/usr/bin/env python3
"""Live capture equals the file: SIPp calls with RTP over a veth pair,
captured at once by tcpdump and by sipladder (calls -i, rtp -i and
capture -i -w) on the same interface; sipladder's live results must equal
its results on tcpdump's file, and capture must print each call as it
completes. TAP output.

   namespace <pid>u (UAC)           namespace <pid>g (GW-B, UAS)
   ua0 10.0.0.10/24  <---- veth ---->  gw0 10.0.0.50/24
                                       tcpdump -i gw0, sipladder -i gw0

SIPp (samples/scenarios/caller-uac.xml and callee-uas.xml, the scenarios
of the bundled samples) makes CALLS calls, up to CALLS at once, each with
3 s of G.711 u-law RTP both ways. Every capturer uses the filter "udp"
and is listening (its packet socket bound, checked in /proc/net/packet)
before the first call; they are stopped (SIGINT, as Ctrl+C) after the last
message, so each sees every packet: no tolerance is allowed.

Usage: live-vs-file.py CLI HELPER SAMPLES_DIR
"""
import json
import os
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib as L  # noqa: E402

CLI, HELPER, SAMPLES = sys.argv[1:4]
SCN = os.path.join(SAMPLES, "scenarios")
CALLS = 5
FILTER = "udp"
# the live commands' own bound: far beyond the run, they are stopped by
# SIGINT long before (the run takes about 6 s)
BOUND = "45"
PRINT_WITHIN = 1.5  # s: capture prints a call this soon after its end


def json_line(line):
    """One JSON object of capture --json, None for a line cut short."""
    try:
        return json.loads(line)
    except ValueError:
        return None


def main():
    L.require_root_and_netns()
    L.require_programs("sipp", "tcpdump", "ss")
    L.plan(13)
    w = L.work_dir("live-vs-file")
    L.ulaw_tone(os.path.join(w, "pcmu-tone.ul"))
    uac, gw = L.netns("u"), L.netns("g")
    L.veth(uac, "ua0", "10.0.0.10/24", gw, "gw0", "10.0.0.50/24")
    env = L.cli_env(HELPER)

    def sipp(ns, name, *args):
        return L.start(name, L.in_ns(ns, "sipp", *args, "-nostdin", "-m", str(CALLS),
                                     "-timeout", "40s", "-timeout_error",
                                     "-trace_err", "-error_file", f"{w}/{name}.errors"),
                       f"{w}/{name}.log", cwd=w)

    uas = sipp(gw, "uas", "-sf", f"{SCN}/callee-uas.xml", "-i", "10.0.0.50", "-p", "5060",
               "-mi", "10.0.0.50", "-s", "15551230001")
    L.wait_listening(gw, "udp", "10.0.0.50:5060", proc=uas)

    # the capturers, all on gw0 with the same filter
    tcpdump = L.start("tcpdump", L.in_ns(gw, "tcpdump", "-i", "gw0", "-s", "0", "-U", "-n",
                                         "--time-stamp-precision=nano",
                                         "-w", f"{w}/tcpdump.pcap", FILTER),
                      f"{w}/tcpdump.log")
    live = {}
    for cmd in ("calls", "rtp"):
        live[cmd] = L.start(f"sipladder-cli {cmd} -i", L.in_ns(
            gw, CLI, cmd, "--json", "-i", "gw0", "-F", FILTER, "--duration", BOUND),
            f"{w}/live-{cmd}.err", env=env, stdout=f"{w}/live-{cmd}.json")
    live["capture"] = L.start("sipladder-cli capture -i", L.in_ns(
        gw, CLI, "capture", "--json", "-i", "gw0", "-F", FILTER, "--duration", BOUND,
        "-w", f"{w}/capture.pcap"), f"{w}/live-capture.err", env=env,
        stdout=f"{w}/live-capture.out")
    want = 1 + len(live)
    L.wait_for(lambda: L.packet_sockets(gw, "gw0") >= want, 15,
               f"{want} capturers on gw0 (tcpdump: {L.tail(tcpdump[2], 3)})")
    L.wait_for(lambda: "listening on" in open(tcpdump[2], errors="replace").read(), 10,
               "tcpdump listening")
    time.sleep(0.5)  # the helpers set their filter right after binding

    t0 = time.monotonic()
    uac_p = sipp(uac, "uac", "10.0.0.50:5060", "-sf", f"{SCN}/caller-uac.xml",
                 "-i", "10.0.0.10", "-p", "5060", "-mi", "10.0.0.10", "-s", "15551230001",
                 "-key", "caller", "15551110001", "-key", "caller_name", "Alice",
                 "-key", "domain", "10.0.0.10", "-r", str(CALLS), "-l", str(CALLS))
    rc_uac = L.wait(uac_p, 60)
    rc_uas = L.wait(uas, 20)
    L.diag(f"SIPp ran {CALLS} calls in {time.monotonic() - t0:.1f} s")
    if rc_uac != 0 or rc_uas != 0:
        L.bail(f"SIPp failed (UAC exit {rc_uac}, UAS exit {rc_uas}): "
               + L.tail(f"{w}/uac.errors") + L.tail(f"{w}/uas.errors"))
    # the last packets reach every socket; capture prints a call once it is
    # PRINT_WITHIN old
    time.sleep(PRINT_WITHIN)

    stopped_at = time.time()
    printed_live = open(f"{w}/live-capture.out", errors="replace").read().splitlines()
    rc = {}
    for cmd, proc in live.items():
        rc[cmd] = L.stop(proc, signal.SIGINT)
    L.stop(tcpdump, signal.SIGINT)
    drops = open(tcpdump[2], errors="replace").read()
    if "0 packets dropped by kernel" not in drops:
        L.bail("tcpdump dropped packets: " + drops)

    def file_json(cmd, path, key):
        r = subprocess.run([CLI, cmd, "--json", path], capture_output=True, text=True)
        if r.returncode != 0:
            L.bail(f"sipladder-cli {cmd} {path} failed: {r.stderr}")
        return json.loads(r.stdout)[key]

    calls_file = file_json("calls", f"{w}/tcpdump.pcap", "calls")
    rtp_file = file_json("rtp", f"{w}/tcpdump.pcap", "streams")
    msgs_file = file_json("messages", f"{w}/tcpdump.pcap", "messages")

    # the file itself is what SIPp did: CALLS completed calls, 2 streams each
    done = [c for c in calls_file if c["kind"] == "call" and c["state"] == "completed"]
    L.ok(len(calls_file) == CALLS and len(done) == CALLS,
         f"tcpdump's file holds {CALLS} completed calls",
         lambda: json.dumps(calls_file, indent=1)[:3000])
    L.ok(len(rtp_file) == 2 * CALLS and all(s["packets"] >= 140 and s["lost"] == 0
                                            for s in rtp_file),
         f"tcpdump's file holds {2 * CALLS} complete RTP streams",
         lambda: "\n".join(f"{s['src']} -> {s['dst']} packets {s['packets']} lost {s['lost']}"
                           for s in rtp_file))
    L.diag(f"file: {len(msgs_file)} SIP messages, "
           f"{sum(s['packets'] for s in rtp_file)} RTP packets")

    L.ok(rc["calls"] == 0, "calls -i gw0 stopped by SIGINT exits 0",
         lambda: f"exit {rc['calls']}: {L.tail(live['calls'][2])}")
    calls_live = L.read_json(f"{w}/live-calls.json", "calls")
    L.ok(calls_live is not None and len(calls_live) == CALLS,
         f"calls -i gw0 --json lists {CALLS} calls",
         lambda: L.tail(live["calls"][2]))
    # every field: ids, states, legs, message counts, times, streams, MOS
    d = L.first_difference(calls_live, calls_file) if calls_live is not None else "no output"
    L.ok(d is None, "live calls equal the calls of tcpdump's file (every field)", d)
    err = open(live["calls"][2], errors="replace").read()
    L.ok("dropped 0" in err, "calls -i reports no kernel drops", err)

    L.ok(rc["rtp"] == 0, "rtp -i gw0 stopped by SIGINT exits 0",
         lambda: f"exit {rc['rtp']}: {L.tail(live['rtp'][2])}")
    rtp_live = L.read_json(f"{w}/live-rtp.json", "streams")
    # 'file' names the input: the interface live, the path of the file
    strip = ("file",)
    d = (L.first_difference(L.strip_keys(rtp_live, strip), L.strip_keys(rtp_file, strip))
         if rtp_live is not None else "no output")
    L.ok(d is None, "live RTP streams equal the file's (packets, lost, jitter, every field)", d)
    L.ok(rtp_live is not None and all(s.get("file") == "gw0" for s in rtp_live),
         "live streams name the interface as their source",
         lambda: str({s.get("file") for s in rtp_live or []}))

    L.ok(rc["capture"] == 0, "capture -i gw0 -w stopped by SIGINT exits 0",
         lambda: f"exit {rc['capture']}: {L.tail(live['capture'][2])}")
    ok_file = os.path.exists(f"{w}/capture.pcap")
    calls_cap = file_json("calls", f"{w}/capture.pcap", "calls") if ok_file else None
    d = L.first_difference(calls_cap, calls_file) if ok_file else "no capture.pcap"
    L.ok(d is None, "calls on capture -w's file equal calls on tcpdump's file", d)
    printed = [json.loads(ln) for ln in open(f"{w}/live-capture.out", errors="replace")
               if ln.strip()]
    want = sorted((c["call_ids"][0], "completed", c["messages"], len(c["legs"]))
                  for c in calls_file)
    got = sorted((p["call_id"], p["state"], p["messages"], p["legs"]) for p in printed)
    L.ok(got == want, f"capture --json printed each of the {CALLS} calls once, completed, "
         "with its legs and messages", lambda: f"{got}\n!= {want}")
    # "prints one line per call as it completes": a call over for
    # PRINT_WITHIN seconds when capture was stopped was printed already
    live_ids = {p["call_id"] for p in map(json_line, printed_live) if p}
    due = [c["call_ids"][0] for c in calls_file if c["end"] <= stopped_at - PRINT_WITHIN]
    L.diag(f"capture printed {len(live_ids)} calls while running, {len(due)} were due")
    L.ok(due and set(due) <= live_ids,
         f"capture printed each call within {PRINT_WITHIN} s of its end, while running",
         lambda: f"not printed while running: {sorted(set(due) - live_ids)}")

    L.finish()


if __name__ == "__main__":
    main()
