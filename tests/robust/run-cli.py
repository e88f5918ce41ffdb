#!/usr/bin/env python3
"""Runs sipladder-cli over captures and checks that nothing went wrong
inside it: no sanitizer report, no valgrind error or leak, no crash or
abort, an exit status of 0 (read) or 1 (input error), never a hang. TAP
output, one case per capture.

Usage: run-cli.py [--valgrind] [--jobs N] [--timeout S] CLI INPUT...

INPUT is a capture file or a folder, searched for captures (.pcap,
.pcapng, .cap, .pcap.gz). A folder that does not exist makes the whole
run a skip (exit 77): the public captures and corpora are read where
they lie. A capture FILE with FILE's stem + .keys beside it is read with
that TLS key log. With --wrap-corpora, each INPUT folder is a corpora
folder, wrapped into captures first (wrap-corpora.py).

Each capture goes through `rtp` (streams, calls, quality, findings) and
`ladder --all` to SVG (layout and rendering): between them, every stage.
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXTS = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz")
SAN_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
               "ERROR: UndefinedBehaviorSanitizer", "AddressSanitizer:DEADLYSIGNAL")
VALGRIND_ERR = 99


def captures(inputs):
    out = []
    for p in inputs:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                out += [os.path.join(root, f) for f in sorted(files) if f.endswith(EXTS)]
        else:
            out.append(p)
    return out


def run_one(cli, path, valgrind, timeout, tmp):
    keys = os.path.splitext(path)[0] + ".keys"
    extra = ["--tls-keylog", keys] if os.path.exists(keys) else []
    svg = os.path.join(tmp, f"{os.getpid()}-{abs(hash(path))}.svg")
    problems = []
    for args in (["rtp"], ["ladder", "--all", "-o", svg]):
        cmd = [cli] + args + extra + [path]
        if valgrind:
            cmd = ["valgrind", "-q", f"--error-exitcode={VALGRIND_ERR}", "--leak-check=full",
                   "--errors-for-leak-kinds=definite,indirect",
                   "--show-leak-kinds=definite,indirect", "--track-origins=no",
                   "--child-silent-after-fork=yes"] + cmd
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            problems.append(f"{args[0]}: no end after {timeout} s")
            continue
        err = r.stderr
        if r.returncode == VALGRIND_ERR and valgrind:
            problems.append(f"{args[0]}: valgrind reported errors")
        elif r.returncode not in (0, 1):
            problems.append(f"{args[0]}: exit status {r.returncode}")
        for m in SAN_MARKERS:
            if m in err:
                problems.append(f"{args[0]}: {m}")
        if valgrind and "==" in err and ("Invalid " in err or "uninitialised" in err
                                         or "definitely lost" in err):
            problems.append(f"{args[0]}: valgrind report")
        if problems:
            problems.append("stderr: " + " | ".join(err.strip().splitlines()[-12:]))
            break
        if args[0] == "ladder" and r.returncode == 0:
            try:
                size = os.path.getsize(svg)
            except OSError:
                size = 0
            if size == 0 and "no call" not in err:
                problems.append("ladder: exit 0 without an SVG")
        if os.path.exists(svg):
            os.unlink(svg)
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--valgrind", action="store_true")
    ap.add_argument("--wrap-corpora", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("cli")
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()
    missing = [p for p in a.inputs if not os.path.exists(p)]
    if missing:
        print(f"1..0 # SKIP not found: {' '.join(missing)}")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        inputs = a.inputs
        if a.wrap_corpora:
            wrapped = os.path.join(tmp, "corpora")
            for p in inputs:
                subprocess.run([sys.executable, os.path.join(HERE, "wrap-corpora.py"), p,
                                wrapped], check=True, stdout=subprocess.DEVNULL)
            inputs = [wrapped]
        files = captures(inputs)
        if not files:
            print("1..0 # SKIP no captures found")
            return 77
        print(f"1..{len(files)}", flush=True)
        failed = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            futs = [ex.submit(run_one, a.cli, f, a.valgrind, a.timeout, tmp) for f in files]
            for i, (f, fut) in enumerate(zip(files, futs), 1):
                problems = fut.result()
                name = os.path.relpath(f, tmp) if f.startswith(tmp) else f
                if problems:
                    failed += 1
                    print(f"not ok {i} {name}")
                    for p in problems:
                        print(f"# {p}")
                else:
                    print(f"ok {i} {name}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
