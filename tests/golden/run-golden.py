#!/usr/bin/env python3
"""Golden test: run the CLI on a sample and compare with the expected file.

Usage: run-golden.py CLI SAMPLE EXPECTED [--regenerate] [-- COMMAND ARG...]
The expected file is the exact output of `sipladder-cli COMMAND ARG...
SAMPLE` (default COMMAND: messages; the sample path is relative to the
source root, so the output does not depend on where the tree is). Any
difference fails and is shown as a unified diff.
"""
import difflib
import os
import subprocess
import sys


def main():
    cli, sample, expected = sys.argv[1:4]
    rest = sys.argv[4:]
    command = ["messages"]
    if "--" in rest:
        command = rest[rest.index("--") + 1:]
        rest = rest[:rest.index("--")]
    regenerate = "--regenerate" in rest
    root = os.environ.get("SL_SOURCE_DIR", os.getcwd())
    rel = os.path.relpath(sample, root)
    run = subprocess.run([os.path.abspath(cli), *command, rel], cwd=root,
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"FAIL: exit status {run.returncode}: {run.stderr}")
        return 1
    if regenerate:
        with open(expected, "w", encoding="utf-8") as f:
            f.write(run.stdout)
        print(f"wrote {expected}")
        return 0
    with open(expected, encoding="utf-8") as f:
        want = f.read()
    if run.stdout == want:
        print(f"{' '.join(command)} {rel}: {len(want.splitlines())} lines as expected")
        return 0
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), run.stdout.splitlines(True),
                                               expected, "actual"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
