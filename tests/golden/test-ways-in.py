#!/usr/bin/env python3
"""sipladder: the "ways in" samples (samples/regenerate-ways-in): every
tunnel gives the same calls as its plain twin; a call captured inside and
outside a tunnel is one call with duplicates; SIP decrypted from TLS 1.3
and 1.2 (AES-GCM, ChaCha20-Poly1305) with the key log is the SIP of the
same call over TCP; without the key log the TLS connection is listed as
an encrypted flow, not an error; WebSocket and secure WebSocket calls are
read; message counts agree with tshark's (given the same key log).
TAP output. Usage: test-ways-in.py CLI SAMPLES_DIR"""
import os
import shutil
import subprocess
import sys

cli, samples = sys.argv[1], sys.argv[2]
n_test = 0
failed = 0


def ok(cond, name, detail=""):
    global n_test, failed
    n_test += 1
    if not cond:
        failed += 1
        print(f"not ok {n_test} - {name}")
        for line in str(detail).splitlines()[:20]:
            print(f"# {line}")
    else:
        print(f"ok {n_test} - {name}")


def run(*args, status=0):
    p = subprocess.run([cli, *args], capture_output=True, text=True)
    if p.returncode != status:
        raise RuntimeError(f"{args}: exit {p.returncode}: {p.stderr}")
    return p.stdout, p.stderr


def path(name):
    return os.path.join(samples, name)


def sip_summary(lines):
    """method or status, CSeq: what two captures of one call share"""
    out = []
    for line in lines:
        if not line.strip():
            continue
        what = line.split(" | ")[0].split()[7]
        cseq = line.split(" | ")[2].strip()
        out.append(f"{what} {cseq}")
    return out


def call_columns(text):
    """calls output without the START, PDD and SETUP, DURATION columns"""
    rows = []
    for line in text.splitlines()[1:]:
        f = line.split()
        if len(f) >= 12 and f[0].isdigit():
            rows.append(" ".join([f[1], f[4], f[5], f[6], f[10], f[11], f[12]]))
    return rows


def tshark_sip(pcap, keys=None):
    args = ["tshark", "-r", pcap, "-Y", "sip"]
    if keys:
        args[3:3] = ["-o", f"tls.keylog_file:{keys}"]
    p = subprocess.run(args, capture_output=True, text=True)
    return len([x for x in p.stdout.splitlines() if x.strip()])


have_tshark = shutil.which("tshark") is not None

# --- tunnels: the same calls as the plain twin
plain_calls = call_columns(run("calls", path("ways-plain.pcap"))[0])
ok(len(plain_calls) == 1 and "completed" in plain_calls[0], "plain twin: one completed call",
   plain_calls)
plain_msgs = sip_summary(run("messages", path("ways-plain.pcap"))[0].splitlines())
for kind in ["vxlan", "ipip", "gre", "erspan", "geneve"]:
    pcap = path(f"ways-{kind}.pcap")
    calls = call_columns(run("calls", pcap)[0])
    ok(calls == plain_calls, f"{kind}: same calls as the plain twin", f"{calls} != {plain_calls}")
    msgs = sip_summary(run("messages", pcap)[0].splitlines())
    ok(msgs == plain_msgs, f"{kind}: same SIP messages as the plain twin", msgs)
    if have_tshark:
        ok(tshark_sip(pcap) == len(msgs), f"{kind}: tshark counts {len(msgs)} SIP messages too")

# --- inside and outside the tunnel: duplicates, one call
pcap = path("ways-any-vxlan.pcap")
calls = call_columns(run("calls", pcap)[0])
ok(len(calls) == 1 and calls[0].split()[:4] == plain_calls[0].split()[:4],
   "vxlan captured inside and outside: one call", calls)
view = run("call", "--call", "1", pcap)[0]
dups = sum(1 for x in view.splitlines() if x.endswith("[duplicate]"))
ok(dups == 7, "vxlan captured inside and outside: each of the 7 messages once a duplicate",
   view)

# --- TLS: decrypted SIP equals the TCP twin's SIP
tcp_msgs = sip_summary(run("messages", path("ways-tcp.pcap"))[0].splitlines())
ok(len(tcp_msgs) == 7, "TCP twin: 7 SIP messages", tcp_msgs)
for name, version in [("ways-tls13", "TLS 1.3"), ("ways-tls12", "TLS 1.2"),
                      ("ways-tls12-chacha", "TLS 1.2")]:
    pcap, keys = path(name + ".pcap"), path(name + ".keys")
    out = run("tls", "--messages", "--tls-keylog", keys, pcap)[0].splitlines()
    ok(all(" TLS " in x for x in out), f"{name}: messages marked TLS", out)
    ok(sip_summary(out) == tcp_msgs, f"{name}: decrypted SIP equals the TCP twin's",
       f"{sip_summary(out)}\n!=\n{tcp_msgs}")
    sess = run("tls", "--tls-keylog", keys, pcap)[0].splitlines()
    ok(len(sess) == 1 and sess[0].endswith(" decrypted") and version in sess[0],
       f"{name}: one {version} session, decrypted", sess)
    if have_tshark:
        ok(tshark_sip(pcap, keys) == len(out), f"{name}: tshark decrypts {len(out)} too")
    # without the key log: an encrypted flow, not an error
    sess, err = run("tls", pcap)
    ok(sess.count("\n") == 1 and "encrypted: no key log" in sess and err == "",
       f"{name}: without the key log, one encrypted flow", sess + err)
    msgs, err = run("messages", pcap)
    ok(msgs == "" and err == "", f"{name}: without the key log, no message and no error",
       msgs + err)
    # a key log without this session's secrets
    other = path("ways-tls12.keys" if name != "ways-tls12" else "ways-tls13.keys")
    sess = run("tls", "--tls-keylog", other, pcap)[0]
    ok("encrypted: no keys in the key log" in sess, f"{name}: another key log: no keys", sess)

# --- WebSocket
pcap = path("ways-ws.pcap")
out = run("messages", pcap)[0].splitlines()
ws = [x for x in out if " WS " in x]
ok(len(ws) == 7, "ways-ws: 7 SIP messages over WebSocket", out)
if have_tshark:
    ok(tshark_sip(pcap) == len(out), f"ways-ws: tshark counts {len(out)} too")
pcap, keys = path("ways-wss.pcap"), path("ways-wss.keys")
out = run("tls", "--messages", "--tls-keylog", keys, pcap)[0].splitlines()
wss = [x for x in out if " WSS " in x]
ok(len(wss) >= 5, "ways-wss: SIP over secure WebSocket decrypted", out)
sess = run("tls", "--tls-keylog", keys, pcap)[0]
ok("SNI=sip-a.example.test" in sess and sess.rstrip().endswith("decrypted"),
   "ways-wss: session with its SNI, decrypted", sess)
if have_tshark:
    ok(tshark_sip(pcap, keys) == len(out), f"ways-wss: tshark counts {len(out)} too")

# --- usage and input errors
_, err = run("tls", "--tls-keylog", path("missing.keys"), path("ways-tls13.pcap"), status=1)
ok("cannot read the TLS key log" in err, "a missing key log: one line, exit 1", err)
_, err = run("tls", "--tls-keylog", path("ways-plain.pcap"), path("ways-tls13.pcap"), status=1)
ok("not a TLS key log" in err, "a file that is not a key log: exit 1", err)
run("tls", status=2)

print(f"1..{n_test}")
sys.exit(1 if failed else 0)
