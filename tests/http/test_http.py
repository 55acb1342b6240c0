"""Black-box HTTP tests: boot the real server on 127.0.0.1 over a database of the real UPR Info
file (plus a small hostile fixture) and check totals and facet counts against counts computed
here, independently, from the source CSV."""
import collections
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import BIN, FIXTURES, check, data, eq, eventually, finish, run, tmpdir  # noqa: E402

tmp = tmpdir()
db = os.path.join(tmp, "http.db")
run(db, "vocab", "import", "--dir", os.path.dirname(data("x")))
run(db, "import", "-q", "--format", "uprinfo-csv", data("uprinfo_recommendations_sessions01-14.csv"))
run(db, "import", "-q", "--format", "csv", os.path.join(FIXTURES, "hostile.csv"))

with open(data("uprinfo_recommendations_sessions01-14.csv"), encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
seen, src = set(), []
for r in rows:  # exact duplicates are stored once
    t = tuple(r.values())
    if t not in seen:
        seen.add(t)
        src.append(r)
with open(os.path.join(FIXTURES, "hostile.csv"), encoding="utf-8", newline="") as f:
    hostile = list(csv.DictReader(f))
N = len(src) + len(hostile)

sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()
server = subprocess.Popen([BIN, "--db", db, "serve", "--host", "127.0.0.1", "--port", str(port)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
BASE = f"http://127.0.0.1:{port}"


def get(path, expect=200):
    try:
        with urllib.request.urlopen(BASE + path, timeout=60) as resp:
            body = resp.read()
            status = resp.status
            ctype = resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        body, status, ctype = e.read(), e.code, e.headers.get("Content-Type", "")
    if expect is not None and status != expect:
        raise AssertionError(f"GET {path[:120]}: status {status}, expected {expect}: {body[:300]!r}")
    return status, ctype, body


def api(params):
    status, _, body = get("/api/recommendations?" + urllib.parse.urlencode(params, doseq=True))
    return json.loads(body)


deadline = time.time() + 120
while True:
    try:
        get("/api/recommendations?per_page=1")
        break
    except Exception:
        if time.time() > deadline or server.poll() is not None:
            print(server.stdout.read() if server.poll() is not None else "server did not answer")
            sys.exit(1)
        time.sleep(0.3)

try:
    # ---------- filter-only queries: totals and facets exact ----------
    res = api({"per_page": 1})
    eq(res["total"], N, "total of an empty query = every record")
    want_state = collections.Counter(r["To"] for r in src)
    antigua = [k for k in want_state if k.startswith("Antigua")]
    eq(len(antigua), 1, "the source names Antigua and Barbuda one way")
    want_state[antigua[0]] += len(hostile)  # the fixture's State is ATG
    got_counts = sorted((v["count"] for v in res["facets"]["state"]), reverse=True)
    eq(got_counts, sorted(want_state.values(), reverse=True), "state facet: every State's count")
    eq(len(res["facets"]["state"]), len(want_state), "state facet: one value per State")

    afg = [r for r in src if r["To"] == "Afghanistan"]
    res = api({"state": "Afghanistan", "per_page": 5})
    eq(res["total"], len(afg), "state=Afghanistan (by name)")
    eq(api({"state": "AFG", "per_page": 1})["total"], len(afg), "state=AFG (by ISO code)")
    got = {v["value"]: v["count"] for v in res["facets"]["issue"]}
    want = collections.Counter(i.strip() for r in afg for i in r["Issue"].split(",") if i.strip())
    eq(got, dict(want), "issue facet counts within state=Afghanistan")
    got = {v["value"]: v["count"] for v in res["facets"]["response"]}
    want = collections.Counter({"Accepted": "supported", "Noted": "noted"}.get(r["Response"]) for r in afg)
    want.pop(None, None)
    eq(got, dict(want), "response facet counts within state=Afghanistan")

    noted = [r for r in src if r["Response"] == "Noted"]
    eq(api({"response": "Noted", "per_page": 1})["total"], len(noted), "response=Noted")
    acc = [r for r in src if r["Response"] == "Accepted"]
    eq(api({"response": "Accepted", "per_page": 1})["total"], len(acc) + 1, "response=Accepted (synonym; +1 fixture)")
    s59 = [r for r in src if 5 <= int(r["Session"]) <= 9]
    res = api({"session": "5..9", "per_page": 1})
    eq(res["total"], len(s59), "session=5..9")
    eq({v["value"]: v["count"] for v in res["facets"]["session"]},
       {str(k): v for k, v in collections.Counter(r["Session"] for r in s59).items()}, "session facet within 5..9")
    wr = [r for r in src if "Women's rights" in [i.strip() for i in r["Issue"].split(",")]]
    eq(api({"issue": "Women's rights", "per_page": 1})["total"], len(wr), "issue=Women's rights")
    eq(api({"issue": "Women's rights", "response": "Accepted", "per_page": 1})["total"],
       len([r for r in wr if r["Response"] == "Accepted"]), "issue AND response")
    two = [r for r in src if r["To"] in ("Afghanistan", "Chile")]
    eq(api({"state": ["Afghanistan", "Chile"], "per_page": 1})["total"], len(two), "state OR state (repeated parameter)")

    # ---------- phrase queries: exact word-sequence matches ----------
    def fold(s):
        s = unicodedata.normalize("NFD", s.casefold())
        s = "".join(c for c in s if unicodedata.category(c) != "Mn")
        return re.sub(r"[\W_]+", " ", s).strip()

    folded = [" " + fold(r["Text"]) + " " for r in src]
    for phrase in ("optional protocol", "national human rights institution", "death penalty",
                   "enforced disappearance", "female genital mutilation", "paris principles"):
        want = sum(1 for t in folded if " " + phrase + " " in t)
        eq(api({"q": f'"{phrase}"', "per_page": 1})["total"], want, f'phrase "{phrase}"')
    want = sum(1 for t, r in zip(folded, src) if " death penalty " in t and r["Response"] == "Noted")
    eq(api({"q": '"death penalty"', "response": "Noted", "per_page": 1})["total"], want, "phrase + response filter")

    # ---------- page 10,000 of a broad query ----------
    res = api({"per_page": 2, "page": 10000, "sort": "date"})
    eq(len(res["items"]), 2, "page 10,000 (per_page 2) of every record has items")
    eq(res["total"], N, "page 10,000: total still exact")
    uids = set()
    for p in (1, 2, 3):
        uids |= {i["uid"] for i in api({"per_page": 1000, "page": p, "sort": "date"})["items"]}
    eq(len(uids), 3000, "three pages of 1000 hold 3000 distinct records")

    # ---------- export of more than 10,000 rows ----------
    _, ctype, body = get("/api/export?" + urllib.parse.urlencode({"format": "csv", "response": "Accepted"}))
    lines = list(csv.reader(body.decode("utf-8").splitlines()))
    eq(len(lines) - 1, len(acc) + 1, "CSV export of response=Accepted has every row (>10,000)")
    check(len(acc) > 10000, "that export is larger than 10,000 rows")
    _, _, body = get("/api/export?" + urllib.parse.urlencode({"format": "json", "q": '"death penalty"'}))
    eq(len(json.loads(body)), sum(1 for t in folded if " death penalty " in t), "JSON export of a phrase query")

    # ---------- records and vocabularies ----------
    item = api({"state": "AFG", "per_page": 1})["items"][0]
    _, _, body = get("/api/recommendations/" + item["uid"])
    eq(json.loads(body)["uid"], item["uid"], "GET /api/recommendations/{id}")
    get("/api/recommendations/R-0000000000000000", expect=404)
    _, _, body = get("/api/vocabularies/uprinfo-issues")
    check("Women's rights" in body.decode(), "GET /api/vocabularies/uprinfo-issues")
    _, ctype, body = get("/api/openapi.json")
    check(json.loads(body)["openapi"].startswith("3."), "OpenAPI 3 document")

    # ---------- hostile input ----------
    eq(api({"q": '"hostile text"', "per_page": 10})["total"], 1, "hostile fixture is searchable")
    uid = api({"q": '"hostile text"', "per_page": 1})["items"][0]["uid"]
    for path in ("/", "/search?q=hostile", f"/recommendations/{uid}", "/browse/state",
                 "/search?q=hostile&lang=fr", "/search?q=hostile&lang=ar"):
        _, ctype, body = get(path)
        page = body.decode("utf-8")
        check("<script>alert" not in page and "<img src=x onerror" not in page,
              f"{path}: hostile text is escaped")
        check("text/html" in ctype, f"{path}: text/html")
    page = get(f"/recommendations/{uid}")[2].decode()
    check("&lt;script&gt;alert(1)&lt;" in page and "onerror=alert(2)&gt;" in page,
          "hostile text shown as text")

    for params, name in (({"per_page": 10**9}, "per_page"), ({"page": -1}, "page"),
                         ({"q": "x" * (1 << 20)}, "q"), ({"year": "soon"}, "year"),
                         ({"colour": "red"}, "colour"), ({"q": '"open'}, "q")):
        status, ctype, body = get("/api/recommendations?" + urllib.parse.urlencode(params), expect=None)
        err = json.loads(body) if "json" in ctype else {}
        ok = status == 400 and name in (err.get("parameter") or "") + " " + (err.get("error") or "")
        check(ok, f"400 naming '{name}' for {str(params)[:60]}: got {status}")
    status, _, _ = get("/api/recommendations?q=%FF%FE", expect=None)
    eq(status, 400, "invalid UTF-8 in q: 400")
    status, _, _ = get("/search?q=%FF%FE", expect=None)
    eq(status, 400, "invalid UTF-8 on a page: 400")
    eq(api({"per_page": 1})["total"], N, "the server keeps serving after bad requests")

    # ---------- a write is visible to the next search ----------
    run(db, "import", "-q", "--format", "csv", os.path.join(FIXTURES, "unicode.csv"))
    got, secs = eventually(lambda: api({"per_page": 1})["total"], N + 5)
    eq(got, N + 5, f"an import is visible to searches (after {secs:.2f} s; the index is rebuilt "
       "in the background)")
    eq(api({"q": "人权", "per_page": 1})["total"], 1, "Chinese text is searchable")
finally:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()

finish()
