"""Reminders: the daily job with the clock set forward, against a real SMTP server on 127.0.0.1
(a small sink written here). The right users get the right notifications and e-mails: overdue
indicator updates and near or past action deadlines go to the institution's focal points, items
waiting for review to its validator or to the coordinators; nobody else gets anything, a second
run adds nothing, and users see their reminders when they sign in."""
import email
import email.header
import os
import socketserver
import sys
import threading

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import check, data, eq, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server, add_user, cli_token  # noqa: E402

received = []  # (recipients, message)


class Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept messages: what libcurl sends."""

    def handle(self):
        self.wfile.write(b"220 sink ESMTP\r\n")
        rcpt, mail_from = [], None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("utf-8", "replace").strip()
            up = cmd.upper()
            if up.startswith("EHLO") or up.startswith("HELO"):
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif up.startswith("MAIL FROM:"):
                mail_from = cmd[10:].strip()
                rcpt = []
                self.wfile.write(b"250 OK\r\n")
            elif up.startswith("RCPT TO:"):
                rcpt.append(cmd[8:].strip().strip("<>"))
                self.wfile.write(b"250 OK\r\n")
            elif up == "DATA":
                self.wfile.write(b"354 go on\r\n")
                body = b""
                while True:
                    part = self.rfile.readline()
                    if part in (b".\r\n", b".\n", b""):
                        break
                    body += part[1:] if part.startswith(b"..") else part
                received.append((rcpt, mail_from, body))
                self.wfile.write(b"250 queued\r\n")
            elif up == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class ThreadedSmtp(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


sink = ThreadedSmtp(("127.0.0.1", 0), Smtp)
threading.Thread(target=sink.serve_forever, daemon=True).start()
SMTP = f"smtp://127.0.0.1:{sink.server_address[1]}"

tmp = tmpdir()
db = os.path.join(tmp, "rem.db")
run(db, "import", "-q", "--format", "uprinfo-csv", data("uprinfo_recommendations_sessions01-14.csv"))
for code, typ in [("SEC", "executive"), ("MJ", "executive"), ("MS", "executive")]:
    run(db, "institution", "add", code, "--name", "Institución " + code, "--type", typ)
PW = "orange-river-candle-42"
USERS = {  # name: (roles, institution, e-mail)
    "coord": (["coordinator"], "SEC", "coord@sec.example"),
    "admin": (["administrator"], "SEC", ""),
    "fp_mj": (["focal_point"], "MJ", "fp@mj.example"),
    "fp_mj2": (["focal_point"], "MJ", "fp2@mj.example"),
    "val_mj": (["validator"], "MJ", "val@mj.example"),
    "fp_ms": (["focal_point"], "MS", "fp@ms.example"),
    "val_ms": (["validator"], "MS", "val@ms.example"),
    "gone": (["focal_point"], "MJ", "gone@mj.example"),
}
for name, (roles, inst, mail) in USERS.items():
    add_user(run, db, name, "Persona " + name, roles, institution=inst, password=PW, email=mail)
run(db, "user", "disable", "gone")
tok = {u: cli_token(run, db, u) for u in ["admin", "fp_mj", "fp_ms"]}

server = Server(db)
try:
    admin = Client(server, tok["admin"])
    inst = {i["code"]: i["id"] for i in admin.get("/api/institutions").json()["institutions"]}
    uids = [it["uid"] for it in admin.get("/api/recommendations?per_page=3").json()["items"]]
    for u, code in [(uids[0], "MJ"), (uids[1], "MS"), (uids[2], "MJ")]:
        admin.post("/api/assignments", json_body={"uid": u, "institution": inst[code], "role": "lead"})

    def wf(entity, item, *names):
        for n in names:
            r = admin.post(f"/api/workflow/{entity}/{item}", json_body={"transition": n})
            assert r.status == 200, r.text

    # MJ: a published plan, an indicator due every 3 months, an action ending 2027-01-15.
    p1 = admin.post("/api/plans", json_body={"uid": uids[0], "institution": inst["MJ"],
                                             "title": "Plan de justicia"}).json()["id"]
    admin.post(f"/api/plans/{p1}/indicators", json_body={"name": "Jueces capacitados",
                                                         "frequency_months": 3})
    admin.post(f"/api/plans/{p1}/actions", json_body={"description": "Capacitar jueces",
                                                      "end_date": "2027-01-15"})
    wf("plan", p1, "submit", "validate", "approve", "publish")
    # MS: a published plan with a yearly indicator updated recently and a far deadline.
    p2 = admin.post("/api/plans", json_body={"uid": uids[1], "institution": inst["MS"],
                                             "title": "Plan de salud"}).json()["id"]
    ind2 = admin.post(f"/api/plans/{p2}/indicators", json_body={"name": "Centros abiertos",
                                                                "frequency_months": 12}).json()["id"]
    admin.post(f"/api/plans/{p2}/actions", json_body={"description": "Abrir centros",
                                                      "end_date": "2028-12-31"})
    wf("plan", p2, "submit", "validate", "approve", "publish")
    u2 = admin.post("/api/updates", json_body={"uid": uids[1], "plan": p2, "institution": inst["MS"],
                                               "date": "2026-11-01", "measure_type": "policy",
                                               "description": "3 centros", "indicator": [ind2],
                                               "value": ["3"]}).json()["id"]
    wf("progress_update", u2, "submit", "validate", "approve", "publish")
    # Waiting for review: an MJ update submitted (its validator), an MS plan validated (the
    # coordinators).
    u3 = Client(server, tok["fp_mj"]).post("/api/updates", json_body={
        "uid": uids[2], "date": "2026-11-20", "measure_type": "training",
        "description": "Taller"}).json()["id"]
    Client(server, tok["fp_mj"]).post(f"/api/workflow/progress_update/{u3}",
                                      json_body={"transition": "submit"})
    p3 = admin.post("/api/plans", json_body={"uid": uids[1], "institution": inst["MS"],
                                             "title": "Plan complementario"}).json()["id"]
    wf("plan", p3, "submit", "validate")
finally:
    server.stop()


def reminders(today):
    out = run(db, "reminders", "--today", today, "--smtp", SMTP, "--from",
              "hrtrack@sec.example", "--base-url", "https://hrtrack.example").stdout
    return out


def kinds_by_user():
    import sqlite3
    con = sqlite3.connect(db)
    got = {}
    for name, kind in con.execute(
            "SELECT u.username, n.kind FROM notification n JOIN app_user u ON u.id = n.user_id"):
        got.setdefault(name, set()).add(kind)
    con.close()
    return got


# Tomorrow: only the reviews are due (the deadline is 48 days away, the indicator in 3 months).
out = reminders(__import__("datetime").date.today().isoformat())
eq(kinds_by_user(), {"val_mj": {"review"}, "coord": {"review"}},
   "today: the MJ validator and the coordinator are asked to review, nobody else")
eq(sorted(r for rcpt, _, _ in received for r in rcpt), ["coord@sec.example", "val@mj.example"],
   "today: one e-mail each to the validator and the coordinator")
check("2 e-mails sent" in out, f"the job says what it sent ({out.strip()})")

# The clock set forward to 2027-03-15: the MJ indicator (due 3 months after the plan) is
# overdue and the MJ action's end date has passed; MS's yearly indicator was updated in
# 2026-11 and its deadline is in 2028.
received.clear()
out = reminders("2027-03-15")
eq(kinds_by_user(), {"val_mj": {"review"}, "coord": {"review"},
                     "fp_mj": {"overdue_update", "deadline"},
                     "fp_mj2": {"overdue_update", "deadline"}},
   "2027-03-15: both MJ focal points are reminded of the overdue indicator and the deadline; "
   "MS, the disabled user and the administrator (no e-mail) get nothing")
by_rcpt = {rcpt[0]: body for rcpt, _, body in received}
eq(sorted(by_rcpt), ["fp2@mj.example", "fp@mj.example"],
   "2027-03-15: e-mails go to the two MJ focal points only (the others had theirs)")
msg = email.message_from_bytes(by_rcpt.get("fp@mj.example", b""))
subject = str(email.header.make_header(email.header.decode_header(msg.get("Subject", ""))))
eq(subject, "hrtrack: 2 reminders", "one message per user listing both reminders")
body = msg.get_payload(decode=True).decode("utf-8") if msg.get_payload() else ""
check("Jueces capacitados" in body and "Capacitar jueces" in body and
      "https://hrtrack.example/followup/" in body, "the message names the indicator, the action "
                                                    "and links to the follow-up page")
eq(msg.get("From"), "<hrtrack@sec.example>", "sent from the configured address")

# Running the job again the same day adds nothing and sends nothing.
received.clear()
out = reminders("2027-03-15")
check(out.startswith("0 new reminders; 0 e-mails sent"), f"a second run adds nothing ({out.strip()})")
eq(received, [], "a second run sends nothing")

# Users see their reminders on sign-in.
server = Server(db)
try:
    c = Client(server)
    eq(c.sign_in("fp_mj", PW).status, 303, "the focal point signs in")
    page = c.get("/account").text
    check('href="/reminders"' in page and '<span class="badge">2</span>' in page,
          "the menu shows 2 unread reminders after sign-in")
    rem = c.get("/reminders").text
    check("Jueces capacitados" in rem and "Capacitar jueces" in rem, "the reminders page lists them")
    api = Client(server, tok["fp_ms"]).get("/api/reminders").json()["reminders"]
    eq(api, [], "the MS focal point has no reminder")
finally:
    server.stop()
sink.shutdown()
finish()
