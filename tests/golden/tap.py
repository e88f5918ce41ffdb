"""A small TAP runner shared by the golden test scripts: @case marks a
test function, run() runs them in order and returns the exit status.

A case passes when it returns; it fails on any exception (an assertion or
a crash of the CLI), printed as TAP comments. A case may return "SKIP
reason" to be reported as skipped. A case taking one argument gets a
temporary folder that lives for the whole run."""
import tempfile

_cases = []


def case(fn):
    _cases.append(fn)
    return fn


def run():
    print(f"1..{len(_cases)}")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, fn in enumerate(_cases, 1):
            try:
                res = fn(tmp) if fn.__code__.co_argcount else fn()
                if isinstance(res, str) and res.startswith("SKIP"):
                    print(f"ok {i} {fn.__name__} # {res}")
                else:
                    print(f"ok {i} {fn.__name__}")
            except Exception as e:  # an assertion or a crash of the CLI
                failed += 1
                print(f"not ok {i} {fn.__name__}")
                for line in repr(e).splitlines():
                    print(f"# {line}")
    return 1 if failed else 0
