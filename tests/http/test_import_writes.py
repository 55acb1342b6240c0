"""Writers never fail because an import is running (issue #17): while the CLI imports the 263k-row
corpus (bench/make_corpus.py over the shared UPR Info file), 4 clients sign in and write progress
updates through the API for the import's whole length. Every answer must be a success (no 500,
no 503), every acknowledged update must be in the database afterwards, exactly once, and the
import must be all or nothing for readers: during it, the search total stays at the records held
before it; after it, it is the corpus's row count computed here in Python."""
import concurrent.futures
import csv
import os
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import BIN, check, data, eq, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server, add_user, cli_token  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
tmp = tmpdir()
corpus = os.path.join(tmp, "corpus.csv")
subprocess.run([sys.executable, os.path.join(ROOT, "bench", "make_corpus.py"),
                data("uprinfo_recommendations_sessions01-14.csv"), corpus], check=True,
               capture_output=True)
with open(corpus, encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))[1:]
expected_records = len({tuple(r) for r in rows})  # exact duplicates are stored once

db = os.path.join(tmp, "writes.db")
small = os.path.join(tmp, "small.csv")
with open(small, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    with open(data("uprinfo_recommendations_sessions01-14.csv"), encoding="utf-8", newline="") as src:
        r = csv.reader(src)
        w.writerow(next(r))
        for i, row in zip(range(50), r):
            w.writerow(row)
run(db, "import", "-q", "--format", "uprinfo-csv", small)
run(db, "institution", "add", "MJ", "--name", "Ministerio de Justicia", "--type", "executive")
PW = "orange-river-candle-42"
users = [f"fp{i}" for i in range(4)]
for u in users:
    add_user(run, db, u, f"Focal {u}", ["focal_point"], institution="MJ", password=PW)
add_user(run, db, "coord", "Coordinator", ["coordinator"], institution="MJ", password=PW)
coord_token = cli_token(run, db, "coord")
tokens = {u: cli_token(run, db, u) for u in users}

server = Server(db)
try:
    coord = Client(server, coord_token)
    before = coord.get("/api/recommendations?per_page=50&facets=none").json()
    uids = [it["uid"] for it in before["items"]]
    held = before["total"]
    for uid in uids:
        coord.post("/api/assignments", json_body={"uid": uid, "institution":
                   coord.get("/api/institutions").json()["institutions"][0]["id"]})

    start = time.time()
    imp = subprocess.Popen([BIN, "--db", db, "import", "-q", "--format", "uprinfo-csv", corpus],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    statuses, acknowledged, totals_seen = {}, [], set()
    lock = threading.Lock()

    def note(status):
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    def worker(n):
        user = users[n]
        api = Client(server, tokens[user])
        k = 0
        while imp.poll() is None:
            c = Client(server)
            r = c.sign_in(user, PW)
            note(("sign-in", r.status))
            desc = f"{user} update {k} at {time.time() - start:.2f}s"
            r = api.post("/api/updates", json_body={"uid": uids[k % len(uids)], "date": "2026-11-20",
                                                    "measure_type": "policy", "description": desc})
            note(("update", r.status))
            if r.status == 201:
                with lock:
                    acknowledged.append((r.json()["id"], desc))
            r = api.get("/api/recommendations?per_page=1&facets=none")
            note(("search", r.status))
            if r.status == 200 and imp.poll() is None:
                with lock:
                    totals_seen.add(r.json()["total"])
            k += 1

    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        list(ex.map(worker, range(4)))
    out, err = imp.communicate()
    seconds = time.time() - start
    eq(imp.returncode, 0, f"the import of {len(rows):,} rows succeeds ({seconds:.1f} s)")
    print(f"     answers during the import: {dict(sorted(statuses.items()))}")
    bad = {k: v for k, v in statuses.items() if k[1] >= 500}
    eq(bad, {}, "no answer of 500 (or 503) during the import")
    eq(sum(v for (kind, s), v in statuses.items() if kind == "sign-in" and s != 303), 0,
       "every sign-in succeeds")
    eq(sum(v for (kind, s), v in statuses.items() if kind == "update" and s != 201), 0,
       "every write succeeds")
    check(len(acknowledged) >= 20, f"the clients wrote throughout ({len(acknowledged)} updates)")
    con = sqlite3.connect(db)
    stored = dict(con.execute("SELECT id, description FROM progress_update").fetchall())
    eq([a for a in acknowledged if stored.get(a[0]) != a[1]], [],
       "every acknowledged update is in the database with its text")
    eq(len(stored), len(acknowledged), "and nothing else (none twice)")
    con.close()
    # The import commits once, then checkpoints the WAL and reports before its process ends, so a
    # reader may see the whole import before poll() says it ended; what it must never see is a
    # part of it.
    check(held in totals_seen, f"readers saw the registry as it was while the import ran ({totals_seen})")
    check(totals_seen <= {held, expected_records},
          f"readers saw all of the import or none of it, never a part ({totals_seen})")
    total = coord.get("/api/recommendations?per_page=1&facets=none").json()["total"]
    eq(total, expected_records, "after it, every record at once (the 50 held were in the corpus)")
finally:
    server.stop()
finish()
