#!/usr/bin/env python3
"""Count test cases (not test binaries) in meson testlog.json files.

    count-tests.py TESTLOG.json...

Several logs add up (the whole suite and the fuzz smoke runs); a log that
does not exist counts as one failed case (that part of the suite did not
run).

A TAP test counts each "ok"/"not ok" line as one case ("# SKIP" ones are
skipped, not passed); any other test counts as one case. A test that
failed without reporting a failing case (a crash, a timeout) counts one
failure. The last line printed is "N passed, N failed".
"""
import json
import re
import sys

TAP = re.compile(r"^(not ok|ok)\b(.*)$")


def main(paths):
    passed = failed = skipped = 0
    failing = []
    for path in paths:
        try:
            f = open(path, encoding="utf-8")
        except FileNotFoundError:
            failed += 1
            failing.append(f"{path} (missing: not run)")
            continue
        with f:
            p, s, n, bad = count_log(f)
        passed += p
        skipped += s
        failed += n
        failing += bad
    for name in failing:
        print(f"FAILED: {name}")
    print(f"{skipped} skipped")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def count_log(f):
    passed = failed = skipped = 0
    failing = []
    for line in f:
        t = json.loads(line)
        result = t["result"]
        cases = [TAP.match(l) for l in t.get("stdout", "").splitlines()]
        cases = [m for m in cases if m]
        if result == "SKIP":
            skipped += 1
            continue
        if cases:
            p = sum(1 for m in cases if m.group(1) == "ok" and "# SKIP" not in m.group(2))
            s = sum(1 for m in cases if "# SKIP" in m.group(2))
            n = sum(1 for m in cases if m.group(1) == "not ok" and "# TODO" not in m.group(2))
            if result not in ("OK", "EXPECTEDFAIL") and n == 0:
                n = 1
            passed += p
            skipped += s
            failed += n
        elif result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        else:
            failed += 1
        if result not in ("OK", "EXPECTEDFAIL"):
            failing.append(f"{t['name']} ({result})")
    return passed, skipped, failed, failing


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
