"""Shared by the public-capture checks: where ../shared is, the counts of
captures/public/INDEX.md, and running the CLI for JSON."""
import json
import os
import re
import subprocess

COLUMNS = {"Pkts": 5, "SIP": 6, "Calls": 7, "RTP": 8}


def capture_path(capture):
    """The capture's path, or None when the shared folder lacks it."""
    shared = os.environ.get("SL_SHARED_DIR", "../shared")
    path = os.path.join(shared, "captures", "public", capture)
    return path if os.path.isfile(path) else None


def index_count(capture, column):
    """The INDEX.md figure of @column ("SIP", "Calls", "RTP", "Pkts")."""
    shared = os.environ.get("SL_SHARED_DIR", "../shared")
    with open(os.path.join(shared, "captures", "public", "INDEX.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\| `([^`]+)` \|", line)
            cells = [c.strip() for c in line.split("|")]
            # the licence table names folders and has fewer cells
            if m and m.group(1) == capture and len(cells) >= 10:
                return int(cells[COLUMNS[column]].rstrip("*"))
    raise KeyError(capture)


def cli_json(cli, args, path, key):
    """Runs `cli ARGS... --json PATH` and returns its list @key, or raises
    RuntimeError with the exit status and stderr."""
    run = subprocess.run([cli, *args, "--json", path], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"exit status {run.returncode}\n{run.stderr}")
    return json.loads(run.stdout)[key]


def prepare(cli, capture, column, args, key):
    """The common start of a check: (path, INDEX.md figure, the CLI's
    list), or an exit status to return at once: 77 when the capture is
    absent (skip), 1 when the CLI failed."""
    path = capture_path(capture)
    if path is None:
        print(f"skip: {capture} is absent")
        return 77
    try:
        items = cli_json(cli, args, path, key)
    except RuntimeError as e:
        print(f"FAIL: {e}")
        return 1
    return path, index_count(capture, column), items
