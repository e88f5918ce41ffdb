#!/usr/bin/env python3
"""End-to-end checks of sipladder-cli: usage, exit statuses, bad inputs,
truncated and compressed files, JSON shape. TAP output.

Usage: test-cli.py CLI SAMPLE_PCAP
"""
import gzip
import json
import os
import shutil
import subprocess
import sys

import tap
from tap import case

CLI, SAMPLE = sys.argv[1], sys.argv[2]


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True)


def messages_json(*files):
    r = run("messages", "--json", *files)
    return r, (json.loads(r.stdout)["messages"] if r.stdout.strip() else None)


@case
def help_and_version():
    r = run("--help")
    assert r.returncode == 0 and "messages" in r.stdout, r
    r = run("messages", "--help")
    assert r.returncode == 0 and "--json" in r.stdout, r
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("sipladder-cli "), r


@case
def usage_errors_exit_2():
    for args in ([], ["frobnicate"], ["messages"], ["messages", "--no-such-option", SAMPLE]):
        r = run(*args)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        assert r.stderr.strip(), args


@case
def missing_file_exit_1():
    r = run("messages", "/nonexistent/x.pcap")
    assert r.returncode == 1, r
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "/nonexistent/x.pcap" in lines[0], lines


@case
def bad_inputs_named(tmp):
    empty = os.path.join(tmp, "empty.pcap")
    open(empty, "wb").close()
    text = os.path.join(tmp, "notes.txt")
    with open(text, "w") as f:
        f.write("this is not a capture\n" * 10)
    header_cut = os.path.join(tmp, "cut-header.pcap")
    with open(SAMPLE, "rb") as f:
        data = f.read()
    with open(header_cut, "wb") as f:
        f.write(data[:10])
    for path, word in ((empty, "empty"), (text, "not a pcap"), (tmp, "directory"),
                       (header_cut, "")):
        r = run("messages", path)
        assert r.returncode == 1, (path, r.returncode)
        assert path in r.stderr and word in r.stderr, (path, r.stderr)
        assert r.stdout == "", r.stdout


@case
def truncated_mid_packet(tmp):
    full, msgs = messages_json(SAMPLE)
    assert full.returncode == 0 and msgs, full.stderr
    with open(SAMPLE, "rb") as f:
        data = f.read()
    cut = os.path.join(tmp, "cut.pcap")
    with open(cut, "wb") as f:
        f.write(data[:-5])  # the last record loses its end
    r, got = messages_json(cut)
    assert r.returncode == 1, r.returncode
    total = int(subprocess.run(["capinfos", "-c", "-M", SAMPLE], capture_output=True,
                               text=True).stdout.split()[-1]) if shutil.which("capinfos") else None
    last_good = (total - 1) if total else None
    expected = [m for m in msgs if last_good is None or m["frame"] <= last_good]
    strip = lambda ms: [{k: v for k, v in m.items() if k != "file"} for m in ms]
    assert strip(got) == strip(expected), (len(got), len(expected))
    assert len(got) < len(msgs), "the cut must lose the last message"
    assert "truncated" in r.stderr, r.stderr
    if last_good:
        assert f"frame {last_good}" in r.stderr, r.stderr


def pcap_records(path):
    """(global header, [(header, data)]) of a little-endian pcap."""
    import struct
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"\xd4\xc3\xb2\xa1", path
    recs, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack_from("<I", data, off + 8)[0]
        recs.append((bytearray(data[off:off + 16]), data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return bytearray(data[:24]), recs


def write_pcap(path, ghdr, recs):
    with open(path, "wb") as f:
        f.write(ghdr)
        for h, d in recs:
            f.write(h)
            f.write(d)


@case
def bad_inputs_every_command(tmp):
    """Each reading command names the file the same way and exits 1."""
    text = os.path.join(tmp, "notes2.txt")
    with open(text, "w") as f:
        f.write("not a capture either\n")
    svg = os.path.join(tmp, "x.svg")
    for cmd in (["calls"], ["call", "-c", "1"], ["stats"], ["rtp"], ["ladder", "-o", svg]):
        for path, word in ((text, "not a pcap"), (tmp, "directory"),
                           ("/nonexistent/y.pcap", "No such file")):
            r = run(*cmd, path)
            assert r.returncode == 1, (cmd, path, r.returncode, r.stderr)
            assert path in r.stderr and word in r.stderr, (cmd, path, r.stderr)
            assert "Traceback" not in r.stderr and "ERROR" not in r.stderr, r.stderr


@case
def small_snaplen(tmp):
    """Frames cut by the snaplen: the messages read are named incomplete
    (not malformed), one warning counts the cut frames, the rest is read."""
    import struct
    ghdr, recs = pcap_records(SAMPLE)
    struct.pack_into("<I", ghdr, 16, 120)
    cut = []
    for h, d in recs:
        h = bytearray(h)
        if len(d) > 120:
            d = d[:120]
            struct.pack_into("<I", h, 8, 120)
        cut.append((h, d))
    path = os.path.join(tmp, "snap120.pcap")
    write_pcap(path, ghdr, cut)
    r = run("messages", path)
    assert r.returncode == 0, (r.returncode, r.stderr)
    assert len(r.stdout.splitlines()) == len(run("messages", SAMPLE).stdout.splitlines())
    assert "MALFORMED" not in r.stderr, r.stderr
    assert "SIP message incomplete: the capture kept 120 of the frame's" in r.stderr, r.stderr
    warn = [l for l in r.stderr.splitlines() if "cut short by the capture's snaplen" in l]
    assert len(warn) == 1 and "snap120.pcap" in warn[0] and "at most 120 bytes" in warn[0], r.stderr


@case
def unknown_link_type(tmp):
    import struct
    ghdr, recs = pcap_records(SAMPLE)
    struct.pack_into("<I", ghdr, 20, 4242)
    path = os.path.join(tmp, "link4242.pcap")
    write_pcap(path, ghdr, recs)
    for cmd in ("messages", "calls"):
        r = run(cmd, path)
        assert r.returncode == 1, (cmd, r.returncode)
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        assert len(lines) == 1, lines
        assert "link4242.pcap: link type 4242 (unknown) is not supported" in lines[0], lines


@case
def no_permission(tmp):
    """An unreadable file: one line naming it. As root, the check runs as
    the user nobody (root reads anything)."""
    path = os.path.join(tmp, "secret.pcap")
    shutil.copy(SAMPLE, path)
    os.chmod(path, 0)
    os.chmod(tmp, 0o755)
    cmd = [CLI, "calls", path]
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            return "SKIP runuser not available to drop root"
        cmd = ["runuser", "-u", "nobody", "--"] + cmd
        # nobody must reach the program: build trees under a private home may not allow it
        probe = subprocess.run(["runuser", "-u", "nobody", "--", CLI, "--version"],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            return "SKIP the user nobody cannot run the program from here"
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 1, (r.returncode, r.stderr)
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and path in lines[0] and "Permission denied" in lines[0], lines


@case
def gzip_same_as_plain(tmp):
    gz = os.path.join(tmp, "sample.pcap.gz")
    with open(SAMPLE, "rb") as f, gzip.open(gz, "wb") as g:
        g.write(f.read())
    a = run("messages", SAMPLE)
    b = run("messages", gz)
    assert a.returncode == 0 and b.returncode == 0, b.stderr
    assert a.stdout == b.stdout and a.stdout, "gzip output differs"


@case
def pcapng_same_as_pcap(tmp):
    if not shutil.which("editcap"):
        return "SKIP editcap not installed"
    ng = os.path.join(tmp, "sample.pcapng")
    subprocess.run(["editcap", "-F", "pcapng", SAMPLE, ng], check=True)
    a = run("messages", SAMPLE)
    b = run("messages", ng)
    assert b.returncode == 0 and a.stdout == b.stdout, b.stderr


@case
def json_shape():
    r, msgs = messages_json(SAMPLE)
    assert r.returncode == 0 and msgs, r.stderr
    for m in msgs:
        for key, types in (("frame", int), ("time", float), ("src", str), ("dst", str),
                           ("transport", str), ("call_id", str), ("cseq", str),
                           ("method", (str, type(None))), ("status", (int, type(None))),
                           ("reason", (str, type(None)))):
            assert isinstance(m[key], types), (key, m[key])
        assert (m["method"] is None) == (m["status"] is not None), m
        assert ":" in m["src"] and ":" in m["dst"]
        assert m["transport"] in ("UDP", "TCP", "SCTP", "WS")
    frames = [m["frame"] for m in msgs]
    assert frames == sorted(frames), "messages out of frame order"


@case
def several_files():
    r, msgs = messages_json(SAMPLE, SAMPLE)
    one, single = messages_json(SAMPLE)
    assert r.returncode == 0 and len(msgs) == 2 * len(single)


@case
def text_line_per_message():
    r = run("messages", SAMPLE)
    _, msgs = messages_json(SAMPLE)
    lines = r.stdout.splitlines()
    assert len(lines) == len(msgs)
    for line, m in zip(lines, msgs):
        assert line.split()[0] == str(m["frame"])
        assert f"{m['src']} -> {m['dst']}" in line
        assert m["call_id"] in line


@case
def audio_wav_with_lost_packets(tmp):
    import struct
    streams = json.loads(run("rtp", "--json", SAMPLE).stdout)["streams"]
    s1 = streams[0]
    assert s1["codec"] == "PCMU", s1
    wav = os.path.join(tmp, "a.wav")
    r = run("audio", "--stream", "1", "-o", wav, SAMPLE)
    assert r.returncode == 0, r.stderr
    with open(wav, "rb") as f:
        data = f.read()
    assert data[:4] == b"RIFF" and data[8:16] == b"WAVEfmt ", data[:16]
    fmt, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[20:36])
    assert (fmt, channels, rate, bits) == (1, 1, 8000, 16)
    n = struct.unpack("<I", data[40:44])[0] // 2
    assert n == s1["packets"] * 160, (n, s1["packets"])
    if not shutil.which("editcap"):
        return "SKIP editcap not installed"
    # drop three RTP frames of that stream: the WAV keeps its length,
    # the gap is silence
    first = s1["first_frame"]
    cut = os.path.join(tmp, "lossy.pcap")
    subprocess.run(["editcap", SAMPLE, cut] + [str(first + k) for k in (40, 42, 44)], check=True)
    lossy = json.loads(run("rtp", "--json", cut).stdout)["streams"]
    assert sum(x["lost"] for x in lossy) == 3, [x["lost"] for x in lossy]
    wav2 = os.path.join(tmp, "b.wav")
    r = run("audio", "--stream", "1", "-o", wav2, cut)
    assert r.returncode == 0 and "lost packets as silence" in r.stderr, r.stderr
    with open(wav2, "rb") as f:
        data2 = f.read()
    assert len(data2) == len(data), (len(data2), len(data))
    lost1 = next(x["lost"] for x in lossy if x["src"] == s1["src"] and x["dst"] == s1["dst"])
    assert f", {lost1} lost packets as silence" in r.stderr, r.stderr


@case
def rtp_series_add_up():
    streams = json.loads(run("rtp", "--json", "--series", SAMPLE).stdout)["streams"]
    assert streams
    for st in streams:
        ps = st["per_second"]
        span = st["end"] - st["start"]
        assert len(ps) == int(span) + 1, (len(ps), span)
        assert sum(x["packets"] for x in ps) == st["packets"]
        assert sum(x["lost"] for x in ps) == max(st["lost"], 0)
        assert all(40 <= x["packets"] <= 55 for x in ps[:-1]), ps
    plain = json.loads(run("rtp", "--json", SAMPLE).stdout)["streams"]
    assert "per_second" not in plain[0]


@case
def audio_refuses_what_it_cannot_decode(tmp):
    g729 = os.path.join(os.path.dirname(SAMPLE), "flow4-b2bua.pcap")
    r = run("audio", "--stream", "1", "-o", os.path.join(tmp, "x.wav"), g729)
    assert r.returncode == 1 and "G729" in r.stderr, (r.returncode, r.stderr)
    r = run("audio", "--stream", "99", "-o", os.path.join(tmp, "x.wav"), SAMPLE)
    assert r.returncode == 1 and "no stream 99" in r.stderr, r.stderr
    r = run("audio", SAMPLE)
    assert r.returncode == 2


if __name__ == "__main__":
    sys.exit(tap.run())
