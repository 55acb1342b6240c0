"""Imports every real recommendation file of ../shared/data and checks counts and per-record
values against counts computed here from the files themselves."""
import collections
import csv
import json
import os

from common import check, data, eq, export_json, finish, run, stats, tmpdir

tmp = tmpdir()

# ---------- UPR Info CSV ----------
with open(data("uprinfo_recommendations_sessions01-14.csv"), encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
eq(len(rows), 26355, "UPR Info rows in the source file")
full = collections.Counter(tuple(r.values()) for r in rows)
exact_dups = sum(n - 1 for n in full.values() if n > 1)
eq(exact_dups, 3, "exact duplicate rows in the source (independent count)")
distinct = []
seen = set()
for r in rows:
    t = tuple(r.values())
    if t not in seen:
        seen.add(t)
        distinct.append(r)

db = os.path.join(tmp, "upr.db")
run(db, "init")
run(db, "vocab", "import", "--dir", os.path.dirname(data("x")))
p = run(db, "import", "-q", "--format", "uprinfo-csv", data("uprinfo_recommendations_sessions01-14.csv"))
check("26355 rows read, 26352 new, 0 changed, 0 unchanged, 3 duplicates in file, 0 rejected" in p.stdout,
      "UPR Info import summary line: " + p.stdout.strip().splitlines()[-1])
s = stats(db)
eq(s["total"], len(distinct), "stored UPR Info records = rows - exact duplicates")
by_resp = {x["value"]: x["count"] for x in s["by_response"]}
exp_resp = collections.Counter(r["Response"] for r in distinct)
eq(by_resp.get("supported"), exp_resp["Accepted"], "supported (= Accepted) count")
eq(by_resp.get("noted"), exp_resp["Noted"], "noted count")
eq(by_resp.get("(none)"), exp_resp["Voluntary Pledge"], "pledges have no response")
by_kind = {x["value"]: x["count"] for x in s["by_kind"]}
eq(by_kind.get("pledge"), exp_resp["Voluntary Pledge"], "pledge count")
# States under review: 193 in the file, all recognised (ISO codes).
states = {x["value"] for x in s["by_state"]}
eq(len(states), len({r["To"] for r in rows}), "distinct States under review")
check(all(len(v) == 3 and v.isupper() for v in states), "every State under review has an ISO3 code")
exp_issue = collections.Counter(i.strip() for r in distinct for i in r["Issue"].split(",") if i.strip())
got_issue = {x["value"]: x["count"] for x in s["by_issue"]}
eq(got_issue, dict(exp_issue), "records per UPR Info issue")
eq(len(got_issue), 54, "distinct issues")
# Per record: issues, recommending State, action, session equal the source row.
recs = export_json(db, tmp)
by_key = collections.defaultdict(list)
for r in distinct:
    # UPR Info's "&#40;Unknown&#41;" ("(Unknown)") names no State: hrtrack leaves it out.
    frm = None if r["From"] == "&#40;Unknown&#41;" else r["From"]
    by_key[(r["To"], int(r["Session"]), frm, r["Text"].strip())].append(r)
bad = 0
for rec in recs:
    k = (rec["state_name"], rec["upr_session"],
         rec["recommending_states"][0] if rec["recommending_states"] else None, rec["text"])
    cands = by_key.get(k, [])
    want = [
        ([i.strip() for i in c["Issue"].split(",") if i.strip()], int(c["Action"]))
        for c in cands
    ]
    if (rec["issues"], rec["action_category"]) not in want:
        bad += 1
eq(bad, 0, "records whose issues/action differ from their source row")

# Re-import is a no-op.
p = run(db, "import", "-q", "--format", "uprinfo-csv", data("uprinfo_recommendations_sessions01-14.csv"))
check(" 0 new, 0 changed, 26352 unchanged" in p.stdout, "re-import changes nothing: " + p.stdout.strip())
eq(stats(db)["total"], len(distinct), "total unchanged after re-import")

# ---------- OHCHR thematic list (Slovenia) ----------
with open(data("ohchr_thematic_list_slovenia_cycles2-3.csv"), encoding="utf-8", newline="") as f:
    slo = list(csv.DictReader(f))
eq(len(slo), 378, "Slovenia rows in the source")
db2 = os.path.join(tmp, "slo.db")
run(db2, "vocab", "import", "--dir", os.path.dirname(data("x")))
run(db2, "import", "-q", "--format", "ohchr-thematic-csv", data("ohchr_thematic_list_slovenia_cycles2-3.csv"))
eq(stats(db2)["total"], 378, "Slovenia records stored")
split = lambda v: [x.strip() for x in v.split(" | ") if x.strip()]
src = {(r["wg_report_symbol"], r["recommendation_number"]): r for r in slo}
recs = export_json(db2, tmp)
mism = [
    r["paragraph"] for r in recs
    if (lambda s: s is None or r["themes"] != split(s["themes"]) or r["persons"] != split(s["affected_persons"])
        or r["sdgs"] != split(s["sdgs"]) or r["text"] != s["text"] or r["response_raw"] != s["position"])(
        src.get((r["symbol"], r["paragraph"])))
]
eq(mism, [], "Slovenia records whose themes/persons/SDGs/text/position differ from the source")
eq(collections.Counter(r["upr_cycle"] for r in recs), collections.Counter(int(r["cycle"]) for r in slo),
   "records per cycle")

# ---------- UHRI layout JSON + genuine record ----------
with open(data("uhri_layout_slovenia_upr_cycles2-3.json"), encoding="utf-8") as f:
    uhri = json.load(f)
with open(data("uhri_genuine_record_crc_peru.json"), encoding="utf-8") as f:
    genuine = json.load(f)
db3 = os.path.join(tmp, "uhri.db")
run(db3, "import", "-q", "--format", "uhri-json", data("uhri_layout_slovenia_upr_cycles2-3.json"))
run(db3, "import", "-q", "--format", "uhri-json", data("uhri_genuine_record_crc_peru.json"))
eq(stats(db3)["total"], len(uhri) + len(genuine), "UHRI records stored (378 + 1)")
recs = {r["annotation_id"]: r for r in export_json(db3, tmp)}
# UHRI's recommending States, as OHCHR parsed them from the closing parentheses: a value may
# join two States with a comma ("Venezuela (Bolivarian Republic of),Peru"; no UN State name in
# these files contains one), and three values are not States (hand count: the treaty
# abbreviation "ICRMW" and the ILO conventions "No. 29", "No. 189"), left out.
NOT_STATES = {"ICRMW", "No. 29", "No. 189"}
def states_of(values):
    return [s.strip() for v in values for s in v.split(",") if s.strip() not in NOT_STATES]

mism = []
for u in uhri + genuine:
    r = recs.get(u["AnnotationId"])
    if (r is None or r["themes"] != u["Themes"] or r["persons"] != u["AffectedPersons"]
            or r["sdgs"] != u["Sdgs"] or r["symbol"] != u["Symbol"]
            or r["recommending_states"] != states_of(u["UprRecommendingCountry"])):
        mism.append(u["AnnotationId"])
eq(mism, [], "UHRI records whose themes/persons/SDGs/symbol/recommending States differ")
g = recs[genuine[0]["AnnotationId"]]
eq((g["mechanism"], g["kind"], g["state_iso3"], g["paragraph"], g["pub_date"], g["year"]),
   ("CRC", "observation", "PER", "4", "2025-02-12", 2025), "genuine CRC record fields")
check(g["text"].startswith("The Committee reminds"), "paragraph number split off the UHRI text")
eq(sorted(g["sdg_targets"]), ["16.2", "16.9", "5.2"], "SDG targets derived from labels")
eq(sorted(g["sdg_goals"]), ["16", "5"], "SDG goals derived from targets")

# The same 378 recommendations from the OHCHR list and the UHRI export meet (identity by
# State + symbol + paragraph): importing both gives 378, not 756.
run(db2, "import", "-q", "--format", "uhri-json", data("uhri_layout_slovenia_upr_cycles2-3.json"))
eq(stats(db2)["total"], 378, "OHCHR list + UHRI export of the same report = 378 records")
# The UHRI record is the more authoritative: the OHCHR list imported again changes nothing,
# and neither does the UHRI file (no ping-pong between two sources).
p = run(db2, "import", "-q", "--format", "ohchr-thematic-csv", data("ohchr_thematic_list_slovenia_cycles2-3.csv"))
check(" 0 new, 0 changed, " in p.stdout and "378 matched records already held" in p.stdout,
      "OHCHR list after UHRI: nothing changed, 378 kept: " + p.stdout.strip())
p = run(db2, "import", "-q", "--format", "uhri-json", data("uhri_layout_slovenia_upr_cycles2-3.json"))
check(" 0 new, 0 changed, 378 unchanged" in p.stdout, "UHRI again: unchanged: " + p.stdout.strip())

finish()
