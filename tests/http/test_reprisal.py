"""Reprisal safety, exhaustively (issues #5, #17): a civil-society organisation's assessments,
sent through the API and through the page form with every accepted spelling of `protected`
(and without it: protection is the default), published; then every public answer (every page
and API route the public may read, each record page, every facet's browse page, the exports, in
all six languages) is searched for the organisation's name, its person's name, user name and
e-mail address: raw, HTML-, JSON-, XML- and percent-encoded, and inside the XLSX's parts. Zero
hits. A control organisation that opted out (protected=false) must be found, so the search
can fail."""
import html
import io
import json
import os
import re
import sys
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import check, data, eq, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server, add_user, cli_token  # noqa: E402

TRUE = ["true", "1", "on", "yes", "TRUE", "True", "On", "YES"]
LANGS = ["en", "fr", "es", "ar", "zh", "ru"]
ORG, PERSON, LOGIN, EMAIL = ("Colectivo Ñandutí de Defensores", "Rosa Benítez Aquino", "rosab",
                             "rosa.benitez@nanduti.example")
OPEN_ORG = "Observatorio Abierto Kuñatai"  # opted out: its name is public (the control)

tmp = tmpdir()
db = os.path.join(tmp, "reprisal.db")
run(db, "import", "-q", "--format", "ohchr-thematic-csv",
    data("ohchr_thematic_list_slovenia_cycles2-3.csv"))
run(db, "institution", "add", "CSO1", "--name", ORG, "--type", "civil_society")
run(db, "institution", "add", "CSO2", "--name", OPEN_ORG, "--type", "civil_society")
PW = "orange-river-candle-42"
add_user(run, db, LOGIN, PERSON, ["civil_society"], institution="CSO1", password=PW, email=EMAIL)
add_user(run, db, "open", "Ana Abierta", ["civil_society"], institution="CSO2", password=PW)
token = cli_token(run, db, LOGIN)
open_token = cli_token(run, db, "open")

server = Server(db)
try:
    api = Client(server, token)
    pub = Client(server)
    uids = [it["uid"] for it in pub.get("/api/recommendations?per_page=40&facets=none").json()["items"]]
    made = []  # (uid, how)

    def publish(client, aid):
        r = client.post(f"/api/workflow/assessment/{aid}", json_body={"transition": "publish"})
        return r.status == 200 and r.json()["state"] == "published"

    k = 0
    for spelling in TRUE + [None]:
        for as_json in (True, False):
            body = {"uid": uids[k], "status": "not_started", "assessed_on": "2026-11-10",
                    "justification": f"Sin avances ({spelling}, {'json' if as_json else 'form'})"}
            if spelling is not None:
                body["protected"] = spelling
            r = api.post("/api/assessments", json_body=body) if as_json else \
                api.post("/api/assessments", form=body)
            check(r.status == 201 and publish(api, r.json()["id"]),
                  f"API assessment with protected={spelling!r} ({'JSON' if as_json else 'form'}) published")
            made.append(uids[k])
            k += 1
    web = Client(server)
    eq(web.sign_in(LOGIN, PW).status, 303, "the organisation signs in")
    for spelling in TRUE + [None]:
        page = f"/followup/{uids[k]}"
        form = {"csrf": web.csrf(page), "uid": uids[k], "status": "in_progress",
                "assessed_on": "2026-11-11", "justification": f"Formulario ({spelling})"}
        if spelling is not None:
            form["protected"] = spelling
        eq(web.post("/assessments", form=form).status, 303, f"form assessment protected={spelling!r}")
        aid = [a["id"] for a in api.get(f"/api/followup/{uids[k]}").json()["assessments"]][0]
        check(publish(api, aid), f"form assessment protected={spelling!r} published")
        made.append(uids[k])
        k += 1
    # The control: an organisation that chose to be named.
    control_uid = uids[k]
    r = Client(server, open_token).post("/api/assessments", json_body={
        "uid": control_uid, "status": "in_progress", "assessed_on": "2026-11-12",
        "justification": "Publicamos nuestro nombre", "protected": "false"})
    check(r.status == 201 and publish(Client(server, open_token), r.json()["id"]),
          "the control organisation publishes under its name")

    # ---------- every public answer ----------
    spec = pub.get("/api/openapi.json").json()
    facets = list(pub.get("/api/recommendations?per_page=1").json()["facets"].keys())
    fill = {"uid": made[0], "name": "uhri-themes"}
    paths = ["/", "/search", "/search?q=defensores", "/browse", "/api", "/login"]
    paths += [f"/browse/{f}" for f in facets]
    paths += [f"/recommendations/{u}" for u in made + [control_uid]]
    paths += [f"/search?assessment_civil_society=not_started", "/search?assessment_civil_society=in_progress"]
    for p, ops in spec["paths"].items():
        op = ops.get("get")
        if not op or op.get("x-permission") not in (None, "record.read"):
            continue
        if "{" in p:
            if "{uid}" in p:
                for u in made + [control_uid]:
                    paths.append(p.replace("{uid}", u))
                continue
            if "{name}" in p and "facets" in p:
                paths += [p.replace("{name}", f) for f in facets]
                continue
            p = re.sub(r"\{(\w+)\}", lambda m: fill.get(m.group(1), "x"), p)
        if p == "/api/export":
            for fmt in ["csv", "json", "xlsx"]:
                paths.append(f"/api/export?format={fmt}")
            continue
        paths.append(p)
    paths.append("/api/recommendations?per_page=1000&facet_limit=0")
    forms = []
    for s in [ORG, PERSON, LOGIN, EMAIL]:
        forms += [s, html.escape(s), html.escape(s, quote=False), json.dumps(s).strip('"'),
                  json.dumps(s, ensure_ascii=False).strip('"'), urllib.parse.quote(s),
                  urllib.parse.quote_plus(s), s.upper(), s.lower()]
        forms += ["".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in s)]
    needles = sorted({f.encode() for f in forms})
    control = OPEN_ORG.encode()

    def bodies(r):
        yield r.body
        if r.body[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(r.body)) as z:
                for n in z.namelist():
                    yield z.read(n)

    hits, answers, control_seen, refused = [], 0, 0, set()
    for lang in LANGS:
        for p in paths:
            url = p + ("&" if "?" in p else "?") + "lang=" + lang
            r = pub.get(url)
            if r.status in (401, 403, 404):
                refused.add(p)  # not public (signed-in routes): nothing to read there
                continue
            answers += 1
            if r.status >= 400:
                hits.append(f"{url}: HTTP {r.status}")
                continue
            for b in bodies(r):
                control_seen += control in b
                for n in needles:
                    if n in b:
                        hits.append(f"{url}: {n!r}")
    eq(hits[:20], [], f"no trace of the protected organisation in {answers} public answers "
                      f"({len(paths) - len(refused)} public addresses x {len(LANGS)} languages)")
    for must in ["/", f"/recommendations/{made[0]}", f"/api/recommendations/{made[0]}/followup",
                 "/api/export?format=xlsx", "/browse/assessment_civil_society"]:
        check(must not in refused, f"{must} was read")
    check(control_seen > 0, f"(control: the organisation that opted out is found, {control_seen}x)")
    check(ORG.encode() in api.get(f"/api/followup/{made[0]}").body,
          "(control: the organisation's own view names it)")
finally:
    server.stop()
finish()
