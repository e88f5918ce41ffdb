#!/usr/bin/env python3
"""sipladder's HEP sender feeds a HOMER-style capture node: Kamailio's
sipcapture module (kamailio-sipcapture.cfg) storing into PostgreSQL (both
Debian packages, started here on the loopback of a network namespace of
our own, with a throw-away data directory). A sample is replayed with
`sipladder-cli capture FILE --hep-send 127.0.0.1:9060 --hep-id 42`; every
SIP message of it must land in the sip_capture table once, with its
source and destination addresses and ports, its time to the microsecond
(micro_ts, and date to the second), Call-ID, CSeq, first line, bytes, and
the capture id (node "homer01:42"). TAP output.

Usage: homer-sipcapture.py CLI SAMPLES_DIR [SAMPLE]
"""
import datetime
import glob
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib as L  # noqa: E402

CLI, SAMPLES = sys.argv[1:3]
SAMPLE = os.path.join(SAMPLES, sys.argv[3] if len(sys.argv) > 3 else "flow2-proxy.pcap")
HERE = os.path.dirname(os.path.abspath(__file__))
CFG = os.path.join(HERE, "kamailio-sipcapture.cfg")
SCHEMA = os.path.join(HERE, "sipcapture-create.sql")
HEP_ID = 42
PG_PORT = "5432"   # inside the namespace: nothing else listens there


def pg_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        L.bail("PostgreSQL's server is not installed (Debian package postgresql)")
    return os.path.dirname(found[-1])


def kamailio_modules():
    for mod in ("sipcapture.so", "db_postgres.so"):
        if not glob.glob(f"/usr/lib/*/kamailio/modules/{mod}"):
            L.bail(f"kamailio's {mod} not found (Debian packages kamailio, "
                   "kamailio-postgres-modules)")
    return os.path.dirname(glob.glob("/usr/lib/*/kamailio/modules/sipcapture.so")[0])


def main():
    L.require_root_and_netns()
    L.require_programs("kamailio", "psql", "setpriv", "ss")
    pgbin, modules = pg_bin(), kamailio_modules()
    L.plan(9)
    w = L.work_dir("homer")
    ns = L.netns("h")

    # ---- PostgreSQL: a throw-away cluster owned by postgres
    pgdata, pgsock = f"{w}/pgdata", f"{w}/pgsock"
    for d in (pgdata, pgsock):
        os.makedirs(d, mode=0o700)
        shutil.chown(d, "postgres", "postgres")
    as_pg = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]
    r = subprocess.run(as_pg + [f"{pgbin}/initdb", "-D", pgdata, "-U", "postgres",
                                "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                       capture_output=True, text=True, cwd=w)
    if r.returncode != 0:
        L.bail(f"initdb failed: {r.stderr}")
    pg = L.start("postgres", L.in_ns(ns, *as_pg, f"{pgbin}/postgres", "-D", pgdata,
                                     "-k", pgsock, "-p", PG_PORT,
                                     "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                                     "-c", "logging_collector=off"),
                 f"{w}/postgres.log", cwd=w)
    L.wait_listening(ns, "tcp", f"127.0.0.1:{PG_PORT}", timeout=20, proc=pg)

    def psql(db, *args, check=True):
        r = subprocess.run(L.in_ns(ns, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                   "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres",
                                   "-d", db, *args), capture_output=True, text=True)
        if check and r.returncode != 0:
            L.bail(f"psql {' '.join(args)}: {r.stderr}")
        return r.stdout

    psql("postgres", "-c", "CREATE DATABASE homer")
    psql("homer", "-f", SCHEMA)

    # ---- Kamailio sipcapture
    env = dict(os.environ,
               SIPCAPTURE_DB_URL=f"postgres://postgres@127.0.0.1:{PG_PORT}/homer")
    r = subprocess.run(["kamailio", "-c", "-f", CFG, "-L", modules], capture_output=True,
                       text=True, env=env)
    if r.returncode != 0:
        L.bail(f"kamailio rejects {CFG}: {r.stdout}{r.stderr}")
    os.makedirs(f"{w}/kamailio-run")
    kam = L.start("kamailio", L.in_ns(ns, "kamailio", "-f", CFG, "-L", modules, "-DD", "-E",
                                      "-m", "32", "-M", "4", "-Y", f"{w}/kamailio-run",
                                      "-P", f"{w}/kamailio-run/kamailio.pid"),
                  f"{w}/kamailio.log", env=env)
    L.wait_listening(ns, "udp", "127.0.0.1:9060", proc=kam)
    time.sleep(0.5)  # its workers connect to the database

    # ---- what the sample holds
    r = subprocess.run([CLI, "messages", "--json", SAMPLE], capture_output=True, text=True)
    if r.returncode != 0:
        L.bail(f"messages {SAMPLE}: {r.stderr}")
    want = json.loads(r.stdout)["messages"]

    # ---- replay it over HEP
    r = subprocess.run(L.in_ns(ns, CLI, "capture", SAMPLE, "--hep-send", "127.0.0.1:9060",
                               "--hep-id", str(HEP_ID)),
                       capture_output=True, text=True, timeout=60)
    sent = f"{len(want)} SIP messages sent as HEP (0 failed)"
    L.ok(r.returncode == 0 and sent in r.stderr,
         f"capture {os.path.basename(SAMPLE)} --hep-send exits 0: {sent}",
         f"exit {r.returncode}: {r.stderr}")

    def count():
        return int(psql("homer", "-At", "-c", "SELECT count(*) FROM sip_capture").strip() or 0)
    end = time.monotonic() + 15
    while time.monotonic() < end and count() < len(want):
        time.sleep(0.1)
    time.sleep(0.3)  # anything beyond the expected rows arrives too
    rows = []
    out = psql("homer", "-At", "-F", "\x1f", "-R", "\x1e", "-c",
               "SELECT micro_ts, to_char(date, 'YYYY-MM-DD HH24:MI:SS'), method, reply_reason,"
               " callid, cseq, source_ip, source_port, destination_ip, destination_port,"
               " proto, family, type, node, encode(msg, 'hex') FROM sip_capture ORDER BY id")
    for rec in out.split("\x1e"):
        if rec.strip():
            rows.append(rec.rstrip("\n").split("\x1f"))
    L.diag(f"{len(want)} SIP messages in the sample, {len(rows)} rows in sip_capture")
    L.ok(len(rows) == len(want), f"{len(want)} rows in sip_capture, one a message",
         lambda: L.tail(kam[2]))

    def key(src, dst, first, callid, cseq, micro):
        return (src, dst, str(first), callid, cseq, int(micro))
    want_keys = Counter(key(m["src"], m["dst"], m["method"] or m["status"], m["call_id"],
                            m["cseq"], round(m["time"] * 1e6)) for m in want)
    got_keys = Counter(key(f"{r_[6]}:{r_[7]}", f"{r_[8]}:{r_[9]}", r_[2], r_[4], r_[5], r_[0])
                       for r_ in rows)
    missing, extra = want_keys - got_keys, got_keys - want_keys
    L.ok(not missing and not extra,
         "each message is stored with its addresses, ports, first line, Call-ID, CSeq "
         "and time to the microsecond (micro_ts)",
         lambda: f"missing {list(missing)[:4]}\nunexpected {list(extra)[:4]}")
    L.ok(rows and all(r_[13] == f"homer01:{HEP_ID}" for r_ in rows),
         f"every row carries the capture id {HEP_ID} (node homer01:{HEP_ID})",
         lambda: Counter(r_[13] for r_ in rows))
    # Kamailio's own codes: proto PROTO_UDP (1), family AF_INET (2), type
    # the first line's (1 request, 2 reply)
    L.ok(rows and all((r_[10], r_[11], r_[12]) == ("1", "2", "2" if r_[2].isdigit() else "1")
                      for r_ in rows),
         "every row: UDP, IPv4, request or reply as sent",
         lambda: Counter((r_[2], r_[10], r_[11], r_[12]) for r_ in rows))
    bad_date = [r_ for r_ in rows if r_[1] != datetime.datetime.fromtimestamp(
        int(r_[0]) // 1000000, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")]
    L.ok(rows and not bad_date, "date is micro_ts's second (UTC)",
         lambda: [(r_[0], r_[1]) for r_ in bad_date[:4]])
    by_time = {round(m["time"] * 1e6): m for m in want}
    bad_len = [r_ for r_ in rows if int(r_[0]) in by_time
               and len(bytes.fromhex(r_[14])) != by_time[int(r_[0])]["length"]]
    L.ok(rows and not bad_len, "each stored message has the length of the message sent",
         lambda: [(r_[0], len(bytes.fromhex(r_[14]))) for r_ in bad_len[:4]])
    reasons = Counter(r_[3] for r_ in rows if r_[3])
    want_reasons = Counter(m["reason"] for m in want if m["status"] is not None)
    L.ok(reasons == want_reasons, "replies keep their reason phrases",
         lambda: f"{reasons} != {want_reasons}")
    L.ok("ERROR" not in open(kam[2], errors="replace").read(),
         "Kamailio logged no error", lambda: L.tail(kam[2], 20))
    L.finish()


if __name__ == "__main__":
    main()
