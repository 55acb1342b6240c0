"""Faithful data (issue #10): a merge keeps what only the less authoritative source carries, the
recommending States of OHCHR's lists are split on " | " with the non-States reported, UPR
sessions get their cycle and year from the calendar (never guessed) and a session that has not
happened is refused, and a database address this build cannot open is a clear error.

Expected values come from the shared files read here with Python's csv/json modules, from the
shared UPR calendar of sessions 1-20, and from a hand count (the three non-State values in the
Slovenia list: "ICRMW", "No. 29", "No. 189", the closing parentheses of treaty names)."""
import csv
import datetime
import json
import os
import sqlite3
import subprocess
import sys
import urllib.request
from collections import Counter

from common import BIN, check, data, eq, export_json, finish, run, tmpdir

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "http"))
from hrclient import Server  # noqa: E402

tmp = tmpdir()
OHCHR = data("ohchr_thematic_list_slovenia_cycles2-3.csv")
UHRI = data("uhri_layout_slovenia_upr_cycles2-3.json")
NOT_STATES = {"ICRMW", "No. 29", "No. 189"}  # hand count, see the docstring

with open(OHCHR, encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
by_para = {(r["wg_report_symbol"], r["recommendation_number"]): r for r in rows}

# ---------- 1. recommending States: " | " splits, non-States reported ----------
a = os.path.join(tmp, "a.db")
p = run(a, "import", "--format", "ohchr-thematic-csv", OHCHR)
recs = {(r["symbol"], r["paragraph"]): r for r in export_json(a, tmp)}
# " | " joins the cell's values; some values still hold "Portugal, Slovakia" (no UN State name
# in this file contains a comma).
expected_states = {k: [s.strip() for v in r["recommending_states"].split(" | ") for s in v.split(",")
                       if s.strip() not in NOT_STATES]
                   for k, r in by_para.items()}
got_states = {k: recs[k]["recommending_states"] for k in by_para}
eq(got_states[("A/HRC/43/15", "121.1")], ["France", "Lithuania"], "121.1 has two recommending States")
eq(got_states[("A/HRC/43/15", "122.7")], ["Slovakia", "Spain", "North Macedonia"],
   "122.7 has three")
eq([k for k in by_para if got_states[k] != expected_states[k]], [],
   "every row's recommending States are its \" | \"-separated values less the non-States")
warned = sorted(line for line in p.stderr.splitlines() if "not a State" in line)
eq(len(warned), len(NOT_STATES), "each non-State value is one warning")
check(all("column 'recommending_states'" in w and "row " in w for w in warned),
      "naming the row and the column")
check({v for v in NOT_STATES if any(f'"{v}"' in w for w in warned)} == NOT_STATES,
      f"and the value ({warned})")

# ---------- 2. field-level merge: the UHRI export after the OHCHR list keeps the list's cluster
b = os.path.join(tmp, "b.db")
run(b, "import", "-q", "--format", "ohchr-thematic-csv", OHCHR)
run(b, "import", "-q", "--format", "uhri-json", UHRI)
after = {(r["symbol"], r["paragraph"]): r for r in export_json(b, tmp)}
eq(len(after), len(rows), "the UHRI export meets the list's records (no new ones)")
eq([k for k, r in by_para.items() if after[k]["source_cluster"] != r["thematic_cluster"]], [],
   "every record keeps the list's thematic cluster, which the UHRI export does not carry")
eq([k for k, r in by_para.items() if after[k]["response_doc"] != r["source_of_position"]], [],
   "and the source of its position")
with open(UHRI, encoding="utf-8") as f:
    uhri = json.load(f)
check(sorted(r["annotation_id"] for r in after.values()) == sorted(u["AnnotationId"] for u in uhri),
      "while it takes the UHRI export's annotation ids")
check(all(r["source_format"] == "uhri-json" for r in after.values()),
      "and the record's source is the more authoritative UHRI export")
con = sqlite3.connect(b)
blanked = con.execute(
    "SELECT count(*) FROM change_log WHERE entity = 'recommendation' AND field IN "
    "('source_cluster', 'response_doc', 'themes', 'persons', 'sdgs') AND after IN ('\"\"', '[]')"
).fetchone()[0]
con.close()
eq(blanked, 0, "the change log shows no field blanked by the merge")
again = run(b, "import", "--format", "ohchr-thematic-csv", OHCHR).stdout + \
    run(b, "import", "--format", "uhri-json", UHRI).stdout
check(again.count(" 0 changed") == 2, "importing both files again changes nothing")

# The other order gives the same records.
c = os.path.join(tmp, "c.db")
run(c, "import", "-q", "--format", "uhri-json", UHRI)
run(c, "import", "-q", "--format", "ohchr-thematic-csv", OHCHR)
# (The uid derives from the first source's strongest key, so it differs by design.)
strip = lambda r: {k: v for k, v in r.items() if k not in ("uid", "source_file", "source_row")}
other = {(r["symbol"], r["paragraph"]): strip(r) for r in export_json(c, tmp)}
eq([k for k in after if strip(after[k]) != other.get(k)], [],
   "the list after the UHRI export gives the same records as the other order")

# ---------- 3. the UPR calendar ----------
d = os.path.join(tmp, "d.db")
out = run(d, "vocab", "list", "sessions").stdout
cal = {}
for line in out.splitlines():
    parts = line.split()
    if len(parts) >= 5 and parts[0].isdigit():
        cal[int(parts[0])] = (int(parts[2]), parts[3], parts[5])
with open(data("upr_sessions_01-20.csv"), encoding="utf-8") as f:
    shared = {int(r["session"]): (int(r["cycle"]), r["start_date"], r["end_date"])
              for r in csv.DictReader(f)}
eq({s: cal.get(s) for s in shared}, shared, "the built-in calendar's sessions 1-20 are OHCHR's")
check(len(cal) >= 48 and sorted(cal) == list(range(1, len(cal) + 1)),
      f"it holds every session from 1 to at least 48 ({len(cal)})")
dates = [datetime.date.fromisoformat(cal[s][1]) for s in sorted(cal)]
check(all(x < y for x, y in zip(dates, dates[1:])) and dates[-1] <= datetime.date.today(),
      "in order, none in the future")
eq(cal[48][1][:4], "2025", "session 48 was in 2025")

# A record of session 48 without a year gets 2025 and cycle 4; session 99 and a session given
# the wrong cycle are refused, naming the row and the column.
base = {"kind": "recommendation", "level": "international", "mechanism": "UPR", "state_iso3": "SVN", "state_name": "Slovenia",
        "symbol": "A/HRC/58/15", "text": "Ratify the Optional Protocol.", "lang": "en",
        "recommending_states": ["Portugal"], "response": "supported"}
def import_records(name, records, *extra):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(records, f)
    db = os.path.join(tmp, name + ".db")
    return db, run(db, "import", "--format", "json", *extra, path, ok=False)

db, p = import_records("s48.json", [dict(base, paragraph="1", upr_session=48)])
eq(p.returncode, 0, "a session-48 record imports")
r = export_json(db, tmp)[0]
eq((r["upr_session"], r["upr_cycle"], r["year"]), (48, 4, 2025), "with cycle 4 and year 2025")
db, p = import_records("s99.json", [dict(base, paragraph="1", upr_session=48),
                                    dict(base, paragraph="2", upr_session=99)])
eq(p.returncode, 1, "a file with a session-99 record is refused")
check("upr_session" in p.stderr and "99" in p.stderr and "not a UPR session held so far" in p.stderr,
      "naming the column, the value and why")
check("record 2" in p.stderr or "row 2" in p.stderr, f"and the record ({p.stderr.strip()[:200]})")
db, p = import_records("s34c2.json", [dict(base, paragraph="1", upr_session=34, upr_cycle=2)])
eq(p.returncode, 1, "session 34 given as cycle 2 is refused")
check("belongs to cycle 3" in p.stderr, "saying the cycle it belongs to")

# ---------- 4. a database address this build cannot open ----------
cwd = os.path.join(tmp, "cwd")
os.makedirs(cwd)
for args in (["stats"], ["serve", "--port", "1"]):
    p = subprocess.run([BIN, "--db", "postgresql://hr@localhost/hrtrack", *args], cwd=cwd,
                       capture_output=True, text=True, timeout=30)
    check(p.returncode != 0 and "PostgreSQL" in p.stderr and "SQLite" in p.stderr,
          f"{args[0]}: --db postgresql://… is a clear error ({p.stderr.strip()[:120]})")
eq(os.listdir(cwd), [], "and nothing is created")

# ---------- 5. the UHRI-JSON export of all the shared data imports back to the same records ----
full = os.path.join(tmp, "full.db")
run(full, "import", "-q", "--format", "uprinfo-csv", data("uprinfo_recommendations_sessions01-14.csv"))
run(full, "import", "-q", "--format", "ohchr-thematic-csv", OHCHR)
run(full, "import", "-q", "--format", "uhri-json", UHRI)
run(full, "import", "-q", "--format", "uhri-json", data("uhri_genuine_record_crc_peru.json"))
source = export_json(full, tmp)
# What the UHRI layout carries of a record (it has no UPR Info issues, action category,
# organisations, OHCHR cluster or position source).
CARRIED = ["kind", "mechanism", "body", "state_iso3", "state_name", "regions", "symbol",
           "paragraph", "pub_date", "year", "upr_cycle", "upr_session", "recommending_states",
           "recommending_regions", "response", "response_raw", "text", "themes", "persons", "sdgs",
           "annotation_id", "document_id", "uhri_pub_date"]
carried = lambda recs: Counter(json.dumps([r[f] for f in CARRIED]) for r in recs)
want = carried(source)
with open(data("uprinfo_recommendations_sessions01-14.csv"), encoding="utf-8", newline="") as f:
    pledges = {tuple(r.values()) for r in csv.DictReader(f) if r["Response"] == "Voluntary Pledge"}
check(sum(1 for r in source if r["kind"] == "pledge") == len(pledges),
      f"the source holds UPR Info's {len(pledges)} distinct pledges")

server = Server(full)
try:
    with urllib.request.urlopen(server.base + "/api/export?format=uhri-json", timeout=120) as resp:
        http_body = resp.read()
        http_type = resp.headers.get("Content-Type", "")
finally:
    server.stop()
cli_file = os.path.join(tmp, "all-uhri.json")
run(full, "export", "--format", "uhri-json", "--out", cli_file)
http_file = os.path.join(tmp, "all-uhri-http.json")
with open(http_file, "wb") as f:
    f.write(http_body)
check(http_type.startswith("application/json"), f"the HTTP export is JSON ({http_type})")
as_set = lambda recs: sorted(json.dumps(r, sort_keys=True) for r in recs)
check(as_set(json.loads(http_body)) == as_set(json.load(open(cli_file, encoding="utf-8"))),
      "the HTTP uhri-json export holds what the CLI's does (in the search's order)")
exported = json.load(open(cli_file, encoding="utf-8"))
eq(Counter(r["AnnotationType"] for r in exported if r["UprPositions"] == ["Voluntary Pledge"]),
   Counter({"- Voluntary Pledges": len(pledges)}), "pledges go out as pledges")
genuine = json.load(open(data("uhri_genuine_record_crc_peru.json"), encoding="utf-8"))[0]
g_out = next(r for r in exported if r["AnnotationId"] == genuine["AnnotationId"])
check(g_out["Text"].startswith("4. The Committee"),
      f"a treaty body's paragraph keeps its number and full stop ({g_out['Text'][:20]!r}, "
      f"source {genuine['Text'][:20]!r})")
for name, path in (("CLI", cli_file), ("HTTP", http_file)):
    back = os.path.join(tmp, f"back-{name}.db")
    p = run(back, "import", "--format", "uhri-json", path, ok=False)
    eq(p.returncode, 0, f"{name}: the uhri-json export imports back ({p.stderr.strip()[-200:]})")
    got = carried(export_json(back, tmp))
    # Two stored records that differ only in what the layout does not carry come back as one:
    # the shared data's README counts 1 such pair (UPR Info: "1 same key with other fields
    # differing"), so exactly one record is one fewer.
    eq(got, Counter({k: 1 for k in want}), f"{name}: the same records, field for field, pledges included")
eq(sum(want.values()) - len(want), 1,
   "only the one UPR Info pair the README names differs outside what the layout carries")

# ---------- 6. rows that differ only in white space are not called exact duplicates ----------
with open(data("uprinfo_recommendations_sessions01-14.csv"), encoding="utf-8", newline="") as f:
    src_rows = list(csv.reader(f))
head, first = src_rows[0], src_rows[1]
spaced_text = list(first)
spaced_text[head.index("Text")] += "  "
spaced_org = list(first)
spaced_org[head.index("To-Org")] = " " + spaced_org[head.index("To-Org")]
ws = os.path.join(tmp, "white-space.csv")
with open(ws, "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows([head, first, spaced_text, spaced_org, first])
p = run(os.path.join(tmp, "ws.db"), "import", "--format", "uprinfo-csv", ws)
lines = {int(l.split("row ")[1].split(":")[0]): l for l in p.stderr.splitlines() if ": row " in l}
check("exact duplicate of row 2" in lines.get(5, ""), "a row repeated as it is: an exact duplicate")
check(all("exact" not in lines.get(n, "x") and "same record as row 2" in lines.get(n, "")
          and "white space" in lines.get(n, "") for n in (3, 4)),
      f"rows that differ only in white space: the same record, not an exact duplicate "
      f"({lines.get(3, '')[:120]})")

finish()
