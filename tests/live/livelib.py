"""Shared plumbing of the live tests (tests/live/, suite 'live').

Each test runs its peers (SIPp, Kamailio, PostgreSQL, tcpdump) and
sipladder in network namespaces of its own, named after the test's process
id, so that nothing it does reaches the host's network and fixed ports
(5060, 9060) never collide with anything. Everything it starts is recorded
here and ended on exit, on failure, on a timeout (meson sends SIGTERM) and
on Ctrl+C: processes by their id, then whatever is still in its
namespaces, then the namespaces and the work directory (kept, and named on
stderr, when the test failed and SL_LIVE_KEEP is set).

Output is TAP. Exit status: 0 every case passed, 1 a case failed, 77 not
root or network namespaces impossible here (skip), 99 the set-up broke
(a peer did not start: that is an error, never a skip).
"""
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
ERROR = 99

_procs = []        # (Popen, name) started by the test
_namespaces = []   # namespace names made by the test
_cleanups = []     # other callables, run last first
_work = None
_planned = 0
_ran = 0
_failed = 0


# ------------------------------------------------------------------ TAP
def plan(n):
    global _planned
    _planned = n
    print(f"1..{n}", flush=True)


def diag(text):
    for line in str(text).splitlines() or [""]:
        print(f"# {line}", flush=True)


def ok(cond, desc, detail=None):
    """One TAP case; @detail (text or a callable giving it) is printed
    as a diagnostic when the case fails."""
    global _ran, _failed
    _ran += 1
    if cond:
        print(f"ok {_ran} - {desc}", flush=True)
    else:
        _failed += 1
        print(f"not ok {_ran} - {desc}", flush=True)
        if detail is not None:
            diag(detail() if callable(detail) else detail)
    return bool(cond)


def skip_all(reason):
    print(f"1..0 # SKIP {reason}", flush=True)
    sys.exit(SKIP)


def bail(reason):
    """The set-up broke: not a skip, an error (exit 99)."""
    print(f"Bail out! {reason}", flush=True)
    sys.exit(ERROR)


def finish():
    while _ran < _planned:
        ok(False, "not reached")
    sys.exit(1 if _failed else 0)


# ------------------------------------------------------------------ set-up
def require_root_and_netns():
    """Skips (77) unless root and able to make a network namespace."""
    if os.geteuid() != 0:
        skip_all("needs root (network namespaces, packet capture)")
    if not shutil.which("ip"):
        bail("iproute2 (ip) is not installed: run tools/setup")
    name = f"slp{os.getpid()}"
    r = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True)
    if r.returncode != 0:
        skip_all(f"network namespaces are not possible here: {r.stderr.strip()}")
    subprocess.run(["ip", "netns", "del", name], capture_output=True)


def require_programs(*names):
    missing = [n for n in names if not shutil.which(n)]
    if missing:
        bail("missing " + ", ".join(missing) + " (Debian packages installed by tools/setup)")


def work_dir(tag):
    """A fresh directory for this test's files, readable by every user
    (PostgreSQL and 'nobody' run from it too)."""
    global _work
    _work = tempfile.mkdtemp(prefix=f"sipladder-live-{tag}.")
    os.chmod(_work, 0o755)
    return _work


def at_cleanup(fn):
    _cleanups.append(fn)


def _kill(p, name):
    if p.poll() is not None:
        return
    try:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            diag(f"{name} (pid {p.pid}) did not end")
    except ProcessLookupError:
        pass


def _cleanup():
    for p, name in reversed(_procs):
        _kill(p, name)
    for fn in reversed(_cleanups):
        try:
            fn()
        except Exception as e:  # clean up the rest anyway
            diag(f"clean-up: {e}")
    for ns in reversed(_namespaces):
        # whatever still runs there was started by this test (children of
        # our processes): end it by id, then remove the namespace
        r = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
        for pid in r.stdout.split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    if _work and os.path.isdir(_work):
        if _failed and os.environ.get("SL_LIVE_KEEP"):
            print(f"live test: files kept in {_work}", file=sys.stderr)
        else:
            shutil.rmtree(_work, ignore_errors=True)


def _on_signal(sig, frame):
    raise SystemExit(128 + sig)


atexit.register(_cleanup)
for _s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_s, _on_signal)


# ------------------------------------------------------------------ network
def netns(suffix):
    """A new network namespace with lo up and IPv6 off (no neighbour or
    router discovery traffic in the captures)."""
    name = f"sl{os.getpid()}{suffix}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    _namespaces.append(name)
    for cmd in (["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"],
                ["sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"],
                ["ip", "link", "set", "lo", "up"]):
        subprocess.run(["ip", "netns", "exec", name, *cmd], check=True)
    return name


def in_ns(ns, *cmd):
    return ["ip", "netns", "exec", ns, *cmd] if ns else list(cmd)


def veth(ns_a, if_a, addr_a, ns_b, if_b, addr_b):
    """A veth pair: @if_a (address @addr_a, CIDR) in @ns_a, @if_b in @ns_b."""
    subprocess.run(["ip", "link", "add", if_a, "netns", ns_a, "type", "veth",
                    "peer", "name", if_b, "netns", ns_b], check=True)
    for ns, ifn, addr in ((ns_a, if_a, addr_a), (ns_b, if_b, addr_b)):
        subprocess.run(in_ns(ns, "ip", "addr", "add", addr, "dev", ifn), check=True)
        subprocess.run(in_ns(ns, "ip", "link", "set", ifn, "up"), check=True)
    for ns, ifn in ((ns_a, if_a), (ns_b, if_b)):
        wait_for(lambda: "state UP" in subprocess.run(
            in_ns(ns, "ip", "-o", "link", "show", ifn), capture_output=True,
            text=True).stdout, 5, f"{ifn} up")


def wait_for(cond, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    bail(f"timed out waiting for {what}")


def listening(ns, proto, addr):
    """True when a socket listens on @addr (IP:PORT) for @proto (udp/tcp)."""
    flag = "-lun" if proto == "udp" else "-ltn"
    out = subprocess.run(in_ns(ns, "ss", flag), capture_output=True, text=True).stdout
    return any(line.split()[3] == addr for line in out.splitlines()[1:] if len(line.split()) > 3)


def wait_listening(ns, proto, addr, timeout=10, proc=None):
    def cond():
        if proc is not None and proc[0].poll() is not None:
            bail(f"{proc[1]} ended (exit {proc[0].returncode}) before listening on {addr}: "
                 + tail(proc[2]))
        return listening(ns, proto, addr)
    wait_for(cond, timeout, f"{proto} {addr} in {ns}")


def ifindex(ns, ifname):
    out = subprocess.run(in_ns(ns, "cat", f"/sys/class/net/{ifname}/ifindex"),
                         capture_output=True, text=True, check=True).stdout
    return int(out)


def packet_sockets(ns, ifname):
    """How many packet sockets (capturers) are bound to @ifname in @ns."""
    idx = ifindex(ns, ifname)
    out = subprocess.run(in_ns(ns, "cat", "/proc/net/packet"), capture_output=True,
                         text=True).stdout
    n = 0
    for line in out.splitlines()[1:]:
        f = line.split()
        if len(f) >= 5 and int(f[4]) == idx:
            n += 1
    return n


# ------------------------------------------------------------------ processes
def start(name, cmd, log, env=None, cwd=None, stdout=None):
    """Starts @cmd in the background, its stderr (and stdout unless
    @stdout is a path) to @log. Returns (Popen, name, log)."""
    err = open(log, "wb")
    out = open(stdout, "wb") if stdout else err
    p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                         env=env, cwd=cwd)
    err.close()
    if stdout:
        out.close()
    _procs.append((p, name))
    return (p, name, log)


def track(popen, name):
    """Records a process started elsewhere, to be ended on exit."""
    _procs.append((popen, name))


def stop(proc, sig=signal.SIGINT, timeout=15):
    """Sends @sig and waits; returns the exit status."""
    p = proc[0]
    if p.poll() is None:
        p.send_signal(sig)
    try:
        return p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return -9


def wait(proc, timeout):
    try:
        return proc[0].wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc[0].kill()
        proc[0].wait()
        return None


def tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-n:])


def read_json(path, key):
    with open(path) as f:
        text = f.read()
    if not text.strip():
        return None
    return json.loads(text)[key]


def cli_env(helper=None):
    env = dict(os.environ)
    if helper:
        env["SIPLADDER_CAPTURE"] = helper
    return env


def ulaw_tone(path, seconds=4.0, freq=440.0):
    """Raw 8 kHz G.711 u-law of a sine tone (as samples/regenerate makes
    with sox): SIPp's rtp_stream sends it as PT 0, 160 bytes every 20 ms."""
    import math
    out = bytearray()
    for i in range(int(8000 * seconds)):
        s = int(16000 * math.sin(2 * math.pi * freq * i / 8000))
        out.append(_lin2ulaw(s))
    with open(path, "wb") as f:
        f.write(out)


def _lin2ulaw(s):
    # G.711 u-law (ITU-T G.711, the usual segment encoder)
    bias, clip = 0x84, 32635
    sign = 0x80 if s < 0 else 0
    if s < 0:
        s = -s
    s = min(s, clip) + bias
    exp = 7
    mask = 0x4000
    while exp > 0 and not (s & mask):
        exp -= 1
        mask >>= 1
    mant = (s >> (exp + 3)) & 0x0F
    return ~(sign | (exp << 4) | mant) & 0xFF


def strip_keys(obj, keys):
    """@obj without the given keys at any depth."""
    if isinstance(obj, dict):
        return {k: strip_keys(v, keys) for k, v in obj.items() if k not in keys}
    if isinstance(obj, list):
        return [strip_keys(v, keys) for v in obj]
    return obj


def first_difference(a, b, path="$"):
    """Where two JSON values first differ, as text (None when equal)."""
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'second' if k not in a else 'first'}"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def read_json_text(text, key):
    if not text.strip():
        return None
    return json.loads(text)[key]
