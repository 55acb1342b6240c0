"""Security tests through the real server: CSRF, a focal point changing ids, session rotation,
throttling that refuses before checking the hash, secrets stored hashed, disabling that takes
effect at once, one-time resets, safe redirects, cookie attributes, and the change log."""
import csv
import hashlib
import io
import os
import sqlite3
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import FIXTURES, check, eq, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server, add_user, cli_token  # noqa: E402

tmp = tmpdir()
db = os.path.join(tmp, "sec.db")
run(db, "import", "-q", "--format", "csv", os.path.join(FIXTURES, "hostile.csv"))
for code, typ in [("A", "executive"), ("B", "executive"), ("CSO1", "civil_society")]:
    run(db, "institution", "add", code, "--name", f"Institution {code}", "--type", typ)
PW = "orange-river-candle-42"
add_user(run, db, "admin", "Admin Person", ["administrator"], password=PW)
add_user(run, db, "coord", "Coordinator Person", ["coordinator"], institution="A", password=PW)
add_user(run, db, "fpa", "Focal A", ["focal_point"], institution="A", password=PW)
add_user(run, db, "fpb", "Focal B", ["focal_point"], institution="B", password=PW,
         email="focal.b@example.org")
add_user(run, db, "victim", "Victim Person", ["focal_point"], institution="B", password=PW)
CSO_NAME, CSO_EMAIL = "Rosa Defensora", "rosa@defensores.example"
add_user(run, db, "rosa", CSO_NAME, ["civil_society"], institution="CSO1", password=PW,
         email=CSO_EMAIL)
admin_token = cli_token(run, db, "admin")

server = Server(db)
try:
    ids = {i["code"]: i["id"] for i in Client(server, admin_token).get("/api/institutions").json()[
        "institutions"]}

    # ---------- sign-in, session rotation, cookie attributes ----------
    c = Client(server)
    r = c.get("/login")
    eq(r.status, 200, "sign-in page")
    pre = [h for h in r.header_all("Set-Cookie") if h.startswith("hrt_csrf=")]
    check(pre and "HttpOnly" in pre[0] and "SameSite=Lax" in pre[0],
          "the anonymous CSRF cookie is HttpOnly and SameSite")
    r = c.sign_in("fpa", PW)
    eq(r.status, 303, "sign-in redirects")
    set_cookie = [h for h in r.header_all("Set-Cookie") if h.startswith("hrt_session=")]
    check(set_cookie and "HttpOnly" in set_cookie[0] and "SameSite=Lax" in set_cookie[0] and
          "Secure" not in set_cookie[0], "session cookie: HttpOnly, SameSite=Lax (no Secure on http)")
    first = c.cookie("hrt_session")
    eq(c.get("/api/me").json()["username"], "fpa", "the session acts as fpa")
    r = c.sign_in("fpa", PW)
    second = c.cookie("hrt_session")
    check(first and second and first != second, "the session id changes at sign-in")
    stale = Client(server)
    stale.set_cookie("hrt_session", first)
    eq(stale.get("/api/me").status, 401, "the session replaced at sign-in no longer works")

    # ---------- CSRF ----------
    eq(c.post("/account/password", form={"current_password": PW,
                                         "new_password": "a-new-long-passphrase"}).status,
       403, "POST without a CSRF token -> 403")
    eq(c.post("/account/password", form={"current_password": PW,
                                         "new_password": "a-new-long-passphrase",
                                         "csrf": "forged-token-forged-token-forged-token"}).status,
       403, "POST with a wrong CSRF token -> 403")
    other = Client(server)
    other_token = other.csrf("/login")
    eq(c.post("/account/password", form={"current_password": PW,
                                         "new_password": "a-new-long-passphrase",
                                         "csrf": other_token}).status,
       403, "POST with another visitor's CSRF token -> 403")
    eq(Client(server).post("/login", form={"username": "fpa", "password": PW}).status, 403,
       "sign-in form without its CSRF token -> 403")
    eq(c.post("/api/institutions", json_body={"code": "Z", "name": "Z", "type": "other"}).status,
       403, "API write with the session cookie but no X-CSRF-Token -> 403")
    eq(c.get("/api/me").json()["username"], "fpa", "the session survived the refused requests")

    # ---------- a focal point changing ids ----------
    eq(c.get(f"/institutions/{ids['A']}").status, 200, "fpa reads its own institution")
    eq(c.get(f"/institutions/{ids['B']}").status, 403, "fpa cannot read institution B's page")
    eq(c.get(f"/api/institutions/{ids['B']}").status, 403, "fpa cannot read B through the API")
    eq(c.get(f"/api/institutions/{ids['B']}/users").status, 403, "fpa cannot list B's users")
    page = c.get(f"/institutions/{ids['A']}").text
    csrf = c.csrf("/account")
    eq(c.post(f"/institutions/{ids['B']}", form={"code": "B", "name": "Hijacked", "type": "executive",
                                                 "csrf": csrf}).status,
       403, "fpa cannot edit institution B (id changed in the form address)")
    victim_id = [u["id"] for u in Client(server, admin_token).get(
        f"/api/institutions/{ids['B']}/users").json()["users"] if u["username"] == "victim"][0]
    eq(c.post(f"/users/{victim_id}/disable", form={"csrf": csrf}).status, 403,
       "fpa cannot disable a user of B")
    eq(c.post(f"/users/{victim_id}/reset", form={"csrf": csrf}).status, 403,
       "fpa cannot issue a reset link for a user of B")
    eq(c.get(f"/users/{victim_id}").status, 403, "fpa cannot open a user of B")
    check("Hijacked" not in Client(server, admin_token).get(f"/api/institutions/{ids['B']}").text,
          "institution B is unchanged")
    check("focal.b@example.org" not in c.get(f"/institutions/{ids['A']}").text,
          "B's e-mail addresses do not appear on A's page")

    # ---------- throttling: the 11th wrong password in a minute is refused unchecked ----------
    t = Client(server)
    times = []
    for i in range(10):
        start = time.perf_counter()
        r = t.sign_in("victim", f"wrong password {i}")
        times.append(time.perf_counter() - start)
        if r.status != 401:
            check(False, f"wrong password {i + 1} -> 401 (got {r.status})")
    start = time.perf_counter()
    r = t.sign_in("victim", PW)  # the right password, but the account is throttled
    t11 = time.perf_counter() - start
    eq(r.status, 429, "11th attempt within the minute -> 429 even with the right password")
    check("Retry-After" in r.headers, "429 carries Retry-After")
    check(t11 < statistics.median(times) / 2,
          f"the 11th attempt did not check the hash ({t11 * 1000:.1f} ms against a median of "
          f"{statistics.median(times) * 1000:.1f} ms for checked ones)")
    eq(Client(server).sign_in("victim", PW).status, 429,
       "throttled per account (also from a new client)")
    eq(Client(server).sign_in("fpb", PW).status, 303, "another account is not throttled")


    # ---------- secrets are stored hashed ----------
    con = sqlite3.connect(db)
    hashes = [h for (h,) in con.execute("SELECT password_hash FROM app_user")]
    check(all(h.startswith("$argon2id$") for h in hashes), "every password is an argon2id hash")
    tok_hash = con.execute("SELECT token_hash FROM api_token").fetchall()
    check((hashlib.sha256(admin_token.encode()).hexdigest(),) in tok_hash,
          "the API token is stored as its SHA-256")
    sess = [h for (h,) in con.execute("SELECT token_hash FROM session")]
    check(hashlib.sha256(second.encode()).hexdigest() in sess, "the session is stored as a hash")
    con.close()
    raw = b""
    for suffix in ("", "-wal"):
        if os.path.exists(db + suffix):
            raw += open(db + suffix, "rb").read()
    for secret, what in [(admin_token, "API token"), (second, "session id"), (PW, "password")]:
        check(secret.encode() not in raw, f"the {what} appears nowhere in the database files")

    # ---------- tokens: scope and revocation ----------
    read_token = cli_token(run, db, "coord", scope="read")
    rt = Client(server, read_token)
    eq(rt.get("/api/me").json()["read_only"], True, "a read token acts read-only")
    eq(rt.post("/api/institutions", json_body={"code": "RO", "name": "RO", "type": "other"}).status,
       403, "a read token cannot write")
    tid = run(db, "user", "token", "coord", "--list").stdout.split()[0]
    run(db, "user", "token", "coord", "--revoke", tid)
    eq(rt.get("/api/me").status, 401, "a revoked token stops working")
    eq(Client(server, "hrt_not-a-real-token").get("/api/me").status, 401, "an unknown token -> 401")

    # ---------- disabling ends sessions at once ----------
    d = Client(server)
    eq(d.sign_in("fpb", PW).status, 303, "fpb signs in")
    fpb_token = cli_token(run, db, "fpb")
    eq(d.get("/api/me").status, 200, "fpb's session works")
    admin_c = Client(server)
    admin_c.sign_in("admin", PW)
    fpb_id = [u["id"] for u in Client(server, admin_token).get(
        f"/api/institutions/{ids['B']}/users").json()["users"] if u["username"] == "fpb"][0]
    r = admin_c.post(f"/users/{fpb_id}/disable", form={"csrf": admin_c.csrf("/account")})
    eq(r.status, 303, "the administrator disables fpb through the page")
    eq(d.get("/api/me").status, 401, "the disabled user's session stops at once")
    eq(d.get("/account").status, 303, "... and pages send them to sign in")
    eq(Client(server, fpb_token).get("/api/me").status, 401, "the disabled user's token stops too")
    eq(Client(server).sign_in("fpb", PW).status, 401, "a disabled user cannot sign in")

    # ---------- password change, policy, one-time reset ----------
    p = Client(server)
    p.sign_in("coord", PW)
    token = p.csrf("/account")
    r = p.post("/account/password", form={"current_password": PW, "new_password": "password1234",
                                         "csrf": token})
    eq(r.status, 400, "a common password is refused")
    check("most common" in r.text, "... with a message saying why")
    r = p.post("/account/password", form={"current_password": PW, "new_password": "short",
                                         "csrf": token})
    check(r.status == 400 and "at least 12" in r.text, "a short password is refused with its rule")
    link = run(db, "user", "reset", "coord").stdout.strip().splitlines()[-1].strip()
    reset_token = link.split("token=")[1]
    q = Client(server)
    form = {"token": reset_token, "new_password": "violet-harbour-lantern", "csrf": q.csrf(
        "/reset?token=" + reset_token)}
    eq(q.post("/reset", form=form).status, 303, "the reset link sets a new password")
    eq(q.post("/reset", form=form).status, 400, "the reset link works only once")
    eq(p.get("/api/me").status, 401, "a reset ends the user's sessions")
    eq(Client(server).sign_in("coord", "violet-harbour-lantern").status, 303,
       "sign-in with the new password")

    # ---------- safe redirect after sign-in ----------
    s = Client(server)
    tok = s.csrf("/login")
    r = s.post("/login", form={"username": "admin", "password": PW, "csrf": tok,
                               "next": "//evil.example/"})
    eq(r.headers.get("Location"), "/account", "sign-in never redirects off the site")

    # ---------- civil-society identity in the coordinator's views ----------
    co = Client(server)
    co.sign_in("coord", "violet-harbour-lantern")
    for path in ["/institutions", "/api/institutions", "/log?limit=1000", "/api/log?limit=1000"]:
        body = co.get(path).text
        check(CSO_NAME not in body and CSO_EMAIL not in body and "rosa" not in body,
              f"the coordinator's {path} does not name the civil-society user")
    eq(co.get(f"/institutions/{ids['CSO1']}").status, 403,
       "the coordinator cannot open the civil-society organisation")
    ad = Client(server, admin_token).get("/api/log?limit=1000").text
    check(CSO_NAME in ad, "the administrator's log shows the civil-society user (control)")

    # ---------- the change log ----------
    log = Client(server, admin_token).get("/api/log?entity=user&limit=1000").json()["entries"]
    check(any(e["field"] == "disabled_at" and e["actor"] == "admin" for e in log),
          "disabling fpb is in the log with its actor")
    pw_entries = [e for e in log if e["field"] == "password"]
    check(pw_entries and all("$argon2" not in (e["after"] or "") for e in pw_entries),
          "password changes are logged without the hash")
    out = run(db, "log", "--format", "csv", "--entity", "user").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    eq(len(rows), len(log), "`hrtrack log --format csv` has the same user entries as the API")
    eq(set(rows[0].keys()), {"id", "at", "actor", "entity", "entity_id", "field", "before",
                             "after", "import_id"}, "log CSV columns")
    con = sqlite3.connect(db)
    try:
        con.execute("DELETE FROM change_log")
        check(False, "the change log refuses DELETE")
    except sqlite3.DatabaseError as e:
        check("append-only" in str(e), "the change log refuses DELETE (append-only)")
    con.close()
    uid = Client(server).get("/api/recommendations?per_page=1").json()["items"][0]["uid"]
    eq(Client(server).get(f"/recommendations/{uid}/history").status, 303,
       "the public is sent to sign in for a record's history")
    h = co.get(f"/recommendations/{uid}/history")
    check(h.status == 200 and "<table" in h.text, "the coordinator sees the record's history")

    # ---------- Secure cookies behind TLS ----------
    secure = Server(db, "--secure-cookies")
    try:
        sc = Client(secure)
        r = sc.get("/login")
        pre = [h for h in r.header_all("Set-Cookie") if h.startswith("hrt_csrf=")][0]
        check("; Secure" in pre, "--secure-cookies marks the CSRF cookie Secure")
        # A cookie jar keeps no Secure cookie over http: send it by hand.
        tok = pre.split(";")[0].split("=", 1)[1]
        r = sc.post("/login", form={"username": "admin", "password": PW, "csrf": tok},
                    headers={"Cookie": "hrt_csrf=" + tok})
        cookie = [h for h in r.header_all("Set-Cookie") if h.startswith("hrt_session=")]
        check(cookie and "; Secure" in cookie[0], "--secure-cookies marks the session Secure")
    finally:
        secure.stop()
    # ---------- throttling per address, behind a trusted proxy (last: it blocks 127.0.0.1) ----------
    proxied = Server(db, "--trust-proxy")
    try:
        for i in range(30):
            Client(proxied).sign_in(f"nobody{i}", "x" * 12)  # all from 127.0.0.1 (no header)
        eq(Client(proxied).sign_in("fpa", PW).status, 429,
           "31st failure from one address within the minute -> 429 for any account")
        pc = Client(proxied)
        tok = pc.csrf("/login")
        r = pc.post("/login", form={"username": "fpa", "password": PW, "csrf": tok},
                    headers={"X-Forwarded-For": "203.0.113.9"})
        eq(r.status, 303, "behind --trust-proxy another client address is not throttled")
    finally:
        proxied.stop()
finally:
    server.stop()
finish()
