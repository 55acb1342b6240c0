"""Helpers for the CLI tests: run the real hrtrack binary on a fresh database in a temp dir.

Expected values are always computed here, independently, from the source files with Python's
csv/json modules - never taken from hrtrack's own output.
"""
import json
import os
import subprocess
import sys
import tempfile

BIN = os.environ["HRTRACK_BIN"]
DATA = os.environ["HRTRACK_SHARED_DATA"]
FIXTURES = os.environ.get("HRTRACK_FIXTURES", "")

failures = []


def data(name):
    return os.path.join(DATA, name)


def run(db, *args, ok=True):
    p = subprocess.run([BIN, "--db", db, *args], capture_output=True, text=True)
    if ok and p.returncode != 0:
        raise AssertionError(f"hrtrack {' '.join(args)} exited {p.returncode}:\n{p.stderr}")
    return p


def stats(db, *where):
    args = ["stats", "--json", "--top", "0"]
    for w in where:
        args += ["--where", w]
    return json.loads(run(db, *args).stdout)


def export_json(db, tmp):
    out = os.path.join(tmp, "export.json")
    run(db, "export", "--format", "json", "--out", out)
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def eventually(fn, want, timeout=15.0):
    """Calls fn() until it returns `want` or `timeout` seconds pass: the search index is rebuilt
    in the background, so a change shows within about a second (a sanitizer build is slower).
    Returns (the last value, seconds taken)."""
    import time
    t0 = time.monotonic()
    while True:
        got = fn()
        if got == want or time.monotonic() - t0 > timeout:
            return got, time.monotonic() - t0
        time.sleep(0.05)


def check(cond, msg):
    if cond:
        print(f"ok   {msg}")
    else:
        print(f"FAIL {msg}")
        failures.append(msg)


def eq(actual, expected, msg):
    check(actual == expected, f"{msg}: expected {expected!r}, got {actual!r}")


def tmpdir():
    return tempfile.mkdtemp(prefix="hrtrack-test-")


def finish():
    total = len([1 for _ in failures])
    if total:
        print(f"{total} check(s) failed:")
        for f in failures:
            print("  " + f)
        sys.exit(1)
    print("all checks passed")
