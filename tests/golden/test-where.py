#!/usr/bin/env python3
"""sipladder-cli --where EXPR (the GUI's call filter) on calls, rtp,
ladder and capture: the calls and streams shown are exactly those an
independent reading of the filter's rules picks from the unfiltered JSON,
with the same ids. TAP output.

Usage: test-where.py CLI SAMPLES_DIR
"""
import csv
import io
import json
import os
import re
import subprocess
import sys

import tap
from tap import case

CLI, SAMPLES = sys.argv[1], sys.argv[2]
FILES = [os.path.join(SAMPLES, n) for n in ("failures.pcap", "flow3-redirect.pcap",
                                            "flow4-b2bua.pcap")]


def run(*args, ok=True):
    r = subprocess.run([CLI, *args], capture_output=True, text=True)
    if ok:
        assert r.returncode == 0, (args, r.returncode, r.stderr)
    return r


def all_calls():
    return json.loads(run("calls", "--json", *FILES).stdout)["calls"]


def state_of(c):
    if c["kind"] == "call":
        return c["state"]
    return f"{c['kind']} {c['result']}" if c["result"] else c["kind"]


def has(s, v):
    return s is not None and v.lower() in s.lower()


# The filter's rules (corr-filter.h), written out again: every word must
# match; key:value looks at one field.
def word_matches(c, w):
    key, _, v = w.partition(":")
    if key == "from" and v:
        return has(c["caller"], v) or has(c["caller_display"], v)
    if key == "to" and v:
        return has(c["callee"], v) or has(c["callee_display"], v)
    if key == "state" and v:
        return state_of(c).lower().startswith(v.lower())
    if key == "callid" and v:
        return any(has(i, v) for i in c["call_ids"])
    if key == "ip" and v:
        return any(e.rsplit(":", 1)[0].strip("[]") == v for e in c["endpoints"])
    return any(has(s, w) for s in (c["caller"], c["caller_display"], c["callee"],
                                   c["callee_display"], state_of(c), *c["call_ids"],
                                   *c["endpoints"]))


def expected_ids(calls, expr):
    return [c["id"] for c in calls if all(word_matches(c, w) for w in expr.split())]


EXPRS = ["state:busy", "to:1555123", "from:15551110001 state:c", "callid:fail-",
         "ip:10.0.0.40", "15551230003", "state:registration", "to:nobody", ""]


@case
def calls_json_and_ids():
    calls = all_calls()
    assert len(calls) >= 5, calls
    for expr in EXPRS:
        want = expected_ids(calls, expr)
        got = [c["id"] for c in json.loads(run("calls", "--json", "--where", expr,
                                               *FILES).stdout)["calls"]]
        assert got == want, (expr, got, want)
    # the filter picks something and leaves something for most of them
    assert 0 < len(expected_ids(calls, "state:busy")) < len(calls)
    assert expected_ids(calls, "to:nobody") == []


@case
def calls_text_and_csv():
    calls = all_calls()
    want = expected_ids(calls, "to:1555123")
    rows = list(csv.DictReader(io.StringIO(run("calls", "--csv", "--where", "to:1555123",
                                               *FILES).stdout)))
    assert [int(r["id"]) for r in rows] == want, (rows, want)
    text = run("calls", "--where", "to:1555123", *FILES).stdout.splitlines()
    ids = [int(l.split()[0]) for l in text[1:] if l[:1].isdigit()]
    assert ids == want, (ids, want)


@case
def rtp_streams_of_the_calls():
    every = json.loads(run("rtp", "--json", *FILES).stdout)["streams"]
    assert every, "no stream"
    calls = all_calls()
    for expr in ("to:15551230001", "state:busy", "to:nobody"):
        ids = set(expected_ids(calls, expr))
        want = [s["id"] for s in every if s["call"] in ids]
        got = json.loads(run("rtp", "--json", "--where", expr, *FILES).stdout)["streams"]
        assert [s["id"] for s in got] == want, (expr, got, want)
    assert [s for s in every if s["call"] in set(expected_ids(calls, "to:15551230001"))]
    rows = list(csv.DictReader(io.StringIO(run("rtp", "--csv", "--where", "state:completed",
                                               *FILES).stdout)))
    done = set(expected_ids(calls, "state:completed"))
    assert [int(r["id"]) for r in rows] == [s["id"] for s in every if s["call"] in done]


@case
def ladder_picks_what_matches():
    calls = all_calls()
    busy = expected_ids(calls, "state:busy")[0]
    out = run("ladder", "--where", "state:busy", *FILES).stdout
    assert out.startswith(f"Call {busy}: "), out[:80]
    # no call matches: the first entry that does, a registration
    reg = expected_ids(calls, "state:registration")[0]
    out = run("ladder", "--where", "state:registration", *FILES).stdout
    assert out.startswith(f"registration {reg}: "), out[:80]
    # --call N outside the filter, and nothing matching: an error, exit 1
    r = run("ladder", "--where", "state:busy", "--call", str(reg), *FILES, ok=False)
    assert r.returncode == 1 and "matching --where" in r.stderr, (r.returncode, r.stderr)
    r = run("ladder", "--where", "to:nobody", *FILES, ok=False)
    assert r.returncode == 1, r.returncode
    assert "no call matching --where in the input" in r.stderr, r.stderr
    # --all: every call that matches, in one ladder
    svg = run("ladder", "--all", "--where", "callid:fail-", "--format", "svg", *FILES).stdout
    ids = set(expected_ids(calls, "callid:fail-"))
    want = {i for c in calls if c["id"] in ids for i in c["call_ids"]}
    got = set(re.findall(r'data-call-id="([^"]*)"', svg))
    assert len(ids) >= 2 and got == want, (got, want)


def capture_lines(*args):
    r = run("capture", "--json", *args, *FILES)
    return r, [json.loads(l) for l in r.stdout.splitlines() if l.strip()]


@case
def capture_prints_only_matching_calls():
    # capture prints calls as they complete: its own list, filtered
    _, every = capture_lines()
    assert len(every) >= 5, every
    for expr, keep in (("to:1555123", lambda c: "1555123" in (c["callee"] or "")),
                       ("state:busy", lambda c: (c["state"] or "").startswith("busy"))):
        want = [c["call_id"] for c in every if keep(c)]
        r, got = capture_lines("--where", expr)
        assert [c["call_id"] for c in got] == want, (expr, got, want)
        assert 0 < len(want) < len(every), (expr, want)
        assert f"{len(want)} calls and entries printed" in r.stderr, r.stderr


@case
def help_names_it():
    for cmd in ("calls", "rtp", "ladder", "capture"):
        assert "--where=EXPR" in run(cmd, "--help").stdout, cmd


if __name__ == "__main__":
    sys.exit(tap.run())
