#!/usr/bin/env python3
"""Make the scaled UPR Info corpus (~263k rows, UHRI's size) for the import benchmark.

    python3 bench/make_corpus.py ../shared/data/uprinfo_recommendations_sessions01-14.csv OUT.csv

Every source row is written COPIES (10) times:
  * copy k = 0 is the original row, unchanged;
  * copy k >= 1 moves the recommendation to another State under review: the sorted list of
    distinct `To` values is rotated by k * ROTATION_STEP, and `To-Rgrp` / `To-Org` are taken
    from that State's own rows (so the record stays consistent); `Session` is shifted by
    k * SESSION_STEP (14) and wrapped into the sessions held so far (1 .. the last session of
    hrtrack's UPR calendar, data/vocab/upr_sessions.csv: hrtrack refuses a session that has not
    happened), so copy k lands in later cycles.
All other columns are kept. For a fixed k the rotation is a permutation of the States, and a
copy's State and session differ from every other copy's for the same row, so every copy is a
distinct record for hrtrack's identity rule (State + session + recommending State + normalised
text); the script checks this and stops with status 1 if it does not hold.

Deterministic: only the standard library, no randomness, rows in input order then copy order,
"\\r\\n" line ends and minimal quoting (csv module defaults, RFC 4180). Same input, same bytes:
the output's sha256 is printed.
"""
import csv
import hashlib
import sys

COPIES = 10
ROTATION_STEP = 19  # with the sessions wrapped, 17 lets 13 copies meet; the script checks
SESSION_STEP = 14


def last_session():
    import os
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "vocab",
                        "upr_sessions.csv")
    with open(path, encoding="utf-8", newline="") as f:
        return max(int(r["session"]) for r in csv.DictReader(f))


LAST_SESSION = last_session()


def shifted(session, k):
    return (session - 1 + k * SESSION_STEP) % LAST_SESSION + 1


def identity_key(to, session, frm, text):
    return (to, session, frm, " ".join(text.lower().split()))


def main(argv):
    if len(argv) != 3:
        print("usage: make_corpus.py SOURCE.csv OUT.csv", file=sys.stderr)
        return 2
    src, out = argv[1], argv[2]

    with open(src, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [r for r in reader]
    col = {name: i for i, name in enumerate(header)}
    for need in ("To", "To-Rgrp", "To-Org", "Text", "From", "Session"):
        if need not in col:
            print(f"make_corpus: {src}: missing column {need!r}", file=sys.stderr)
            return 1
    i_to, i_rgrp, i_org = col["To"], col["To-Rgrp"], col["To-Org"]
    i_text, i_from, i_session = col["Text"], col["From"], col["Session"]
    bad = [n for n, r in enumerate(rows, start=2) if len(r) != len(header)]
    if bad:
        print(f"make_corpus: {src}: rows with a wrong field count: {bad[:10]}", file=sys.stderr)
        return 1

    states = sorted({r[i_to] for r in rows})
    n_states = len(states)
    # A State's attributes as its own rows give them (first row wins; the source is consistent).
    attrs = {}
    inconsistent = set()
    for r in rows:
        a = (r[i_rgrp], r[i_org])
        if attrs.setdefault(r[i_to], a) != a:
            inconsistent.add(r[i_to])
    index = {s: i for i, s in enumerate(states)}
    sessions = [int(r[i_session]) for r in rows]

    # The source's own duplicates (same identity key), which every copy repeats.
    src_keys = {identity_key(r[i_to], r[i_session], r[i_from], r[i_text]) for r in rows}
    src_dup_keys = len(rows) - len(src_keys)
    src_exact_dups = len(rows) - len({tuple(r) for r in rows})

    h = hashlib.sha256()
    keys = set()
    written = 0

    class Hasher:
        def __init__(self, f):
            self.f = f

        def write(self, s):
            h.update(s.encode("utf-8"))
            return self.f.write(s)

    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(Hasher(f), lineterminator="\r\n")
        w.writerow(header)
        for r, session in zip(rows, sessions):
            base = index[r[i_to]]
            for k in range(COPIES):
                c = list(r)
                if k:
                    to = states[(base + k * ROTATION_STEP) % n_states]
                    c[i_to] = to
                    c[i_rgrp], c[i_org] = attrs[to]
                    c[i_session] = str(shifted(session, k))
                w.writerow(c)
                keys.add(identity_key(c[i_to], c[i_session], c[i_from], c[i_text]))
                written += 1

    expected = (len(rows) - src_dup_keys) * COPIES
    print(f"source rows:                {len(rows)}")
    print(f"source States under review: {n_states} (rotation step {ROTATION_STEP}, "
          f"session step {SESSION_STEP}, copies {COPIES})")
    print(f"source duplicate keys:      {src_dup_keys} ({src_exact_dups} exact duplicate rows, "
          f"{src_dup_keys - src_exact_dups} same key with other fields differing)")
    if inconsistent:
        print(f"warning: To-Rgrp/To-Org differ between rows of: {sorted(inconsistent)}")
    print(f"sessions:                   {min(sessions)}..{max(sessions)} -> "
          f"1..{LAST_SESSION} (wrapped)")
    print(f"corpus rows:                {written}")
    print(f"distinct identity keys:     {len(keys)} (expected (rows - duplicate keys) x {COPIES}"
          f" = {expected})")
    print(f"sha256:                     {h.hexdigest()}  {out}")
    if len(keys) != expected or written != len(rows) * COPIES:
        print("make_corpus: identity check FAILED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
