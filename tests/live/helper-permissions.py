#!/usr/bin/env python3
"""The capture helper's privileges: without CAP_NET_RAW/CAP_NET_ADMIN it
says how to grant them (exit 3), and the CLI passes that on; a copy
given the capabilities with setcap captures for an unprivileged user; an
interface that does not exist is named. TAP output.

Everything runs in a network namespace of its own, on its loopback, as
user nobody (runuser); the copies of the helper live in the test's work
directory.

Usage: helper-permissions.py CLI HELPER
"""
import os
import shutil
import struct
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib as L  # noqa: E402

CLI, HELPER = sys.argv[1:3]
SETCAP = "setcap cap_net_raw,cap_net_admin+eip"
SIP = (b"OPTIONS sip:probe@127.0.0.1:5060 SIP/2.0\r\n"
       b"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-perm-%d\r\n"
       b"Max-Forwards: 70\r\n"
       b"From: <sip:test@127.0.0.1>;tag=perm\r\n"
       b"To: <sip:probe@127.0.0.1>\r\n"
       b"Call-ID: perm-%d@127.0.0.1\r\n"
       b"CSeq: %d OPTIONS\r\n"
       b"Content-Length: 0\r\n\r\n")
COUNT = 3


def pcap_records(path):
    """(linktype, number of records) of a classic pcap file, or None."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return None
    magic = data[:4]
    order = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
             b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}.get(magic)
    if not order:
        return None
    linktype = struct.unpack(order + "I", data[20:24])[0]
    off, n = 24, 0
    while off + 16 <= len(data):
        incl = struct.unpack(order + "I", data[off + 8:off + 12])[0]
        off += 16 + incl
        n += 1
    return (linktype, n) if off == len(data) else None


def main():
    L.require_root_and_netns()
    L.require_programs("setcap", "getcap", "runuser")
    L.plan(10)
    w = L.work_dir("perm")
    ns = L.netns("p")
    bare = os.path.join(w, "plain", "sipladder-capture")
    capped = os.path.join(w, "capped", "sipladder-capture")
    for path in (bare, capped):
        os.makedirs(os.path.dirname(path), mode=0o755)
        shutil.copy(HELPER, path)
        os.chmod(path, 0o755)

    def as_nobody(*cmd, env=None, **kw):
        return subprocess.run(L.in_ns(ns, "runuser", "-u", "nobody", "--", *cmd),
                              capture_output=True, text=True, env=env, **kw)

    # 1. no capabilities: exit 3, the setcap command naming the program
    r = as_nobody(bare, "-i", "lo", "--count", "1", timeout=20)
    L.ok(r.returncode == 3, "helper without capabilities exits 3",
         f"exit {r.returncode}: {r.stderr}")
    L.ok(SETCAP in r.stderr and bare in r.stderr,
         f"its message gives the command: {SETCAP} {bare}", r.stderr)
    L.ok(r.stdout == "", "nothing is written to the capture stream", repr(r.stdout[:200]))

    # 2. the CLI, run by nobody with that helper, passes the message on
    env = L.cli_env(bare)
    r = as_nobody(CLI, "messages", "-i", "lo", "--duration", "2", env=env, timeout=30)
    L.ok(r.returncode == 1 and SETCAP in r.stderr,
         "sipladder-cli messages -i lo as nobody: exit 1 with the setcap advice",
         f"exit {r.returncode}: {r.stderr}")

    # 3. a copy with the capabilities: nobody captures on lo
    subprocess.run(["setcap", "cap_net_raw,cap_net_admin+eip", capped], check=True)
    caps = subprocess.run(["getcap", capped], capture_output=True, text=True).stdout
    L.ok("cap_net_admin,cap_net_raw=eip" in caps, "setcap gave the copy its capabilities", caps)
    out_path = os.path.join(w, "nobody.pcap")
    with open(out_path, "wb") as out:
        p = subprocess.Popen(L.in_ns(ns, "runuser", "-u", "nobody", "--", capped, "-i", "lo",
                                     "-f", "udp port 5060", "--count", str(COUNT),
                                     "--duration", "20"),
                             stdout=out, stderr=subprocess.PIPE, text=True)
        L.track(p, "capped helper")
        # send SIP datagrams on the namespace's loopback until it has its
        # COUNT packets (the first may precede its filter)
        sender = subprocess.Popen(L.in_ns(ns, sys.executable, "-c", f"""
import socket, time, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5070))
for i in range(1, 200):
    s.sendto({SIP!r} % (i, i, i), ("127.0.0.1", 5060))
    time.sleep(0.1)
"""))
        L.track(sender, "sender")
        try:
            _, err = p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        sender.kill()
        sender.wait()
    L.ok(p.returncode == 0, "helper with capabilities, run by nobody, exits 0",
         f"exit {p.returncode}: {err}")
    rec = pcap_records(out_path)
    L.ok(rec is not None and rec[1] == COUNT,
         f"it wrote a valid pcap of {COUNT} packets (--count)",
         f"pcap: {rec}, {os.path.getsize(out_path)} bytes; {err}")
    r = subprocess.run([CLI, "messages", "--json", out_path], capture_output=True, text=True)
    msgs = L.read_json_text(r.stdout, "messages") if r.returncode == 0 else None
    L.ok(msgs is not None and len(msgs) == COUNT
         and all(m["method"] == "OPTIONS" and m["src"] == "127.0.0.1:5070"
                 and m["dst"] == "127.0.0.1:5060" for m in msgs),
         f"sipladder reads the {COUNT} SIP OPTIONS it captured", r.stdout + r.stderr)

    # 4. an interface that does not exist: exit 1, named
    r = subprocess.run(L.in_ns(ns, CLI, "messages", "-i", "nonexistent0", "--duration", "2"),
                       capture_output=True, text=True, env=L.cli_env(HELPER), timeout=30)
    L.ok(r.returncode == 1, "messages -i nonexistent0 exits 1", f"exit {r.returncode}: {r.stderr}")
    L.ok("nonexistent0" in r.stderr and r.stdout == "",
         "the error names the interface and nothing is printed on stdout",
         f"stderr: {r.stderr!r} stdout: {r.stdout[:200]!r}")
    L.finish()


if __name__ == "__main__":
    main()
