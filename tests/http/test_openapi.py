"""The OpenAPI document (/api/openapi.json) is precise enough to generate a client: the real
server on the real data (UPR Info sessions 1-14 and the OHCHR Slovenia list) serves it,
Redocly's linter finds no error and no warning in it (tests/http/redocly.yaml), and every answer
of a scripted tour - public reads, signed-in reads with an API token and a session, the writes
that build a published follow-up, and their errors - matches the schema the document declares
for its path and status (ajv, tests/http/openapi_validate.js). A negative control proves the
validation bites: the same answers against a document with one schema made wrong must fail."""
import copy
import json
import os
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import check, data, eq, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server, add_user, cli_token  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BROWSER = os.path.join(HERE, "..", "browser")
NODE_MODULES = os.path.join(BROWSER, "node_modules")
if not all(os.path.isdir(os.path.join(NODE_MODULES, m)) for m in ("@redocly/cli", "ajv", "ajv-formats")):
    sys.exit("tests/browser/node_modules lacks @redocly/cli, ajv or ajv-formats: run "
             "scripts/install-deps.sh (npm ci in tests/browser)")

tmp = tmpdir()
db = os.path.join(tmp, "openapi.db")
run(db, "import", "-q", "--format", "uprinfo-csv", data("uprinfo_recommendations_sessions01-14.csv"))
run(db, "import", "-q", "--format", "ohchr-thematic-csv",
    data("ohchr_thematic_list_slovenia_cycles2-3.csv"))
for code, name, typ in [("SEC", "Secretaría de Seguimiento", "executive"),
                        ("MJ", "Ministerio de Justicia", "executive"),
                        ("CSO1", "Colectivo de Defensores", "civil_society")]:
    run(db, "institution", "add", code, "--name", name, "--type", typ)
PW = "orange-river-candle-42"
add_user(run, db, "admin", "Ada Admin", ["administrator"], password=PW)
add_user(run, db, "coord", "Carla Coordinadora", ["coordinator"], institution="SEC", password=PW)
add_user(run, db, "fp_mj", "Fernando Focal", ["focal_point"], institution="MJ", password=PW,
         email="fernando@mj.example")
add_user(run, db, "val_mj", "Valeria Validadora", ["validator"], institution="MJ", password=PW)
add_user(run, db, "rosab", "Rosa B", ["civil_society"], institution="CSO1", password=PW)
tok = {u: cli_token(run, db, u) for u in ["admin", "coord", "fp_mj", "val_mj", "rosab"]}

cases = []


def tour(client, method, template, url, expect=None, **kw):
    """One request of the tour: its answer becomes a case for the validator."""
    r = client.request(method, url, **kw)
    body = r.json() if r.body else None
    cases.append({"method": method.lower(), "path": template, "url": url, "status": r.status,
                  "body": body})
    if expect is not None:
        eq(r.status, expect, f"{method} {url}")
    return r


server = Server(db)
try:
    pub = Client(server)
    api = {u: Client(server, t) for u, t in tok.items()}
    doc = tour(pub, "GET", "/api/openapi.json", "/api/openapi.json", 200).json()

    # ---------- public reads ----------
    S = "/api/recommendations"
    first = tour(pub, "GET", S, S, 200).json()
    check(first["total"] > 1000 and first["items"], "both sources are searchable")
    tour(pub, "GET", S, S + "?q=torture&per_page=5&facet_limit=3", 200)  # with snippets
    tour(pub, "GET", S, S + "?q=%22death+penalty%22&sort=date&page=3&per_page=7&lang=fr", 200)
    tour(pub, "GET", S, S + "?facets=none&per_page=100&sort=state", 200)
    uids = {it["uid"] for it in first["items"][:2]}
    for facet, values in first["facets"].items():
        if values:
            r = tour(pub, "GET", S, f"{S}?{facet}={urllib.parse.quote(values[0]['value'])}&per_page=3&facets=none", 200)
            uids.update(it["uid"] for it in r.json()["items"][:1])
    tour(pub, "GET", S, S + "?page=zero", 400)
    tour(pub, "GET", S, S + "?nonsense=1", 400)
    for u in sorted(uids):
        tour(pub, "GET", S + "/{uid}", f"{S}/{u}", 200)
    tour(pub, "GET", S + "/{uid}", f"{S}/{sorted(uids)[0]}?lang=ar", 200)
    tour(pub, "GET", S + "/{uid}", S + "/R-doesnotexist", 404)
    vocabs = tour(pub, "GET", "/api/vocabularies", "/api/vocabularies", 200).json()["vocabularies"]
    names = [v["name"] for v in vocabs]
    check("sdg" in names and "mechanisms" in names, "the sdg vocabulary (the documented example) exists")
    for n in names:
        tour(pub, "GET", "/api/vocabularies/{name}", f"/api/vocabularies/{n}", 200)
    tour(pub, "GET", "/api/vocabularies/{name}", "/api/vocabularies/sdg?lang=fr", 200)
    tour(pub, "GET", "/api/vocabularies/{name}", "/api/vocabularies/sdg-goals", 404)
    for facet in first["facets"]:
        tour(pub, "GET", "/api/facets/{name}", f"/api/facets/{facet}", 200)
    tour(pub, "GET", "/api/facets/{name}", "/api/facets/nonsense", 404)
    exp = tour(pub, "GET", "/api/export", "/api/export?format=json&q=torture&state=SVN", 200)
    check(any(r["action_category"] is None for r in exp.json()),
          "the JSON export writes null for an unknown action category (nullable in the schema)")
    tour(pub, "GET", "/api/health", "/api/health", 200)
    etag = pub.get("/api/vocabularies").headers.get("ETag")
    check(bool(etag), "a public answer has an ETag")
    tour(pub, "GET", "/api/vocabularies", "/api/vocabularies", 304, headers={"If-None-Match": etag})
    tour(pub, "GET", "/api/me", "/api/me", 401)
    tour(Client(server, "hrt_notavalidtoken"), "GET", S, S, 401)
    tour(pub, "POST", "/api/clusters", "/api/clusters", 401, json_body={"name": "x"})

    # ---------- signed in: administration ----------
    ad = api["admin"]
    tour(ad, "GET", "/api/me", "/api/me", 200)
    insts = tour(ad, "GET", "/api/institutions", "/api/institutions", 200).json()["institutions"]
    inst = {i["code"]: i["id"] for i in insts}
    r = tour(ad, "POST", "/api/institutions", "/api/institutions", 201,
             json_body={"code": "MS", "name": "Ministerio de Salud", "type": "executive"})
    ms = r.json()["id"]
    tour(ad, "POST", "/api/institutions", "/api/institutions", 400, json_body={"code": "MS"})
    fp_id = [u for u in ad.get(f"/api/institutions/{inst['MJ']}/users").json()["users"]
             if u["username"] == "fp_mj"][0]["id"]
    tour(ad, "POST", "/api/institutions/{id}", f"/api/institutions/{inst['MJ']}", 200,
         json_body={"main_focal": fp_id})
    tour(ad, "GET", "/api/institutions/{id}", f"/api/institutions/{inst['MJ']}", 200)
    tour(ad, "GET", "/api/institutions/{id}", f"/api/institutions/{ms}", 200)
    tour(ad, "GET", "/api/institutions/{id}", "/api/institutions/99999", 404)
    tour(ad, "GET", "/api/institutions/{id}/users", f"/api/institutions/{inst['MJ']}/users", 200)
    r = tour(ad, "POST", "/api/users", "/api/users", 201,
             json_body={"username": "nuevo", "display_name": "Nuevo Usuario", "role": "reviewer"})
    new_id = r.json()["id"]
    tour(ad, "POST", "/api/users/{id}/roles", f"/api/users/{new_id}/roles", 200,
         json_body={"role": ["reviewer", "parliament"]})
    tour(ad, "POST", "/api/users/{id}/disable", f"/api/users/{new_id}/disable", 200)
    tour(ad, "POST", "/api/users/{id}/enable", f"/api/users/{new_id}/enable", 200)
    tour(ad, "POST", "/api/users/{id}/reset", f"/api/users/{new_id}/reset", 200)
    tour(ad, "GET", "/api/policy-plans", "/api/policy-plans", 200)
    r = tour(ad, "POST", "/api/policy-plans", "/api/policy-plans", 201,
             json_body={"kind": "nhrap", "name": "Plan Nacional de Derechos Humanos",
                        "period": "2026-2030"})
    pp = r.json()["id"]
    r = tour(ad, "POST", "/api/policy-plans/{id}/items", f"/api/policy-plans/{pp}/items", 201,
             json_body={"code": "3.2", "title": "Pueblos indígenas"})
    item = r.json()["id"]
    tour(ad, "POST", "/api/policy-items/{id}", f"/api/policy-items/{item}", 200,
         json_body={"title": "Derechos de los pueblos indígenas"})
    tour(ad, "GET", "/api/policy-plans", "/api/policy-plans", 200)

    # ---------- signed in: a follow-up built and published ----------
    uid = sorted(uids)[0]
    co, fp, val, cso = api["coord"], api["fp_mj"], api["val_mj"], api["rosab"]
    r = tour(co, "POST", "/api/clusters", "/api/clusters", 201,
             json_body={"name": "Tortura", "uid": sorted(uids)[:2]})
    cl = r.json()["id"]
    tour(co, "POST", "/api/clusters/{id}/members", f"/api/clusters/{cl}/members", 200,
         json_body={"uid": sorted(uids)[2:4]})
    tour(co, "POST", "/api/assignments", "/api/assignments", 201,
         json_body={"uid": uid, "institution": inst["MJ"]})
    r = tour(fp, "POST", "/api/plans", "/api/plans", 201,
             json_body={"uid": uid, "title": "Plan contra la tortura", "expected_results": "Menos"})
    plan = r.json()["id"]
    tour(fp, "POST", "/api/plans/{id}/actions", f"/api/plans/{plan}/actions", 201,
         json_body={"description": "Capacitar", "cost": "1200", "currency": "USD"})
    r = tour(fp, "POST", "/api/plans/{id}/indicators", f"/api/plans/{plan}/indicators", 201,
             json_body={"name": "Funcionarios capacitados", "baseline": "0", "target": "100"})
    indicator = r.json()["id"]
    tour(fp, "POST", "/api/plans/{id}/links", f"/api/plans/{plan}/links", 201,
         json_body={"sdg_target": "16.2"})
    tour(fp, "POST", "/api/plans/{id}/links", f"/api/plans/{plan}/links", 201,
         json_body={"policy_item": item})

    def step(client, entity, i, name, comment=""):
        return tour(client, "POST", "/api/workflow/{entity}/{id}", f"/api/workflow/{entity}/{i}",
                    json_body={"transition": name, "comment": comment})

    step(val, "plan", plan, "validate")  # a draft: 400
    for client, name in [(fp, "submit"), (val, "validate"), (co, "approve"), (co, "publish")]:
        eq(step(client, "plan", plan, name).status, 200, f"plan {name}")
    r = tour(fp, "POST", "/api/updates", "/api/updates", 201,
             json_body={"uid": uid, "plan": plan, "date": "2026-10-15",
                        "measure_type": "administrative", "description": "Se capacitaron 20",
                        "indicator": [indicator], "value": ["20"]})
    upd = r.json()["id"]
    tour(fp, "POST", "/api/updates/{id}/evidence", f"/api/updates/{upd}/evidence", 201,
         json_body={"url": "https://example.org/informe.pdf"})
    for client, name in [(fp, "submit"), (val, "validate"), (co, "approve"), (co, "publish")]:
        step(client, "progress_update", upd, name)
    r = tour(cso, "POST", "/api/assessments", "/api/assessments", 201,
             json_body={"uid": uid, "status": "in_progress", "assessed_on": "2026-11-01",
                        "justification": "Avances parciales"})
    aid = r.json()["id"]
    tour(cso, "POST", "/api/assessments/{id}", f"/api/assessments/{aid}", 200,
         json_body={"justification": "Avances parciales, sin presupuesto"})
    eq(step(cso, "assessment", aid, "publish").status, 200, "the assessment is published")
    tour(co, "POST", "/api/recommendations/{uid}/status", f"{S}/{uid}/status", 200,
         json_body={"status": "in_progress", "justification": "En curso"})
    tour(co, "POST", "/api/plans", "/api/plans",
         json_body={"uid": uid, "title": "x", "institution": 99999})

    # ---------- signed in: reads ----------
    fu = tour(pub, "GET", S + "/{uid}/followup", f"{S}/{uid}/followup", 200).json()
    check(fu["has_plans"] and fu["has_assessments"], "the public follow-up shows the plan and the assessment")
    tour(pub, "GET", S + "/{uid}/followup", f"{S}/{uid}/followup?lang=es", 200)
    tour(pub, "GET", S + "/{uid}/followup", f"{S}/{sorted(uids)[-1]}/followup", 200)
    tour(pub, "GET", S + "/{uid}/followup", f"{S}/R-doesnotexist/followup", 404)
    tour(fp, "GET", "/api/followup/{uid}", f"/api/followup/{uid}", 200)
    tour(pub, "GET", "/api/followup/{uid}", f"/api/followup/{uid}", 401)
    tour(fp, "GET", "/api/plans/{id}", f"/api/plans/{plan}", 200)
    tour(fp, "GET", "/api/plans/{id}", "/api/plans/99999", 404)
    tour(val, "GET", "/api/review", "/api/review", 200)
    tour(fp, "GET", "/api/reminders", "/api/reminders", 200)
    tour(co, "GET", "/api/log", "/api/log?limit=50", 200)
    tour(co, "GET", "/api/log", "/api/log?entity=recommendation&limit=5", 200)
    tour(fp, "GET", "/api/log", "/api/log", 403)
    tour(co, "GET", S + "/{uid}/history", f"{S}/{uid}/history", 200)
    tour(co, "GET", S, f"{S}?institution=MJ&per_page=5", 200)
    tour(co, "GET", "/api/export", "/api/export?format=json&institution=MJ", 200)
    # A session (the cookie scheme): sign in on /login, then the API knows who asks.
    web = Client(server)
    web.sign_in("fp_mj", PW)
    me = tour(web, "GET", "/api/me", "/api/me", 200).json()
    check(me["username"] == "fp_mj" and not me["via_token"], "a session cookie authenticates the API")
    tour(web, "POST", "/api/clusters", "/api/clusters", 403, json_body={"name": "no csrf"})
finally:
    server.stop()

doc_file = os.path.join(tmp, "openapi.json")
with open(doc_file, "w", encoding="utf-8") as f:
    json.dump(doc, f)

# ---------- lint ----------
lint = subprocess.run(["npx", "--no-install", "redocly", "lint", "--format=json",
                       "--config", os.path.join(HERE, "redocly.yaml"), doc_file],
                      cwd=BROWSER, capture_output=True, text=True)
try:
    report = json.loads(lint.stdout[lint.stdout.index("{"):])
except ValueError:
    report = {"totals": {"errors": -1, "warnings": -1}, "problems": []}
    print(lint.stdout, lint.stderr)
for p in report.get("problems", [])[:20]:
    print(p.get("severity"), p.get("ruleId"), p.get("message"),
          [loc.get("pointer") for loc in p.get("location", [])])
eq(lint.returncode, 0, "redocly lint exits 0")
eq(report["totals"]["errors"], 0, "redocly: no error")
eq(report["totals"]["warnings"], 0, "redocly: no warning")

# ---------- every answer of the tour against its declared schema ----------


def validate(document, name):
    df = os.path.join(tmp, name)
    with open(df, "w", encoding="utf-8") as f:
        json.dump(document, f)
    cf = os.path.join(tmp, "cases.json")
    with open(cf, "w", encoding="utf-8") as f:
        json.dump(cases, f)
    env = dict(os.environ, NODE_PATH=NODE_MODULES)
    return subprocess.run(["node", os.path.join(HERE, "openapi_validate.js"), df, cf],
                          capture_output=True, text=True, env=env)


v = validate(doc, "openapi.json")
print(v.stdout, v.stderr, end="")
eq(v.returncode, 0, f"all {len(cases)} answers of the tour match the document")
statuses = sorted({c["status"] for c in cases})
check({200, 201, 304, 400, 401, 403, 404} <= set(statuses), f"the tour covers statuses {statuses}")
schemas = {c["path"] for c in cases}
check(len(schemas) >= 40, f"the tour covers {len(schemas)} paths")

# Negative controls: the same answers against a document made wrong in one place must fail.


def first_failure(v):
    return next((line for line in v.stdout.splitlines() if line.startswith("FAIL")), "(none)")


bad = copy.deepcopy(doc)
bad["components"]["schemas"]["Health"]["properties"]["records"]["type"] = "string"
v = validate(bad, "bad1.json")
check(v.returncode == 1 and "/api/health" in v.stdout, "a wrong type is caught: " + first_failure(v))
bad = copy.deepcopy(doc)
del bad["components"]["schemas"]["Recommendation"]["properties"]["upr_cycle"]
v = validate(bad, "bad2.json")
check(v.returncode == 1 and "upr_cycle" in v.stdout,
      "a record field the schema does not declare is caught: " + first_failure(v))
bad = copy.deepcopy(doc)
del bad["paths"]["/api/clusters"]["post"]["responses"]["201"]
v = validate(bad, "bad3.json")
check(v.returncode == 1 and "status 201 is not declared" in v.stdout,
      "an undeclared status is caught: " + first_failure(v))
finish()
