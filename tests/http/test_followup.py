"""The follow-up through the real server on the real UPR Info data: a cluster built from a
search, assignment, a plan with a costed action and an indicator, a progress update with an
evidence file, the review workflow to publication, assessments of the three parties side by
side, the official status, the follow-up facets - and reprisal safety: the protected
civil-society organisation's name, its people's names and e-mail addresses appear nowhere on the
public side (every public page, API answer and export, byte for byte). Expected counts are
computed here from the CSV."""
import csv
import io
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import check, data, eq, eventually, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server, add_user, cli_token  # noqa: E402

CSV = data("uprinfo_recommendations_sessions01-14.csv")
with open(CSV, encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
seen, src = set(), []
for r in rows:
    t = tuple(r.values())
    if t not in seen:
        seen.add(t)
        src.append(r)
INDIGENOUS = [r for r in src if r["To"] == "Paraguay" and "Indigenous peoples" in
              [i.strip() for i in r["Issue"].split(",")]]
TORTURE = [r for r in src if r["To"] == "Paraguay" and "Torture and other CID treatment" in
           [i.strip() for i in r["Issue"].split(",")]]

tmp = tmpdir()
db = os.path.join(tmp, "followup.db")
run(db, "import", "-q", "--format", "uprinfo-csv", CSV)
for code, name, typ in [("SEC", "Secretaría de Seguimiento", "executive"),
                        ("MJ", "Ministerio de Justicia", "executive"),
                        ("MS", "Ministerio de Salud", "executive"),
                        ("DP", "Defensoría del Pueblo", "nhri"),
                        ("CSO1", "Colectivo Ñandutí de Defensores", "civil_society")]:
    run(db, "institution", "add", code, "--name", name, "--type", typ)
PW = "orange-river-candle-42"
CSO_ORG = "Colectivo Ñandutí de Defensores"
CSO_PEOPLE = ["Rosa Benítez Aquino", "rosa.benitez@nanduti.example", "rosab"]
add_user(run, db, "coord", "Carla Coordinadora", ["coordinator"], institution="SEC", password=PW,
         email="carla@sec.example")
add_user(run, db, "fp_mj", "Fernando Focal", ["focal_point"], institution="MJ", password=PW,
         email="fernando@mj.example")
add_user(run, db, "val_mj", "Valeria Validadora", ["validator"], institution="MJ", password=PW)
add_user(run, db, "fp_ms", "Sofía Salud", ["focal_point"], institution="MS", password=PW)
add_user(run, db, "nhri", "Nicolás Defensor", ["nhri"], institution="DP", password=PW)
add_user(run, db, "rosab", "Rosa Benítez Aquino", ["civil_society"], institution="CSO1",
         password=PW, email="rosa.benitez@nanduti.example")
tok = {u: cli_token(run, db, u) for u in ["coord", "fp_mj", "val_mj", "fp_ms", "nhri", "rosab"]}

# National plans are data: imported from CSV, all or nothing, and editable by re-import.
policy_csv = os.path.join(tmp, "policy.csv")
with open(policy_csv, "w", encoding="utf-8") as f:
    f.write("kind,plan,period,code,title\n"
            "nhrap,Plan Nacional de Derechos Humanos,2013-2028,3.2,Derechos de los pueblos indígenas\n"
            "ndp,Plan Nacional de Desarrollo,2030,1.1,Reducción de la pobreza\n"
            "plan,Otro,,x,y\n")
p = run(db, "policy", "import", policy_csv, ok=False)
check(p.returncode != 0 and "row 4, column 'kind'" in p.stderr, "a bad national-plan row is named")
eq(run(db, "policy", "list").stdout, "", "nothing was imported from the bad file")
with open(policy_csv, "w", encoding="utf-8") as f:
    f.write("kind,plan,period,code,title\n"
            "nhrap,Plan Nacional de Derechos Humanos,2013-2028,3.2,Derechos de los pueblos indígenas\n"
            "ndp,Plan Nacional de Desarrollo,2030,1.1,Reducción de la pobreza\n")
check("2 plans and 2 items created" in run(db, "policy", "import", policy_csv).stdout,
      "national plans imported")

server = Server(db)
try:
    api = {u: Client(server, t) for u, t in tok.items()}
    pub = Client(server)
    inst = {i["code"]: i["id"] for i in api["coord"].get("/api/institutions").json()["institutions"]}

    # ---------- a cluster from a search, in one step (the page form, with CSRF) ----------
    co = Client(server)
    eq(co.sign_in("coord", PW).status, 303, "the coordinator signs in")
    search = {"state": "PRY", "issue": "Indigenous peoples"}
    page = co.get("/search?" + urllib.parse.urlencode(search)).text
    check('action="/clusters"' in page, "the search page offers the coordinator a cluster form")
    m = re.search(r'<form method="post" action="/clusters".*?</form>', page, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', m.group(0))) if m else {}
    fields = {k: v.replace("&#39;", "'").replace("&amp;", "&") for k, v in fields.items()}
    fields["name"] = "Pueblos indígenas"
    r = co.post("/clusters", form=fields)
    eq(r.status, 303, "the cluster is made from the search")
    cluster_id = int(r.headers["Location"].rsplit("/", 1)[1])
    r = co.post("/clusters", form={"name": "Todo", "csrf": fields["csrf"]})
    check(r.status == 400 and "narrow it" in r.text,
          "a cluster of the whole database (26k) is refused with a reason")
    cpage = co.get(f"/clusters/{cluster_id}").text
    check(f">{len(INDIGENOUS)}<" in cpage or f": {len(INDIGENOUS)}<" in cpage,
          f"the cluster holds the {len(INDIGENOUS)} matching recommendations (CSV count)")
    eq(pub.get("/search?cluster=" + str(cluster_id)).status, 200, "cluster filter on the portal")
    eq(api["coord"].get(f"/api/recommendations?cluster={cluster_id}&per_page=1").json()["total"],
       len(INDIGENOUS), "the cluster facet counts the cluster's recommendations")
    uids = [it["uid"] for it in api["coord"].get(
        f"/api/recommendations?cluster={cluster_id}&per_page=100").json()["items"]]
    uid = uids[0]

    # ---------- assignment ----------
    r = co.post(f"/clusters/{cluster_id}/assign",
                form={"institution": inst["MJ"], "role": "lead", "csrf": co.csrf(f"/clusters/{cluster_id}")})
    eq(r.status, 303, "the coordinator assigns the Ministry of Justice to the cluster")
    eq(api["fp_ms"].post("/api/plans", json_body={"cluster": cluster_id, "title": "x"}).status,
       403, "a focal point of an unassigned ministry cannot plan for the cluster")
    eq(api["coord"].get(f"/api/recommendations?institution=MJ&per_page=1").json()["total"],
       len(INDIGENOUS), "institution facet: every recommendation of the cluster")
    # Bulk assignment from a search (the torture recommendations to the health ministry).
    r = api["coord"].post("/api/assignments", json_body={"uid": uid, "institution": inst["MS"],
                                                         "role": "support"})
    eq(r.status, 201, "a supporting institution on one recommendation")
    eq(api["coord"].post("/api/assignments", json_body={"uid": uid, "institution": inst["MS"],
                                                        "role": "support"}).status,
       400, "the same assignment twice is refused")
    bulk = {"state": "PRY", "issue": "Torture and other CID treatment"}
    spage = co.get("/search?" + urllib.parse.urlencode(bulk)).text
    m = re.search(r'<form method="post" action="/search/assign".*?</form>', spage, re.S)
    bf = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', m.group(0))) if m else {}
    bf.update({"institution": str(inst["MS"]), "role": "lead"})
    eq(co.post("/search/assign", form=bf).status, 303, "bulk assignment from a search")
    ms_total = api["coord"].get("/api/recommendations?institution=MS&per_page=1").json()["total"]
    uid_text = pub.get(f"/api/recommendations/{uid}").json()["text"]
    expected_ms = len(TORTURE) + (0 if uid_text in {r["Text"] for r in TORTURE} else 1)
    eq(ms_total, expected_ms, "institution=MS: the torture recommendations plus the one supported")

    # ---------- the plan: a costed action and an indicator ----------
    fp = api["fp_mj"]
    r = fp.post("/api/plans", json_body={"cluster": cluster_id, "title": "Plan nacional de pueblos indígenas",
                                          "expected_results": "Tierras tituladas"})
    eq(r.status, 201, "the focal point starts a plan for the cluster")
    plan_id = r.json()["id"]
    eq(fp.post(f"/api/plans/{plan_id}/actions", json_body={
        "description": "Titular tierras comunitarias", "start_date": "2026-01-01",
        "end_date": "2027-06-30", "cost": "1250000.50", "currency": "pyg",
        "funding_source": "Presupuesto General", "budget_line": "12-03-001"}).status, 201,
       "a costed action")
    r = fp.post(f"/api/plans/{plan_id}/actions", json_body={"description": "x", "cost": "12,5",
                                                            "currency": "PYG"})
    check(r.status == 400 and "cost" in r.json()["error"], "a malformed cost is refused, naming the field")
    items = pub.get("/api/policy-plans").json()["policy_plans"]
    nhrap_item = [i["id"] for p_ in items if p_["kind"] == "nhrap" for i in p_["items"]][0]
    eq(fp.post(f"/api/plans/{plan_id}/links", json_body={"policy_item": nhrap_item}).status, 201,
       "the plan links to an item of the national human rights action plan")
    eq(fp.post(f"/api/plans/{plan_id}/links", json_body={"sdg_target": "10.2"}).status, 201,
       "and to an SDG target")
    r = fp.post(f"/api/plans/{plan_id}/indicators", json_body={
        "name": "Comunidades con título", "baseline": "12", "target": "60", "unit": "comunidades",
        "means_of_verification": "Registro del INDI", "frequency_months": 6,
        "disaggregation": "por departamento"})
    eq(r.status, 201, "an indicator")
    indicator_id = r.json()["id"]
    eq(api["fp_ms"].post(f"/api/plans/{plan_id}/actions", json_body={"description": "y"}).status,
       403, "another ministry cannot change the plan")

    def step(client, entity, item, name, comment=""):
        return client.post(f"/api/workflow/{entity}/{item}",
                           json_body={"transition": name, "comment": comment})

    eq(step(api["val_mj"], "plan", plan_id, "validate").status, 400, "a draft cannot be validated")
    eq(step(fp, "plan", plan_id, "submit").json()["state"], "submitted", "the plan is submitted")
    eq(fp.post(f"/api/plans/{plan_id}/actions", json_body={"description": "late"}).status, 400,
       "a submitted plan cannot be changed")
    eq(step(api["val_mj"], "plan", plan_id, "return").status, 400, "returning needs a comment")
    eq(step(api["val_mj"], "plan", plan_id, "return", "Falta el indicador de presupuesto").json()["state"],
       "returned", "the validator returns it with a comment")
    eq(step(fp, "plan", plan_id, "submit").json()["state"], "submitted", "submitted again")
    eq(step(api["coord"], "plan", plan_id, "validate").status, 403, "the coordinator cannot validate")
    eq(step(api["val_mj"], "plan", plan_id, "validate").json()["state"], "validated", "validated")
    eq(step(api["coord"], "plan", plan_id, "approve").json()["state"], "approved", "approved")
    check("Plan nacional" not in pub.get(f"/recommendations/{uid}").text,
          "an approved plan is not public yet")
    eq(step(api["coord"], "plan", plan_id, "publish").json()["state"], "published", "published")

    # Hostile text in a plan is shown as text, never run.
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    hp = fp.post("/api/plans", json_body={"cluster": cluster_id, "title": evil,
                                          "expected_results": evil}).json()["id"]
    fp.post(f"/api/plans/{hp}/actions", json_body={"description": evil, "funding_source": evil})
    fpc = Client(server)
    fpc.sign_in("fp_mj", PW)
    for path in [f"/plans/{hp}", f"/clusters/{cluster_id}", f"/followup/{uid}"]:
        body = fpc.get(path).text
        check("<script>alert" not in body and "<img src=x" not in body and
              "&lt;script&gt;" in body, f"hostile text is escaped on {path}")

    # ---------- a progress update with an evidence file ----------
    r = fp.post("/api/updates", json_body={"uid": uid, "plan": plan_id, "date": "2026-10-15",
                                           "measure_type": "administrative",
                                           "description": "Se titularon 8 comunidades",
                                           "indicator": [indicator_id], "value": ["20"]})
    eq(r.status, 201, "a progress update with an indicator value")
    upd = r.json()["id"]
    pdf = b"%PDF-1.4\n% evidencia\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    boundary = "----hrtrackTestBoundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"resolución 12.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
    r = fp.request("POST", f"/api/updates/{upd}/evidence", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"}, form=None)
    import urllib.request
    req = urllib.request.Request(server.base + f"/api/updates/{upd}/evidence", data=body, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                          "Authorization": "Bearer " + tok["fp_mj"]})
    with urllib.request.urlopen(req) as resp:
        ev = json.loads(resp.read())["evidence"][0]["id"]
    check(ev > 0, "the evidence file is attached")
    fake = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n<script>alert(1)</script>\r\n--{boundary}--\r\n").encode()
    req = urllib.request.Request(server.base + f"/api/updates/{upd}/evidence", data=fake, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                          "Authorization": "Bearer " + tok["fp_mj"]})
    try:
        urllib.request.urlopen(req)
        check(False, "a file that is not what its name says is refused")
    except urllib.error.HTTPError as e:
        check(e.code == 400 and b"first bytes" in e.read(), "a file that is not what its name says is refused")
    eq(pub.get(f"/evidence/{ev}").status, 404, "unpublished evidence does not exist for the public")
    for who, name in [(fp, "submit"), (api["val_mj"], "validate"), (api["coord"], "approve"),
                      (api["coord"], "publish")]:
        step(who, "progress_update", upd, name)
    r = pub.get(f"/evidence/{ev}")
    eq(r.status, 200, "published evidence can be downloaded by anyone")
    eq(r.body, pdf, "the file comes back byte for byte")
    check(r.headers.get("Content-Disposition", "").startswith("attachment;"),
          "evidence is always served as an attachment")
    eq(r.headers.get("Content-Type"), "application/octet-stream", "never as a renderable type")
    stored = os.listdir(db + "-evidence")
    check(len(stored) == 1 and not os.path.abspath(db + "-evidence").startswith(
        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "src"))),
          "the file is stored by its hash outside any served folder")

    # ---------- assessments side by side, the official status ----------
    gov = api["fp_mj"].post("/api/assessments", json_body={
        "uid": uid, "status": "partially_implemented", "assessed_on": "2026-11-01",
        "justification": "8 de 60 comunidades tituladas"})
    eq(gov.status, 201, "the government's assessment (draft)")
    g = gov.json()["id"]
    for who, name in [(fp, "submit"), (api["val_mj"], "validate"), (api["coord"], "approve"),
                      (api["coord"], "publish")]:
        step(who, "assessment", g, name)
    n = api["nhri"].post("/api/assessments", json_body={
        "uid": uid, "status": "in_progress", "assessed_on": "2026-11-05",
        "justification": "Los títulos no se entregaron aún"}).json()["id"]
    eq(step(api["nhri"], "assessment", n, "publish").json()["state"], "published",
       "the NHRI publishes its own assessment")
    c = api["rosab"].post("/api/assessments", json_body={
        "uid": uid, "status": "not_started", "assessed_on": "2026-11-10",
        "justification": "Las comunidades siguen sin tierras", "protected": True}).json()["id"]
    eq(step(api["coord"], "assessment", c, "publish").status, 403,
       "the coordinator cannot publish civil society's assessment")
    eq(step(api["rosab"], "assessment", c, "publish").json()["state"], "published",
       "the organisation publishes its protected assessment")
    eq(api["coord"].post(f"/api/recommendations/{uid}/status", json_body={
        "status": "in_progress", "justification": "Según el plan"}).status, 200,
       "the coordinator sets the official status")
    fu = pub.get(f"/api/recommendations/{uid}/followup").json()
    cols = {col["party"]: col["items"] for col in fu["parties"]}
    eq([a["status"] for a in cols["Government"]], ["Partially implemented"], "government column")
    eq([a["status"] for a in cols["National human rights institution"]], ["In progress"], "NHRI column")
    eq([a["status"] for a in cols["Civil society"]], ["Not started"], "civil society column")
    eq([a["author"] for a in cols["Civil society"]], ["a civil society organisation"],
       "the protected organisation is shown only as 'a civil society organisation'")
    eq(cols["Government"][0]["scale"], "partially complied", "Uganda's scale alongside")
    page = pub.get(f"/recommendations/{uid}").text
    for s in ["Plan nacional de pueblos indígenas", "1,250,000.50 PYG", "Comunidades con título",
              "3.2 Derechos de los pueblos indígenas", "SDG 10.2",
              "Se titularon 8 comunidades", "resolución 12.pdf", "a civil society organisation"]:
        check(s in page, f"the public page shows: {s}")
    # The coordinator (government) sees the organisation masked too.
    internal = api["coord"].get(f"/api/followup/{uid}").json()
    cso = [a for a in internal["assessments"] if a["party"] == "civil_society"]
    eq([(a["author"], a["person"]) for a in cso], [("a civil society organisation", "")],
       "government users see only 'a civil society organisation'")
    own = api["rosab"].get(f"/api/followup/{uid}").json()
    check(any(a["author"] == CSO_ORG for a in own["assessments"]), "the organisation sees itself")

    # ---------- facets of the follow-up ----------
    def total(q):
        return pub.get("/api/recommendations?per_page=1&" + q).json()["total"]
    # Published by others a moment ago: the public sees it once the index is rebuilt (in the
    # background, within about a second).
    def soon(q, want):
        return eventually(lambda: total(q), want)[0]
    eq(soon("status=in_progress", 1), 1, "official status facet")
    eq(soon("assessment_civil_society=not_started", 1), 1, "civil society's assessment facet")
    eq(soon("assessment_nhri=in_progress&assessment_government=partially_implemented", 1), 1,
       "assessments of two parties combined")
    eq(soon(f"cluster={cluster_id}&no_update_months=0", len(INDIGENOUS)), len(INDIGENOUS),
       "no_update_months=0: every followed recommendation of the cluster")
    eq(soon(f"cluster={cluster_id}&no_update_months=12", len(INDIGENOUS) - 1), len(INDIGENOUS) - 1,
       "no_update_months=12: all but the one updated in 2026-10")

    page = pub.get(f"/search?cluster={cluster_id}").text
    check(f"no_update_months=12" in page and "12 months or more" in page,
          "the search page offers 'no progress update for 12 months or more'")

    # ---------- reprisal safety: every public page, API answer and export ----------
    public_urls = ["/", "/search", "/search?q=ind%C3%ADgenas", f"/search?cluster={cluster_id}",
                   f"/recommendations/{uid}", f"/clusters/{cluster_id}", "/browse",
                   "/browse/institution", "/browse/cluster", "/api",
                   f"/api/recommendations/{uid}", f"/api/recommendations/{uid}/followup",
                   f"/api/recommendations?cluster={cluster_id}&per_page=100",
                   "/api/recommendations?per_page=5&facet_limit=0", "/api/facets/institution",
                   "/api/openapi.json", f"/evidence/{ev}"]
    for fmt in ["csv", "json", "xlsx"]:
        public_urls.append(f"/api/export?format={fmt}&state=PRY")
    needles = [s.encode() for s in [CSO_ORG] + CSO_PEOPLE]
    # Also what the organisation looks like percent- or JSON-escaped.
    needles += [json.dumps(CSO_ORG).strip('"').encode(), urllib.parse.quote(CSO_ORG).encode()]
    hits = []
    for u in public_urls:
        r = pub.get(u)
        if r.status >= 400 and not u.startswith("/clusters"):
            hits.append(f"{u}: HTTP {r.status}")
        for n in needles:
            if n in r.body:
                hits.append(f"{u}: {n!r}")
    eq(hits, [], f"no trace of the protected organisation in {len(public_urls)} public answers")
    check(CSO_ORG.encode() in api["rosab"].get(f"/api/followup/{uid}").body,
          "(control: the organisation's own view names it)")

    # ---------- the record's history: the follow-up's changes, masked for government ----------
    hist = api["coord"].get(f"/api/recommendations/{uid}/history").json()["entries"]
    check(any(e["entity"] == "plan" or e["entity"] == "progress_update" for e in hist) and
          any(e["entity"] == "assessment" and e["field"] == "state" for e in hist) and
          any(e["entity"] == "official_status" for e in hist),
          "the record's history has its updates, assessments' workflow and official status")
    blob = json.dumps(hist, ensure_ascii=False)
    eq([n for n in [CSO_ORG] + CSO_PEOPLE if n in blob], [],
       "the coordinator's history does not name the organisation's user")
    check("a civil society organisation" in blob, "... who shows as 'a civil society organisation'")
finally:
    server.stop()
finish()
