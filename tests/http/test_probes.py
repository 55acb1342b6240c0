"""The findings of probing the server as an attacker and as a hurried user would (issue #17),
each held by a check that failed before it was fixed:
 * booleans parsed strictly in one place: every spelling of every boolean field of every route,
   protection on by default for civil-society submissions;
 * redirects after sign-in stay on the site, whatever browsers strip (OWASP's list);
 * long texts in every script are accepted up to the limit the rules state, refused beyond it
   with the typed text kept, and a body over the route's limit gets a 413 page in the user's
   language;
 * parallel uploads of one file all succeed;
 * a hidden civil-society organisation (or one of its users) is answered like a missing one;
 * duplicate keys and deep nesting in JSON bodies, bidi controls in file names are refused;
 * security headers on every answer, cpp-httplib's own too; no-store whenever credentials came;
   the language cookie Secure behind TLS.
Expected values are written here by hand from the rules in docs/security.md."""
import concurrent.futures
import json
import os
import re
import socket
import sqlite3
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import FIXTURES, check, eq, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server, add_user, cli_token  # noqa: E402

TRUE = ["true", "1", "on", "yes", "TRUE", "True", "On", "YES"]
FALSE = ["false", "0", "off", "no", "FALSE", "False", "Off", "NO"]
INVALID = ["ja", "2", "tru", "y", "-1", "nein", "checked", "\u202eeurt"]

tmp = tmpdir()
db = os.path.join(tmp, "probes.db")
run(db, "import", "-q", "--format", "csv", os.path.join(FIXTURES, "hostile.csv"))
for code, typ in [("MJ", "executive"), ("MS", "executive"), ("DP", "nhri"),
                  ("CSO1", "civil_society")]:
    run(db, "institution", "add", code, "--name", f"Institution {code}", "--type", typ)
PW = "orange-river-candle-42"
add_user(run, db, "admin", "Admin Person", ["administrator"], password=PW)
add_user(run, db, "coord", "Coordinator Person", ["coordinator"], institution="MJ", password=PW)
add_user(run, db, "fp", "Focal Person", ["focal_point"], institution="MJ", password=PW)
add_user(run, db, "rosa", "Rosa Defensora", ["civil_society"], institution="CSO1", password=PW,
         email="rosa@defensores.example")
tok = {u: cli_token(run, db, u) for u in ["admin", "coord", "fp", "rosa"]}


def db_rows(sql, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


server = Server(db)
try:
    api = {u: Client(server, t) for u, t in tok.items()}
    pub = Client(server)
    uids = [it["uid"] for it in pub.get("/api/recommendations?per_page=5").json()["items"]]
    uid = uids[0]
    inst = {i["code"]: i["id"] for i in api["admin"].get("/api/institutions").json()["institutions"]}
    api["coord"].post("/api/assignments", json_body={"uid": uid, "institution": inst["MJ"]})

    def stored_protected(aid):
        return db_rows("SELECT protected FROM assessment WHERE id = ?", aid)[0][0] == 1

    def count_assessments():
        return db_rows("SELECT COUNT(*) FROM assessment")[0][0]

    # ---------- 1. booleans: every boolean field of every route, every spelling ----------
    spec = pub.get("/api/openapi.json").json()
    bool_fields = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            body = op.get("requestBody", {}).get("content", {})
            schema = body.get("application/json", {}).get("schema", {})
            for name, prop in schema.get("properties", {}).items():
                if prop.get("type") == "boolean":
                    bool_fields.append((method.upper(), path, name))
    eq(sorted(bool_fields), [("POST", "/api/assessments", "protected"),
                             ("POST", "/api/assessments/{id}", "protected")],
       "OpenAPI declares the boolean fields")
    rosa = api["rosa"]

    def new_assessment(protected=None, as_json=True, client=rosa):
        body = {"uid": uid, "status": "in_progress", "assessed_on": "2026-11-01",
                "justification": "Sin avances"}
        if protected is not None:
            body["protected"] = protected
        if as_json:
            return client.post("/api/assessments", json_body=body)
        return client.post("/api/assessments", form=body)

    for spelling in TRUE + FALSE:
        for as_json in (True, False):
            r = new_assessment(spelling, as_json)
            eq(r.status, 201, f"protected={spelling!r} ({'JSON' if as_json else 'form'}) is accepted")
            if r.status == 201:
                eq(stored_protected(r.json()["id"]), spelling in TRUE,
                   f"protected={spelling!r} is stored as {spelling in TRUE}")
    for value, expected in [(True, True), (False, False), (1, True), (0, False)]:
        r = new_assessment(value)
        check(r.status == 201 and stored_protected(r.json()["id"]) == expected,
              f"JSON protected={json.dumps(value)} is stored as {expected}")
    r = new_assessment(None)
    check(r.status == 201 and stored_protected(r.json()["id"]),
          "a civil-society assessment without 'protected' is protected (the default)")
    before = count_assessments()
    for spelling in INVALID:
        r = new_assessment(spelling)
        check(r.status == 400 and r.json().get("parameter") == "protected",
              f"protected={spelling!r} is refused with a 400 naming the field")
    r = new_assessment(2)
    check(r.status == 400 and r.json().get("parameter") == "protected", "JSON protected=2 is refused")
    eq(count_assessments(), before, "nothing is stored for a refused spelling")
    # The edit route: a draft stays as it was when the spelling is refused.
    aid = new_assessment("true").json()["id"]
    for spelling in INVALID:
        r = rosa.post(f"/api/assessments/{aid}", json_body={"protected": spelling})
        eq(r.status, 400, f"edit: protected={spelling!r} is refused")
    check(stored_protected(aid), "the refused edits left the draft protected")
    for spelling in FALSE + TRUE:
        rosa.post(f"/api/assessments/{aid}", json_body={"protected": spelling})
        eq(stored_protected(aid), spelling in TRUE, f"edit: protected={spelling!r}")
    # The page form: the default choice is the protected one; every spelling of the field.
    web = Client(server)
    eq(web.sign_in("rosa", PW).status, 303, "the organisation signs in")
    page = web.get(f"/followup/{uid}").text
    check(re.search(r'name="protected" value="true" checked', page) is not None,
          "the workspace form offers protection, checked by default")
    csrf = web.csrf(f"/followup/{uid}")
    for spelling in TRUE + FALSE + [None]:
        form = {"csrf": csrf, "uid": uid, "status": "not_started", "assessed_on": "2026-11-02",
                "justification": f"form {spelling}"}
        if spelling is not None:
            form["protected"] = spelling
        r = web.post("/assessments", form=form)
        eq(r.status, 303, f"form protected={spelling!r} is accepted")
        stored = db_rows("SELECT protected FROM assessment WHERE justification = ?",
                         f"form {spelling}")
        eq([s[0] for s in stored], [0 if spelling in FALSE else 1],
           f"form protected={spelling!r} stored as expected")
    for spelling in INVALID:
        r = web.post("/assessments", form={"csrf": csrf, "uid": uid, "status": "not_started",
                                           "assessed_on": "2026-11-02", "justification": "x",
                                           "protected": spelling})
        check(r.status == 400 and "protected" in r.text, f"form protected={spelling!r} is refused")
    # Only civil society is ever protected: a government assessment with protected=true is not.
    r = new_assessment("true", client=api["fp"])
    check(r.status == 201 and not stored_protected(r.json()["id"]),
          "a government assessment is never marked protected")

    # ---------- 2. redirects after sign-in stay on this site (OWASP's list) ----------
    payloads = ["//evil.example", "///evil.example", "////evil.example", "/\\evil.example",
                "\\\\evil.example", "/\t/evil.example/phish", "/\n/evil.example", "/\r/evil.example",
                " //evil.example", "\t//evil.example", "/ /evil.example", "https://evil.example",
                "http:evil.example", "javascript:alert(1)", "//evil.example/%2F..", "/\\/evil.example",
                "/%09/evil.example", "\x00//evil.example", "/\u202e/evil.example",
                "evil.example", "https:/evil.example", "\\/\\/evil.example", "/./\\evil.example"]
    for p in payloads:
        c = Client(server)
        token = c.csrf("/login?" + urllib.parse.urlencode({"next": p}))
        r = c.post("/login", form={"username": "fp", "password": PW, "csrf": token, "next": p})
        loc = r.headers.get("Location", "")
        target = urllib.parse.urlsplit(urllib.parse.urljoin(server.base + "/login", loc))
        ok = (r.status == 303 and loc.startswith("/") and not loc.startswith("//") and
              "\\" not in loc and not any(ord(ch) < 0x21 for ch in loc) and
              target.netloc == urllib.parse.urlsplit(server.base).netloc)
        # A control character in a form field is refused outright (400, no redirect at all).
        refused = r.status == 400 and not loc and any(ord(ch) < 0x20 for ch in p)
        check(ok or refused, f"next={p!r} redirects on this site or is refused "
                             f"(HTTP {r.status}, Location {loc!r})")
    c = Client(server)
    token = c.csrf("/login")
    r = c.post("/login", form={"username": "fp", "password": PW, "csrf": token,
                               "next": "/search?q=d%C3%A9fense"})
    eq(r.headers.get("Location"), "/search?q=d%C3%A9fense", "a real local next is kept")

    # ---------- 3. long texts: the stated limit, in every script; what was typed is kept ----------
    for script, ch in [("Arabic", "\u0639"), ("Chinese", "\u4e2d"), ("emoji", "\U0001F4DA")]:
        text = ch * 20000
        r = rosa.post("/api/assessments", json_body={"uid": uid, "status": "in_progress",
                                                     "assessed_on": "2026-11-03",
                                                     "justification": text})
        check(r.status == 201, f"a 20,000-character {script} justification is accepted (JSON)")
        form = {"csrf": csrf, "uid": uid, "status": "in_progress", "assessed_on": "2026-11-03",
                "justification": text}
        r = web.post("/assessments", form=form)
        eq(r.status, 303, f"a 20,000-character {script} justification is accepted (form, "
                          f"{len(urllib.parse.urlencode(form)):,} bytes encoded)")
    too_long = "\u0639" * 20001
    r = web.post("/assessments", form={"csrf": csrf, "uid": uid, "status": "fully_implemented",
                                       "assessed_on": "2026-11-04", "justification": too_long,
                                       "protected": "false"})
    eq(r.status, 400, "20,001 characters are refused")
    check("20000 characters" in r.text and "20001" in r.text,
          "the message says the limit in characters and how many were sent")
    m = re.search(r'<textarea id="a-just"[^>]*>([^<]*)</textarea>', r.text)
    check(m is not None and m.group(1) == too_long,
          f"the refused form keeps the typed justification ({len(m.group(1)) if m else 0} of "
          f"{len(too_long)} characters)")
    check('<option value="fully_implemented" selected>' in r.text and 'value="2026-11-04"' in r.text
          and re.search(r'name="protected" value="false" checked', r.text),
          "and the chosen status, date and protection")
    # A body over the route's limit: 413, a page in the user's language, nothing stored.
    before = count_assessments()
    fr = Client(server)
    fr.sign_in("rosa", PW)
    fr.get("/?lang=fr")
    fcsrf = fr.csrf(f"/followup/{uid}")
    huge = {"csrf": fcsrf, "uid": uid, "status": "in_progress", "assessed_on": "2026-11-05",
            "justification": "x" * 2_000_000}
    r = fr.post("/assessments", form=huge)
    eq(r.status, 413, "a 2 MB form body gets 413")
    check("text/html" in r.headers.get("Content-Type", "") and 'lang="fr"' in r.text,
          "as an HTML page in the user's language")
    eq(count_assessments(), before, "nothing of it is stored")
    r = rosa.post("/api/assessments", json_body=huge)
    check(r.status == 413 and r.json().get("error"), "the API answers 413 as JSON")

    def read_status_line(s):
        """The status line of the answer on socket `s`, which it then closes."""
        reply = b""
        try:
            while b"\r\n\r\n" not in reply:
                part = s.recv(65536)
                if not part:
                    break
                reply += part
        except OSError:
            pass
        s.close()
        return reply.split(b"\r\n", 1)[0].decode(errors="replace")

    # Chunked and over the limit: cut off while reading, the server keeps answering others.
    def raw_post(path, chunks, headers):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        head = f"POST {path} HTTP/1.1\r\nHost: x\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        s.sendall(head.encode() + b"Transfer-Encoding: chunked\r\n\r\n")
        sent = 0
        try:
            for data in chunks:
                s.sendall(b"%x\r\n" % len(data) + data + b"\r\n")
                sent += len(data)
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass
        return read_status_line(s), sent

    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        big = ex.submit(raw_post, "/api/assessments",
                        (b"a" * (1 << 20) for _ in range(100)),
                        {"Authorization": "Bearer " + tok["rosa"], "Content-Type": "application/json"})
        time.sleep(0.2)
        other = pub.get("/api/health")
        status_line, sent = big.result()
    check("413" in status_line, f"a 100 MB chunked JSON body gets 413 ({status_line})")
    eq(other.status, 200, "other requests are answered meanwhile")
    check(time.time() - t0 < 30, "within seconds")

    # A 1 GB multipart upload (Content-Length given, as a browser sends it) to a route that takes
    # files: 413 once it is read, held no further than the route's limit, others answered meanwhile.
    def vm_hwm_kib(pid):
        with open(f"/proc/{pid}/status") as f:
            return int(next(l for l in f if l.startswith("VmHWM:")).split()[1])

    ev_upd = api["fp"].post("/api/updates", json_body={"uid": uid, "date": "2026-10-16",
                                                       "measure_type": "policy",
                                                       "description": "Grande"}).json()["id"]

    def gigabyte_upload():
        size = 1_000_000_000
        b = "----hrtrackHuge"
        head = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.pdf\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode()
        tail = f"\r\n--{b}--\r\n".encode()
        s = socket.create_connection(("127.0.0.1", server.port), timeout=120)
        s.sendall((f"POST /api/updates/{ev_upd}/evidence HTTP/1.1\r\nHost: x\r\n"
                   f"Authorization: Bearer {tok['fp']}\r\n"
                   f"Content-Type: multipart/form-data; boundary={b}\r\n"
                   f"Content-Length: {len(head) + size + len(tail)}\r\n\r\n").encode() + head)
        block, sent = b"%PDF" + b"a" * ((1 << 20) - 4), 0
        try:
            while sent < size:
                n = min(len(block), size - sent)
                s.sendall(block[:n])
                sent += n
            s.sendall(tail)
        except OSError:
            pass
        return read_status_line(s), sent

    hwm_before = vm_hwm_kib(server.proc.pid)
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        big = ex.submit(gigabyte_upload)
        answered = []
        while not big.done():
            answered.append(pub.get("/api/health").status)
            time.sleep(0.2)
        status_line, sent = big.result()
    seconds = time.time() - t0
    hwm_after = vm_hwm_kib(server.proc.pid)
    check("413" in status_line, f"a 1 GB multipart upload gets 413 ({status_line}, {sent:,} bytes "
          f"sent in {seconds:.1f} s)")
    check(answered and set(answered) == {200},
          f"the server answers others while it is read ({len(answered)} answers: {set(answered)})")
    check(hwm_after - hwm_before < 64 * 1024,
          f"and its peak memory grows by less than 64 MB ({(hwm_after - hwm_before) // 1024} MB: "
          f"{hwm_before // 1024} MB before, {hwm_after // 1024} MB after)")
    con = sqlite3.connect(db)
    eq(con.execute("SELECT count(*) FROM evidence").fetchone()[0], 0, "nothing of it is stored")
    con.close()
    eq([f for f in os.listdir(db + "-evidence") if not f.startswith(".")]
       if os.path.isdir(db + "-evidence") else [], [], "no file of it is kept")

    # ---------- 4. uploads in parallel ----------
    upd = api["fp"].post("/api/updates", json_body={"uid": uid, "date": "2026-10-15",
                                                    "measure_type": "policy",
                                                    "description": "Informe"}).json()["id"]
    pdf = b"%PDF-1.4\n% parallel\n" + os.urandom(200_000) + b"\n%%EOF\n"
    boundary = "----hrtrackParallel"

    def upload(name):
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode("utf-8") + pdf + \
               f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(server.base + f"/api/updates/{upd}/evidence", data=body,
                                     method="POST", headers={
                                         "Content-Type": f"multipart/form-data; boundary={boundary}",
                                         "Authorization": "Bearer " + tok["fp"]})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return resp.status
        except urllib.error.HTTPError as e:
            return e.code

    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        statuses = list(ex.map(upload, ["informe.pdf"] * 8))
    eq(statuses, [201] * 8, "8 simultaneous uploads of one file all succeed")
    files = os.listdir(db + "-evidence")
    eq(len([f for f in files if not f.startswith(".")]), 1, "stored once, by its hash")
    eq([f for f in files if f.startswith(".upload")], [], "no temporary file is left")
    eq(upload("factura\u202efdp.exe.pdf"), 400, "a file name with a right-to-left override is refused")
    eq(upload("zero\u200bwidth.pdf"), 400, "a file name with a zero-width character is refused")

    # ---------- 5. a hidden organisation is answered like a missing one ----------
    def refusal(body):
        r = api["coord"].post("/api/institutions", json_body=body)
        msg = r.json().get("error", "") if r.status == 400 else f"HTTP {r.status}"
        return r.status, re.sub(r"\d+", "N", msg)

    hidden = refusal({"code": "X1", "name": "Unidad", "type": "executive", "parent": inst["CSO1"]})
    missing = refusal({"code": "X1", "name": "Unidad", "type": "executive", "parent": 99999})
    eq(hidden, missing, "a hidden organisation as parent gets the answer of a missing one")
    rosa_id = [u["id"] for u in api["admin"].get(f"/api/institutions/{inst['CSO1']}/users").json()["users"]][0]
    r1 = api["coord"].post(f"/api/institutions/{inst['MS']}", json_body={"main_focal": rosa_id})
    r2 = api["coord"].post(f"/api/institutions/{inst['MS']}", json_body={"main_focal": 99999})
    eq((r1.status, re.sub(r"\d+", "N", r1.text)), (r2.status, re.sub(r"\d+", "N", r2.text)),
       "a hidden organisation's user as focal point gets the answer of a missing user")
    check("rosa" not in r1.text.lower(), "and is not named")

    # ---------- 6. JSON bodies: duplicate keys, deep nesting ----------
    raw = ('{"uid": "%s", "status": "in_progress", "assessed_on": "2026-11-01", '
           '"justification": "a", "protected": true, "protected": false}' % uid)
    req = urllib.request.Request(server.base + "/api/assessments", data=raw.encode(), method="POST",
                                 headers={"Content-Type": "application/json",
                                          "Authorization": "Bearer " + tok["rosa"]})
    try:
        urllib.request.urlopen(req)
        status, body = 201, {}
    except urllib.error.HTTPError as e:
        status, body = e.code, json.loads(e.read())
    check(status == 400 and body.get("parameter") == "protected",
          "a JSON body giving a key twice is refused, naming the key")
    deep = '{"uid": ' + "[" * 100000 + "]" * 100000 + "}"
    req = urllib.request.Request(server.base + "/api/assessments", data=deep.encode(), method="POST",
                                 headers={"Content-Type": "application/json",
                                          "Authorization": "Bearer " + tok["rosa"]})
    try:
        urllib.request.urlopen(req)
        status = 201
    except urllib.error.HTTPError as e:
        status = e.code
    eq(status, 400, "a deeply nested JSON body is refused")
    eq(pub.get("/api/health").status, 200, "and the server is still there")

    # ---------- 7. another writer holding the database: 503 with advice, never 500 ----------
    hold = sqlite3.connect(db, timeout=1, isolation_level=None)
    hold.execute("BEGIN IMMEDIATE")
    t0 = time.time()
    r = api["fp"].post("/api/updates", json_body={"uid": uid, "date": "2026-10-16",
                                                  "measure_type": "policy", "description": "busy"})
    waited = time.time() - t0
    hold.execute("ROLLBACK")
    hold.close()
    check(r.status == 503 and r.headers.get("Retry-After", "").isdigit() and
          "try again" in r.json().get("error", ""),
          f"a write blocked by another writer gets 503, Retry-After and advice ({r.status}, "
          f"{waited:.1f} s)")
    check(9 <= waited < 15, f"after waiting the documented bounded time (10 s; {waited:.1f} s)")
    eq(api["fp"].post("/api/updates", json_body={"uid": uid, "date": "2026-10-16",
                                                 "measure_type": "policy",
                                                 "description": "after"}).status, 201,
       "once the other writer is done, the same write succeeds")

    # ---------- 8. headers ----------
    signed = Client(server)
    signed.sign_in("fp", PW)
    r = signed.get("/no/such/page")
    check(r.status == 404 and "no-store" in r.headers.get("Cache-Control", ""),
          "a signed-in 404 is never stored by a cache")
    r = api["fp"].get("/api/no/such")
    check(r.status == 404 and "no-store" in r.headers.get("Cache-Control", ""),
          "an API 404 with a token is not either")
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    s.sendall(b"GARBAGE\r\n\r\n")
    reply = s.recv(65536).decode(errors="replace")
    s.close()
    for h in ["X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options",
              "Content-Security-Policy"]:
        check(h.lower() + ":" in reply.lower(), f"cpp-httplib's own 400 carries {h}")
finally:
    server.stop()

# A refused import says that nothing was imported, without counts of new records.
bad_csv = os.path.join(tmp, "bad.csv")
with open(os.path.join(FIXTURES, "hostile.csv"), encoding="utf-8") as f:
    lines = f.read().splitlines()
with open(bad_csv, "w", encoding="utf-8") as f:
    f.write("\n".join(lines[:3] + ['"unterminated']) + "\n")
p = run(os.path.join(tmp, "fresh.db"), "import", "--format", "csv", bad_csv, ok=False)
check(p.returncode == 1 and "nothing imported" in p.stderr and " new" not in p.stdout,
      f"a refused import claims no new records ({p.stdout.strip()!r})")

# Behind TLS (--secure-cookies) the language cookie is Secure too.
server = Server(db, "--secure-cookies")
try:
    r = Client(server).get("/?lang=es")
    cookies = [h for h in r.header_all("Set-Cookie") if h.startswith("lang=")]
    check(cookies and "Secure" in cookies[0], f"the lang cookie is Secure ({cookies})")
finally:
    server.stop()
finish()
