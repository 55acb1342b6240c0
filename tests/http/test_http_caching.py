"""Compression, caching, CORS and the export limit, through the real server over the real UPR Info
file (26,000 recommendations, so that an export is big enough to hold open):

 * gzip for JSON, CSV and HTML when the client accepts it, with one Vary header naming
   Accept-Encoding; a browser's "gzip, deflate, br, zstd" gets gzip (never brotli), a tour of
   public GETs with it is no slower than without, and every gzip body decompresses to the
   identity body; exports still stream (chunked) when compressed;
 * ETag and If-None-Match -> 304 with no body on public answers to anonymous visitors (the API,
   pages and exports), publicly cacheable; a signed-in answer has no ETag and stays
   private, no-store;
 * CORS for the public read-only API: the preflight's headers exactly, Allow-Origin * and
   Expose-Headers on its answers, nothing of it on authenticated or state-changing addresses;
 * at most two exports at a time: a third gets 503 with Retry-After while two are being read
   slowly, and the slots come back when the slow readers hang up."""
import gzip
import http.client
import json
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import check, data, eq, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server, add_user, cli_token  # noqa: E402

BROWSER_AE = "gzip, deflate, br, zstd"
CSV_FILE = data("uprinfo_recommendations_sessions01-14.csv")

tmp = tmpdir()
db = os.path.join(tmp, "caching.db")
run(db, "vocab", "import", "--dir", os.path.dirname(CSV_FILE))
run(db, "import", "-q", "--format", "uprinfo-csv", CSV_FILE)
PW = "orange-river-candle-42"
add_user(run, db, "admin", "Admin Person", ["administrator"], password=PW)
token = cli_token(run, db, "admin", scope="read")


class Answer:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    def h(self, name):
        """The value of a header, None when absent; the values joined when repeated."""
        vals = [v for k, v in self.headers if k.lower() == name.lower()]
        return ", ".join(vals) if vals else None

    def count(self, name):
        return len([1 for k, _ in self.headers if k.lower() == name.lower()])

    def identity(self):
        """The body with its content coding undone."""
        return gzip.decompress(self.body) if self.h("Content-Encoding") == "gzip" else self.body


def fetch(method, path, headers=None):
    """One request on a fresh connection, headers exactly as given (no Accept-Encoding unless
    given: http.client would otherwise add 'identity'); the raw body, not decoded."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
    t0 = time.monotonic()
    conn.putrequest(method, path, skip_accept_encoding=True)
    for k, v in (headers or {}).items():
        if v is not None:  # (an ETag the server did not give)
            conn.putheader(k, v)
    conn.endheaders()
    r = conn.getresponse()
    body = r.read()
    seconds = time.monotonic() - t0
    conn.close()
    return Answer(r.status, r.getheaders(), body, seconds)


def vary_names(a):
    return [v.strip().lower() for v in (a.h("Vary") or "").split(",") if v.strip()]


server = Server(db)
try:
    # A visitor who has been here before (holds the anonymous CSRF cookie), so that pages carry
    # no Set-Cookie and are cacheable like the API.
    visitor = Client(server)
    visitor.get("/")
    anon_cookie = "hrt_csrf=" + (visitor.cookie("hrt_csrf") or "")
    check(len(anon_cookie) > 40, "an anonymous visitor gets the CSRF cookie")

    PAGE = "/api/recommendations?per_page=1000&q=rights"
    SEARCH_PAGE = "/search?q=torture&per_page=100"
    CSV = "/api/export?format=csv"
    JSON_EXPORT = "/api/export?format=json&mechanism=UPR"

    # ---------- gzip, Vary, identical content ----------
    ident = fetch("GET", PAGE)
    eq(ident.status, 200, "a 1,000-hit search page")
    eq(len(json.loads(ident.body)["items"]), 1000, "it holds 1,000 hits")
    gz = fetch("GET", PAGE, {"Accept-Encoding": BROWSER_AE})
    eq(gz.h("Content-Encoding"), "gzip", "the JSON page is gzip for a browser's Accept-Encoding")
    check("accept-encoding" in vary_names(gz) and gz.count("Vary") == 1,
          f"one Vary header naming Accept-Encoding on the JSON page ({gz.h('Vary')})")
    check("accept-encoding" in vary_names(ident), "the identity answer has Vary too")
    check(ident.h("Content-Encoding") is None, "no Accept-Encoding: no content coding")
    check(gz.identity() == ident.body, "the gzip JSON page decompresses to the identity body")
    print(f"info JSON page: {len(ident.body)} bytes identity, {len(gz.body)} gzip")
    check(len(gz.body) * 4 < len(ident.body), "gzip makes the JSON page at least 4x smaller")
    only_gzip = fetch("GET", PAGE, {"Accept-Encoding": "gzip"})
    eq(only_gzip.h("Content-Encoding"), "gzip", "Accept-Encoding: gzip gets gzip")
    for ae in ["br", "zstd", "br, zstd", "gzip;q=0, br"]:
        a = fetch("GET", PAGE, {"Accept-Encoding": ae})
        check(a.h("Content-Encoding") is None and a.body == ident.body,
              f"Accept-Encoding: {ae} gets the identity body (no brotli, no zstd)")

    page = fetch("GET", SEARCH_PAGE, {"Accept-Encoding": BROWSER_AE, "Cookie": anon_cookie})
    eq(page.status, 200, "the search page")
    eq(page.h("Content-Encoding"), "gzip", "the HTML page is gzip")
    eq(page.count("Vary"), 1, "one Vary header on the HTML page")
    eq(sorted(vary_names(page)), ["accept-encoding", "accept-language", "cookie"],
       "the page's Vary merges Accept-Language, Cookie and Accept-Encoding")
    page_id = fetch("GET", SEARCH_PAGE, {"Cookie": anon_cookie})
    check(page.identity() == page_id.body, "the gzip page decompresses to the identity page")

    css = fetch("GET", "/static/style.css", {"Accept-Encoding": BROWSER_AE})
    eq(css.h("Content-Encoding"), "gzip", "the stylesheet is gzip")
    check(css.identity() == fetch("GET", "/static/style.css").body, "and decompresses to itself")

    for path in [CSV, JSON_EXPORT]:
        a = fetch("GET", path)
        b = fetch("GET", path, {"Accept-Encoding": BROWSER_AE})
        eq((a.status, b.status), (200, 200), f"{path}: exported")
        eq(b.h("Content-Encoding"), "gzip", f"{path}: gzip, not brotli")
        check(b.h("Transfer-Encoding") == "chunked" and b.h("Content-Length") is None,
              f"{path}: the gzip export is still streamed (chunked)")
        check(a.h("Transfer-Encoding") == "chunked", f"{path}: the identity export is streamed")
        check("accept-encoding" in vary_names(b), f"{path}: Vary: Accept-Encoding")
        check(b.identity() == a.body, f"{path}: the gzip export decompresses to the identity export")
        print(f"info {path}: {len(a.body)} bytes identity in {a.seconds:.2f} s, {len(b.body)} "
              f"gzip in {b.seconds:.2f} s")
    rows = fetch("GET", CSV).body.count(b"\r\n")
    check(rows > 20000, f"the CSV export holds every record ({rows} lines)")

    # ---------- a browser's Accept-Encoding costs no time ----------
    tour = ["/", "/search?q=education", SEARCH_PAGE, "/browse/state", "/api/recommendations?q=water",
            PAGE, "/api/facets/state", "/api/vocabularies", "/static/app.js", CSV, JSON_EXPORT]

    def run_tour(headers):
        t0 = time.monotonic()
        for p in tour:
            a = fetch("GET", p, headers)
            if a.status != 200:
                raise AssertionError(f"{p}: {a.status}")
        return time.monotonic() - t0

    plain, browser = [], []
    for _ in range(2):  # interleaved, the best of two, so that other jobs weigh on both
        plain.append(run_tour({"Cookie": anon_cookie}))
        browser.append(run_tour({"Cookie": anon_cookie, "Accept-Encoding": BROWSER_AE}))
    print(f"info tour of {len(tour)} GETs: {min(plain):.2f} s identity, {min(browser):.2f} s "
          f"with '{BROWSER_AE}'")
    # Compressing costs something, more so under AddressSanitizer (the sanitizer build runs this
    # test too: 1.6x there on a loaded machine); brotli on the old server cost 13x. 2.5x holds
    # the first apart from the second.
    check(min(browser) <= 2.5 * min(plain) + 0.5,
          f"the tour with a browser's Accept-Encoding ({min(browser):.2f} s) is no slower than "
          f"2.5x the tour without ({min(plain):.2f} s)")

    # ---------- ETag, 304, public caching for anonymous answers ----------
    for path, headers in [("/api/recommendations?q=torture", {}),
                          ("/api/recommendations?q=torture", {"Accept-Encoding": BROWSER_AE}),
                          ("/api/facets/state", {}),
                          (SEARCH_PAGE, {"Cookie": anon_cookie}),
                          (SEARCH_PAGE, {"Cookie": anon_cookie, "Accept-Encoding": BROWSER_AE}),
                          ("/", {"Cookie": anon_cookie}),
                          (CSV + "&state=SVN", {}),
                          (CSV + "&state=SVN", {"Accept-Encoding": BROWSER_AE}),
                          ("/api/export?format=xlsx&state=SVN", {})]:
        what = f"{path} {headers.get('Accept-Encoding', 'identity')}"
        a = fetch("GET", path, headers)
        etag = a.h("ETag")
        check(a.status == 200 and etag and re.fullmatch(r'(W/)?"[^"]+"', etag),
              f"{what}: an ETag ({etag})")
        cc = a.h("Cache-Control") or ""
        check("public" in cc and "no-store" not in cc and a.count("Cache-Control") == 1,
              f"{what}: publicly cacheable ({cc})")
        again = fetch("GET", path, headers)
        eq(again.h("ETag"), etag, f"{what}: the same ETag for the same content")
        nm = fetch("GET", path, {**headers, "If-None-Match": etag})
        eq(nm.status, 304, f"{what}: If-None-Match with the ETag gets 304")
        check(nm.body == b"", f"{what}: the 304 has no body")
        eq(nm.h("ETag"), etag, f"{what}: the 304 names the ETag")
        other = fetch("GET", path, {**headers, "If-None-Match": '"something-else"'})
        eq(other.status, 200, f"{what}: another ETag gets the answer")
        many = fetch("GET", path, {**headers, "If-None-Match": f'"x", {etag}'})
        eq(many.status, 304, f"{what}: the ETag in a list of them gets 304")
    for path in [SEARCH_PAGE, "/", "/browse/state"]:
        mine = fetch("GET", path, {"Cookie": anon_cookie})
        theirs = fetch("GET", path, {"Cookie": "hrt_csrf=" + "b" * 43})
        check(mine.h("ETag") and mine.h("ETag") == theirs.h("ETag") and mine.body == theirs.body,
              f"{path}: two anonymous visitors get the same page (nothing of either is in it)")
    head = fetch("HEAD", "/api/recommendations?q=torture")
    nm = fetch("HEAD", "/api/recommendations?q=torture", {"If-None-Match": head.h("ETag")})
    eq(nm.status, 304, "HEAD with If-None-Match gets 304 too")
    a = fetch("GET", "/api/recommendations?q=torture")
    b = fetch("GET", "/api/recommendations?q=torture", {"Accept-Encoding": "gzip"})
    check(a.h("ETag") != b.h("ETag"), "the gzip and identity answers have different strong ETags")
    eq(fetch("GET", "/api/recommendations?q=torture", {"If-None-Match": b.h("ETag")}).status, 200,
       "the gzip answer's ETag does not validate the identity answer")
    first_visit = fetch("GET", "/search?q=torture")
    check(first_visit.h("Set-Cookie") and "public" not in (first_visit.h("Cache-Control") or ""),
          "a page that sets a cookie is not publicly cacheable")
    exp = fetch("GET", CSV + "&state=SVN")
    check("no-store" not in (exp.h("Cache-Control") or ""), "an anonymous export is not no-store")

    # ---------- signed in: private, no ETag, no 304, no CORS ----------
    me = Client(server)
    eq(me.sign_in("admin", PW).status, 303, "admin signs in")
    session = "hrt_session=" + me.cookie("hrt_session")
    public_tag = fetch("GET", "/api/recommendations?q=torture").h("ETag")
    for path, headers in [("/api/recommendations?q=torture", {"Cookie": session}),
                          ("/api/recommendations?q=torture",
                           {"Authorization": "Bearer " + token}),
                          (SEARCH_PAGE, {"Cookie": session}),
                          (CSV + "&state=SVN", {"Authorization": "Bearer " + token}),
                          ("/api/me", {"Authorization": "Bearer " + token})]:
        what = f"{path} with {list(headers)[0]}"
        a = fetch("GET", path, {**headers, "If-None-Match": public_tag,
                                "Accept-Encoding": BROWSER_AE})
        eq(a.status, 200, f"{what}: 200 even with the public answer's ETag")
        cc = a.h("Cache-Control") or ""
        check("no-store" in cc and "private" in cc and "public" not in cc and
              a.count("Cache-Control") == 1, f"{what}: private, no-store ({cc})")
        check(a.h("ETag") is None, f"{what}: no ETag")
        check(a.h("Access-Control-Allow-Origin") is None, f"{what}: no Access-Control-Allow-Origin")

    # ---------- CORS for the public read-only API ----------
    pre_headers = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET",
                   "Access-Control-Request-Headers": "if-none-match"}
    for path in ["/api/recommendations", "/api/recommendations/R-0000000000000000",
                 "/api/export", "/api/facets/state", "/api/vocabularies"]:
        p = fetch("OPTIONS", path, pre_headers)
        eq(p.status, 204, f"OPTIONS {path}: 204")
        eq(p.h("Access-Control-Allow-Origin"), "*", f"OPTIONS {path}: Allow-Origin *")
        eq(p.h("Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS", f"OPTIONS {path}: methods")
        eq(p.h("Access-Control-Allow-Headers"), "Accept, Accept-Language, Content-Type, "
           "If-None-Match", f"OPTIONS {path}: headers")
        eq(p.h("Access-Control-Max-Age"), "86400", f"OPTIONS {path}: Max-Age")
        eq(p.h("Access-Control-Allow-Credentials"), None, f"OPTIONS {path}: no credentials")
        eq(p.h("Allow"), "GET, HEAD, OPTIONS", f"OPTIONS {path}: Allow")
        check(p.body == b"", f"OPTIONS {path}: no body")
    a = fetch("GET", "/api/recommendations?q=torture", {"Origin": "https://elsewhere.example"})
    eq(a.h("Access-Control-Allow-Origin"), "*", "a public API answer: Allow-Origin *")
    expose = [v.strip().lower() for v in (a.h("Access-Control-Expose-Headers") or "").split(",")]
    check("etag" in expose and "x-total-count" in expose,
          f"a public API answer exposes ETag and X-Total-Count ({expose})")
    check(a.h("Access-Control-Allow-Credentials") is None, "and never allows credentials")
    e = fetch("GET", CSV + "&state=SVN", {"Origin": "https://elsewhere.example"})
    check(e.h("Access-Control-Allow-Origin") == "*" and e.h("X-Total-Count"),
          "the export: Allow-Origin * and X-Total-Count")
    for path in ["/api/institutions", "/api/me", "/api/plans", "/api/log", "/login"]:
        p = fetch("OPTIONS", path, {**pre_headers, "Access-Control-Request-Method": "POST"})
        check(p.status != 204 and p.h("Access-Control-Allow-Origin") is None,
              f"OPTIONS {path} (not public): no CORS ({p.status})")
    for method, path in [("GET", "/api/me"), ("GET", "/api/institutions"), ("POST", "/api/plans"),
                         ("POST", "/login")]:
        a = fetch(method, path, {"Origin": "https://elsewhere.example", "Content-Length": "0"})
        check(a.h("Access-Control-Allow-Origin") is None,
              f"{method} {path} ({a.status}): no Access-Control-Allow-Origin")

    # ---------- at most two exports at a time ----------
    def open_export(path):
        """Starts an export and reads only its header: the server blocks writing the rest."""
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(60)
        s.connect(("127.0.0.1", server.port))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(1024)
            if not chunk:
                break
            head += chunk
        return s, head.split(b"\r\n", 1)[0].decode(errors="replace")

    def export_status(accept=None):
        h = {"Accept": accept} if accept else {}
        return fetch("GET", "/api/export?format=json&state=SVN", h)

    for round_ in (1, 2):
        held = [open_export(CSV), open_export("/api/export?format=json")]
        eq([line for _, line in held], ["HTTP/1.1 200 OK"] * 2,
           f"round {round_}: two exports are running, read slowly")
        third = export_status()
        eq(third.status, 503, f"round {round_}: a third export gets 503")
        check(third.h("Retry-After") and third.h("Retry-After").isdigit(),
              f"round {round_}: with Retry-After ({third.h('Retry-After')})")
        msg = json.loads(third.body).get("error", "") if third.status == 503 else ""
        check("export" in msg, f"round {round_}: the API says why ({msg})")
        html = export_status("text/html,application/xhtml+xml,*/*;q=0.8")
        check(html.status == 503 and (html.h("Content-Type") or "").startswith("text/html"),
              f"round {round_}: a browser gets a page ({html.status}, {html.h('Content-Type')})")
        check(html.status == 503 and b"export" in html.body, f"round {round_}: the page says why")
        eq(fetch("GET", "/api/recommendations?per_page=1").status, 200,
           f"round {round_}: searches are answered meanwhile")
        for s, _ in held:
            s.close()
        deadline, status = time.monotonic() + 20, None
        while time.monotonic() < deadline:
            status = export_status().status
            if status == 200:
                break
            time.sleep(0.2)
        eq(status, 200, f"round {round_}: once the slow readers hang up, exports run again")
finally:
    server.stop()
finish()
