"""Crash safety: the server is killed with SIGKILL in the middle of a batch of progress updates
(four clients writing at once, each update one transaction: the update, three indicator values
and their change-log rows). After the kill, every update the server acknowledged is there,
whole; no update is half-written; the database passes SQLite's integrity check; and the
server starts again on it."""
import os
import signal
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import check, data, eq, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server, add_user, cli_token  # noqa: E402

tmp = tmpdir()
db = os.path.join(tmp, "crash.db")
run(db, "import", "-q", "--format", "uprinfo-csv", data("uprinfo_recommendations_sessions01-14.csv"))
run(db, "institution", "add", "MJ", "--name", "Ministerio de Justicia", "--type", "executive")
add_user(run, db, "admin", "Admin", ["administrator"])
add_user(run, db, "fp", "Focal", ["focal_point"], institution="MJ")
admin_token, fp_token = cli_token(run, db, "admin"), cli_token(run, db, "fp")

server = Server(db)
acked = {}  # update id -> (description, values)
lock = threading.Lock()
stop = threading.Event()
errors = []
try:
    admin = Client(server, admin_token)
    mj = [i["id"] for i in admin.get("/api/institutions").json()["institutions"]][0]
    uids = [it["uid"] for it in admin.get("/api/recommendations?per_page=50").json()["items"]]
    cid = admin.post("/api/clusters", json_body={"name": "batch", "uid": uids}).json()["id"]
    admin.post("/api/assignments", json_body={"cluster": cid, "institution": mj, "role": "lead"})
    plan = admin.post("/api/plans", json_body={"cluster": cid, "institution": mj,
                                               "title": "Plan"}).json()["id"]
    inds = [admin.post(f"/api/plans/{plan}/indicators", json_body={"name": f"i{k}"}).json()["id"]
            for k in range(3)]

    def writer(n):
        c = Client(server, fp_token)
        k = 0
        while not stop.is_set():
            k += 1
            desc = f"batch update {n}-{k}"
            values = [f"{n}.{k}.{j}" for j in range(3)]
            try:
                r = c.post("/api/updates", json_body={
                    "uid": uids[k % len(uids)], "plan": plan, "date": "2026-11-20",
                    "measure_type": "administrative", "description": desc,
                    "indicator": inds, "value": values})
            except Exception:
                return  # the server is gone
            if r.status == 201:
                with lock:
                    acked[r.json()["id"]] = (desc, values)
            else:
                errors.append(r.status)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while len(acked) < 150 and time.time() < deadline:
        time.sleep(0.01)
    os.kill(server.proc.pid, signal.SIGKILL)  # in the middle of the batch
    server.proc.wait()
    stop.set()
    for t in threads:
        t.join()
finally:
    server.stop()

check(len(acked) >= 150, f"{len(acked)} updates acknowledged before the kill")
eq(errors, [], "no write was refused before the kill")
con = sqlite3.connect(db)
eq(con.execute("PRAGMA integrity_check").fetchone()[0], "ok", "SQLite integrity check after SIGKILL")
rows = {i: d for i, d in con.execute(
    "SELECT id, description FROM progress_update WHERE description LIKE 'batch update %'")}
values = {}
for uid_, ind, v in con.execute("SELECT update_id, indicator_id, value FROM indicator_value"):
    values.setdefault(uid_, {})[ind] = v
lost = [i for i in acked if i not in rows]
eq(lost, [], "every acknowledged update survived")
wrong = [i for i, (d, vals) in acked.items()
         if rows.get(i) != d or [values.get(i, {}).get(ind) for ind in inds] != vals]
eq(wrong, [], "every acknowledged update is whole (description and its three values)")
half = [i for i in rows if len(values.get(i, {})) != 3]
eq(half, [], f"no half-written update among the {len(rows)} stored")
logged = {int(e) for (e,) in con.execute(
    "SELECT entity_id FROM change_log WHERE entity = 'progress_update' AND field = '*'")}
eq(sorted(set(rows) - logged), [], "every stored update has its change-log entry")
check(len(rows) >= len(acked), f"{len(rows)} stored >= {len(acked)} acknowledged "
      "(a write may commit just before its answer is lost)")
con.close()

again = Server(db)
try:
    r = Client(again, fp_token).get(f"/api/plans/{plan}")
    eq(r.status, 200, "the server starts again on the database")
finally:
    again.stop()
finish()
