#!/usr/bin/env python3
"""Kamailio's siptrace module feeds sipladder's HEP listener: SIPp calls
through a Kamailio proxy (Debian package, kamailio-siptrace.cfg) that sends
a HEPv3 copy of every SIP message it receives or sends to
`sipladder-cli ... --hep-listen 10.0.0.90:9060`. Every SIP message tshark
sees on the wire must arrive through HEP, and the calls must correlate.
TAP output.

One network namespace; the hosts are addresses on its loopback, where
tcpdump sees every packet once:
   10.0.0.10 SIPp UAC   10.0.0.20 Kamailio   10.0.0.50 SIPp UAS
   10.0.0.90:9060 sipladder's HEP listener

Two rounds of CALLS calls (a listener at a time can hold the port):
  1. messages --hep-listen, stopped by SIGINT: the messages equal tshark's
     SIP messages on the wire (addresses, ports, first line, Call-ID, CSeq),
     each within 0.5 s of its time on the wire;
  2. calls --hep-listen, stopped by --duration: CALLS completed calls, equal
     (state, parties, legs, message counts, proxy hops) to the calls of the
     wire.

Usage: kamailio-siptrace.py CLI SAMPLES_DIR
"""
import glob
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib as L  # noqa: E402

CLI, SAMPLES = sys.argv[1:3]
HERE = os.path.dirname(os.path.abspath(__file__))
SCN = os.path.join(SAMPLES, "scenarios")
CFG = os.path.join(HERE, "kamailio-siptrace.cfg")
CALLS = 3
HEP = "10.0.0.90:9060"
WIRE_FILTER = "udp port 5060 and not udp port 9060"
DURATION = 15  # round 2's listener: SIPp is done within about 6 s


def kamailio_modules():
    found = glob.glob("/usr/lib/*/kamailio/modules/siptrace.so")
    if not found:
        L.bail("kamailio's siptrace.so not found (Debian package kamailio)")
    return os.path.dirname(found[0])


def wire_messages(pcap):
    """tshark's SIP messages: (src, dst, method or status, Call-ID, CSeq)
    and the time of each."""
    r = subprocess.run(["tshark", "-r", pcap, "-Y", "sip", "-T", "fields",
                        "-E", "separator=\t", "-e", "frame.time_epoch",
                        "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "udp.dstport",
                        "-e", "sip.Method", "-e", "sip.Status-Code", "-e", "sip.Call-ID",
                        "-e", "sip.CSeq"], capture_output=True, text=True)
    if r.returncode != 0:
        L.bail(f"tshark failed: {r.stderr}")
    out = []
    for line in r.stdout.splitlines():
        t, sip_, sp, dip, dp, method, status, cid, cseq = (line.split("\t") + [""] * 9)[:9]
        out.append(((f"{sip_}:{sp}", f"{dip}:{dp}", method or status, cid, cseq), float(t)))
    return out


def sl_key(m):
    first = m["method"] if m["method"] else str(m["status"])
    return (m["src"], m["dst"], first, m["call_id"], m["cseq"])


def main():
    L.require_root_and_netns()
    L.require_programs("sipp", "kamailio", "tcpdump", "tshark", "ss")
    modules = kamailio_modules()
    L.plan(11)
    w = L.work_dir("siptrace")
    L.ulaw_tone(os.path.join(w, "pcmu-tone.ul"))
    ns = L.netns("k")
    for a in ("10.0.0.10", "10.0.0.20", "10.0.0.50", "10.0.0.90"):
        subprocess.run(L.in_ns(ns, "ip", "addr", "add", a + "/32", "dev", "lo"), check=True)

    r = subprocess.run(["kamailio", "-c", "-f", CFG, "-L", modules], capture_output=True,
                       text=True)
    if r.returncode != 0:
        L.bail(f"kamailio rejects {CFG}: {r.stdout}{r.stderr}")
    os.makedirs(f"{w}/kamailio-run")
    kam = L.start("kamailio", L.in_ns(ns, "kamailio", "-f", CFG, "-L", modules, "-DD", "-E",
                                      "-m", "32", "-M", "4", "-Y", f"{w}/kamailio-run",
                                      "-P", f"{w}/kamailio-run/kamailio.pid"),
                  f"{w}/kamailio.log")
    L.wait_listening(ns, "udp", "10.0.0.20:5060", proc=kam)

    def sipp(name, *args):
        return L.start(name, L.in_ns(ns, "sipp", *args, "-nostdin", "-m", str(CALLS),
                                     "-timeout", "40s", "-timeout_error",
                                     "-trace_err", "-error_file", f"{w}/{name}.errors"),
                       f"{w}/{name}.log", cwd=w)

    def round_of_calls(tag, listener_args, stop_by_signal):
        """Runs CALLS calls UAC -> Kamailio -> UAS with tcpdump and the HEP
        listener running; returns (listener exit status, its stdout path,
        its stderr path, tcpdump's file)."""
        uas = sipp(f"uas{tag}", "-sf", f"{SCN}/callee-uas.xml", "-i", "10.0.0.50",
                   "-p", "5060", "-mi", "10.0.0.50", "-s", "15551230001")
        L.wait_listening(ns, "udp", "10.0.0.50:5060", proc=uas)
        pcap = f"{w}/wire{tag}.pcap"
        td = L.start("tcpdump", L.in_ns(ns, "tcpdump", "-i", "lo", "-s", "0", "-U", "-n",
                                        "-w", pcap, WIRE_FILTER), f"{w}/tcpdump{tag}.log")
        out, err = f"{w}/hep{tag}.json", f"{w}/hep{tag}.err"
        lis = L.start("hep listener", L.in_ns(ns, CLI, *listener_args, "--json",
                                              "--hep-listen", HEP), err, stdout=out)
        L.wait_listening(ns, "udp", HEP, proc=lis)
        L.wait_for(lambda: "listening on" in open(td[2], errors="replace").read(), 10,
                   "tcpdump listening")
        t0 = time.monotonic()
        uac = sipp(f"uac{tag}", "10.0.0.20:5060", "-sf", f"{SCN}/caller-uac.xml",
                   "-i", "10.0.0.10", "-p", "5060", "-mi", "10.0.0.10", "-s", "15551230001",
                   "-key", "caller", "15551110001", "-key", "caller_name", "Alice",
                   "-key", "domain", "10.0.0.20", "-r", str(CALLS), "-l", str(CALLS))
        rc_uac, rc_uas = L.wait(uac, 60), L.wait(uas, 20)
        if rc_uac != 0 or rc_uas != 0:
            L.bail(f"round {tag}: SIPp failed (UAC {rc_uac}, UAS {rc_uas}): "
                   + L.tail(f"{w}/uac{tag}.errors") + L.tail(f"{w}/uas{tag}.errors")
                   + "\nkamailio:\n" + L.tail(kam[2]))
        L.diag(f"round {tag}: {CALLS} calls through Kamailio in {time.monotonic() - t0:.1f} s")
        time.sleep(0.5)
        L.stop(td, signal.SIGINT)
        if stop_by_signal:
            rc = L.stop(lis, signal.SIGINT)
        else:
            rc = L.wait(lis, DURATION + 30)
        return rc, out, err, pcap

    # ---- round 1: messages
    rc, out, err, pcap = round_of_calls("1", ["messages"], True)
    L.ok(rc == 0, "messages --hep-listen stopped by SIGINT exits 0",
         lambda: f"exit {rc}: {L.tail(err)}")
    wire = wire_messages(pcap)
    L.ok(len(wire) == 14 * CALLS, f"tshark sees {14 * CALLS} SIP messages on the wire "
         "(14 a call through a Record-Routing proxy)", lambda: "\n".join(map(str, wire)))
    hep = L.read_json(out, "messages") or []
    wire_keys = Counter(k for k, _ in wire)
    hep_keys = Counter(sl_key(m) for m in hep)
    missing, extra = wire_keys - hep_keys, hep_keys - wire_keys
    L.ok(not missing, "every SIP message on the wire arrived through HEP",
         lambda: f"{sum(missing.values())} missing, e.g. {list(missing)[:5]}")
    L.ok(not extra, "nothing arrived through HEP that is not on the wire",
         lambda: f"{sum(extra.values())} extra, e.g. {list(extra)[:5]}")
    L.ok(all(m["transport"] == "UDP" and m["error"] is None for m in hep) and hep,
         "every HEP message parses as SIP over UDP",
         lambda: [m for m in hep if m["transport"] != "UDP" or m["error"]][:3])
    wire_times = defaultdict(list)
    for k, t in wire:
        wire_times[k].append(t)
    far = []
    for m in hep:
        ts = wire_times.get(sl_key(m))
        if not ts or min(abs(t - m["time"]) for t in ts) > 0.5:
            far.append((sl_key(m), m["time"], ts))
    L.ok(hep and not far, "each HEP message carries its capture time (within 0.5 s of the wire)",
         lambda: "\n".join(map(str, far[:5])))
    e = open(err, errors="replace").read()
    counts = re.search(r"(\d+) packets, (\d+) malformed HEP dropped", e)
    L.ok(counts and int(counts.group(1)) == len(wire) and counts.group(2) == "0",
         "the listener counts one HEP packet a message and none malformed", e)

    # ---- round 2: calls
    rc, out, err, pcap = round_of_calls("2", ["calls", "--duration", str(DURATION)], False)
    L.ok(rc == 0, f"calls --hep-listen --duration {DURATION} ends by itself, exit 0",
         lambda: f"exit {rc}: {L.tail(err)}")
    calls = L.read_json(out, "calls") or []
    done = [c for c in calls if c["kind"] == "call" and c["state"] == "completed"]
    L.ok(len(calls) == CALLS and len(done) == CALLS,
         f"HEP gives {CALLS} calls, all completed", lambda: json.dumps(calls, indent=1)[:3000])
    r = subprocess.run([CLI, "calls", "--json", pcap], capture_output=True, text=True)
    wire_calls = json.loads(r.stdout)["calls"] if r.returncode == 0 else []

    def view(c):
        return {k: c[k] for k in ("kind", "state", "caller", "callee", "call_ids",
                                  "messages", "hangup_by", "endpoints")} | {
            "legs": [(g["call_id"], g["messages"]) for g in c["legs"]]}
    got = sorted((view(c) for c in calls), key=lambda v: v["call_ids"])
    want = sorted((view(c) for c in wire_calls), key=lambda v: v["call_ids"])
    L.ok(got == want and len(want) == CALLS,
         "the HEP calls equal the wire's calls (state, parties, legs, messages, endpoints)",
         lambda: L.first_difference(got, want) or f"{len(want)} calls on the wire")
    # Kamailio stamps a message it sends a little after sending it, so the
    # next hop's 100 Trying can come through HEP before the INVITE it
    # answers: the proxy hop must be found all the same
    hops = {c["call_ids"][0]: c["hops"] for c in calls}
    wire_hops = {c["call_ids"][0]: c["hops"] for c in wire_calls}
    L.ok(calls and hops == wire_hops and set(hops.values()) == {2},
         "each call has the proxy's two INVITE hops, as on the wire",
         lambda: f"HEP {hops}, wire {wire_hops}")
    L.finish()


if __name__ == "__main__":
    main()
