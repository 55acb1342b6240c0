"""The permission matrix through the HTTP API: every role x every action x own/other
institution. The expected answer comes from data/access/permissions.csv read here with Python's
csv module (the table the checker reads too), never from the server: a cell `any` allows
both targets, `own` only the user's own institution, `-` neither. docs/security.md must show
the same table."""
import csv
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import FIXTURES, check, eq, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server, add_user, cli_token  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
with open(os.path.join(ROOT, "data", "access", "permissions.csv"), encoding="utf-8",
          newline="") as f:
    table_rows = list(csv.reader(f))
header = table_rows[0]
ROLES = header[1:-1]
TABLE = {r[0]: dict(zip(ROLES, r[1:-1])) for r in table_rows[1:]}
eq(ROLES, ["administrator", "coordinator", "focal_point", "validator", "nhri", "civil_society",
           "parliament", "reviewer", "public"], "the table's roles")

# docs/security.md shows the same table (between its markers).
doc_path = os.path.join(ROOT, "docs", "security.md")
check(os.path.exists(doc_path), "docs/security.md exists")
doc = open(doc_path, encoding="utf-8").read() if os.path.exists(doc_path) else ""
m = re.search(r"<!-- permissions:begin -->(.*?)<!-- permissions:end -->", doc, re.S)
check(m is not None, "docs/security.md has the permission table markers")
if m:
    doc_rows = {}
    for line in m.group(1).splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == len(header) and cells[0] in TABLE:
            doc_rows[cells[0]] = dict(zip(ROLES, cells[1:-1]))
    diff = sorted(set(TABLE) ^ set(doc_rows)) + sorted(
        a for a in TABLE if a in doc_rows and doc_rows[a] != TABLE[a])
    check(not diff, "docs/security.md's table equals data/access/permissions.csv "
                    f"(differing actions: {diff}; run scripts/permissions-doc.py)")


def allows(role, action, own):
    cell = TABLE[action][role]
    return cell == "any" or (cell == "own" and own)


tmp = tmpdir()
db = os.path.join(tmp, "perm.db")
run(db, "import", "-q", "--format", "uprinfo-csv",
    os.path.join(os.environ["HRTRACK_SHARED_DATA"], "uprinfo_recommendations_sessions01-14.csv"))
INSTITUTIONS = [("A", "executive"), ("B", "executive"), ("N1", "nhri"), ("N2", "nhri"),
                ("C1", "civil_society"), ("C2", "civil_society"), ("P1", "legislature"),
                ("P2", "legislature")]
for code, typ in INSTITUTIONS:
    run(db, "institution", "add", code, "--name", f"Institution {code}", "--type", typ)
# Each role's user, its own institution and an "other" one of the same kind.
HOME = {"administrator": ("A", "B"), "coordinator": ("A", "B"), "focal_point": ("A", "B"),
        "validator": ("A", "B"), "nhri": ("N1", "N2"), "civil_society": ("C1", "C2"),
        "parliament": ("P1", "P2"), "reviewer": ("A", "B"), "public": (None, "B")}
tokens = {}
for role, (home, _) in HOME.items():
    if role == "public":
        continue
    add_user(run, db, "u_" + role, "User " + role, [role], institution=home)
    tokens[role] = cli_token(run, db, "u_" + role)
# A user in each institution, as the target of user.manage.
for code, _ in INSTITUTIONS:
    role = {"N1": "nhri", "N2": "nhri", "C1": "civil_society", "C2": "civil_society",
            "P1": "parliament", "P2": "parliament"}.get(code, "focal_point")
    add_user(run, db, "target_" + code, "Target " + code, [role], institution=code)

target_tokens = {code: cli_token(run, db, "target_" + code) for code, _ in INSTITUTIONS}

server = Server(db)
try:
    admin = Client(server, tokens["administrator"])
    inst_id = {i["code"]: i["id"] for i in admin.get("/api/institutions").json()["institutions"]}
    eq(sorted(inst_id), sorted(c for c, _ in INSTITUTIONS), "the administrator sees every institution")
    user_id = {}
    for code, _ in INSTITUTIONS:
        users = admin.get(f"/api/institutions/{inst_id[code]}/users").json()["users"]
        user_id[code] = [u["id"] for u in users if u["username"] == "target_" + code][0]
    uid = Client(server).get("/api/recommendations?per_page=1").json()["items"][0]["uid"]
    counter = [0]

    def unique(prefix):
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    # action -> (function making the request for a target institution code, the conditions
    # [(action, target)] that must all hold for it to be allowed)
    def cso_target(home, other, own):
        return home if own and home and home.startswith("C") else "C2"

    ACTIONS = {
        "record.read": lambda c, t: c.get(f"/api/recommendations/{uid}"),
        "record.history": lambda c, t: c.get(f"/api/recommendations/{uid}/history"),
        "log.view": lambda c, t: c.get("/api/log?limit=1"),
        "institution.view": lambda c, t: c.get(f"/api/institutions/{inst_id[t]}"),
        "institution.create": lambda c, t: c.post(
            "/api/institutions", json_body={"code": unique("X"), "name": "New", "type": "executive",
                                            "parent": inst_id[t]}),
        "institution.edit": lambda c, t: c.post(f"/api/institutions/{inst_id[t]}",
                                                json_body={"name": f"Institution {t}"}),
        "user.view": lambda c, t: c.get(f"/api/institutions/{inst_id[t]}/users"),
        "user.manage": lambda c, t: c.post(f"/api/users/{user_id[t]}/reset"),
        "identity.protected": lambda c, t: c.get(f"/api/institutions/{inst_id[t]}"),
    }
    # ---- follow-up: targets owned by an institution, made fresh for each case by the
    # administrator (scope any) so that a refused or an allowed request never affects another.
    all_uids = [it["uid"] for it in Client(server).get("/api/recommendations?per_page=200").json()["items"]]
    fu_uid = all_uids[0]
    for code in ("A", "B"):
        admin.post("/api/assignments", json_body={"uid": fu_uid, "institution": inst_id[code],
                                                  "role": "lead"})
    spare = iter(all_uids[1:])

    def plan_in(code, state):
        pid = admin.post("/api/plans", json_body={"uid": fu_uid, "institution": inst_id[code],
                                                  "title": unique("plan ")}).json()["id"]
        for t in {"draft": [], "submitted": ["submit"], "validated": ["submit", "validate"],
                  "approved": ["submit", "validate", "approve"]}[state]:
            r = admin.post(f"/api/workflow/plan/{pid}", json_body={"transition": t})
            assert r.status == 200, r.text
        return pid

    def assessment_in(code):
        """A draft assessment of the institution's party, written by its own user."""
        c = Client(server, target_tokens[code])
        r = c.post("/api/assessments", json_body={"uid": fu_uid, "status": "in_progress",
                                                  "assessed_on": "2026-11-01",
                                                  "justification": "j"})
        assert r.status == 201, (code, r.text)
        return r.json()["id"]

    def transition(name, state):
        return lambda c, t: c.post(f"/api/workflow/plan/{plan_in(t, state)}",
                                   json_body={"transition": name, "comment": "c"})

    ACTIONS.update({
        "cluster.manage": lambda c, t: c.post("/api/clusters", json_body={
            "name": unique("cluster "), "uid": [fu_uid]}),
        "assignment.manage": lambda c, t: c.post("/api/assignments", json_body={
            "uid": next(spare), "institution": inst_id[t], "role": "support"}),
        "status.official": lambda c, t: c.post(f"/api/recommendations/{fu_uid}/status",
                                               json_body={"status": "in_progress"}),
        "followup.view_internal": lambda c, t: c.get(f"/api/plans/{plan_in(t, 'draft')}"),
        "plan.edit": lambda c, t: c.post(f"/api/plans/{plan_in(t, 'draft')}/indicators",
                                         json_body={"name": "i"}),
        "update.edit": lambda c, t: c.post("/api/updates", json_body={
            "uid": fu_uid, "institution": inst_id[t], "date": "2026-11-01",
            "measure_type": "policy", "description": "d"}),
        "assessment.government": lambda c, t: c.post(f"/api/assessments/{assessment_in(t)}",
                                                     json_body={"justification": "changed"}),
        "assessment.nhri": lambda c, t: c.post(f"/api/assessments/{assessment_in(t)}",
                                               json_body={"justification": "changed"}),
        "assessment.civil_society": lambda c, t: c.post(f"/api/assessments/{assessment_in(t)}",
                                                        json_body={"justification": "changed"}),
        "policy.manage": lambda c, t: c.post("/api/policy-plans", json_body={
            "kind": "nhrap", "name": unique("Plan nacional ")}),
        "followup.submit": transition("submit", "draft"),
        "followup.validate": transition("validate", "submitted"),
        "followup.approve": transition("approve", "validated"),
        "followup.publish": transition("publish", "approved"),
    })
    # Follow-up targets are executive institutions, except the assessments of the NHRI and of
    # civil society, whose targets are institutions of that kind.
    KIND = {"assessment.nhri": ("N1", "N2"), "assessment.civil_society": ("C1", "C2")}
    FOLLOWUP = {a for a in TABLE if a.split(".")[0] in ("cluster", "assignment", "status",
                                                        "followup", "plan", "update",
                                                        "assessment", "policy")}
    eq(sorted(ACTIONS), sorted(TABLE), "the test covers every action of the table")

    def is_cso(code):
        return code.startswith("C")

    def conditions(action, role, target, own):
        """Every (action, own?) the table must allow for this request to succeed."""
        if action in ("record.read", "record.history", "log.view", "institution.create",
                      "cluster.manage", "assignment.manage", "status.official",
                      "policy.manage"):
            return [(action, False)]  # no institution in particular: only `any` allows
        conds = [(action, own)]
        if action in ("user.view",):
            conds.append(("institution.view", own))
        if action == "identity.protected":
            conds.append(("institution.view", own))
        if is_cso(target) and action in ("institution.view", "institution.edit", "user.view"):
            conds.append(("identity.protected", own))
        return conds

    checked = 0
    for role, (home, other) in HOME.items():
        client = Client(server, tokens.get(role))
        for action, make in ACTIONS.items():
            for own in (True, False):
                if action == "identity.protected":
                    target = cso_target(home, other, own)
                    is_own = target == home
                elif action in KIND:
                    mine, theirs = KIND[action]
                    target = home if own and home == mine else theirs
                    is_own = target == home
                elif action in FOLLOWUP:
                    target = home if own and home == "A" else "B"
                    is_own = target == home
                else:
                    target = home if own else other
                    is_own = own
                if target is None:  # the public has no institution: "own" is not a case
                    continue
                expected = all(allows(role, a, o) for a, o in conditions(action, role, target,
                                                                          is_own))
                r = make(client, target)
                if expected:
                    ok = 200 <= r.status < 300
                else:
                    ok = r.status == (401 if role == "public" else 403)
                checked += 1
                check(ok, f"{role:13} {action:18} {'own' if is_own else 'other':5} -> "
                          f"{'allowed' if expected else 'refused'} (HTTP {r.status})")
    check(checked >= 330, f"{checked} role x action x target cases checked")

    # The same table holds for pages: a signed-in focal point is refused /log, /users.
    fp = Client(server, tokens["focal_point"])
    eq(fp.get("/api/log").status, 403, "focal point: /api/log refused")
finally:
    server.stop()
finish()
