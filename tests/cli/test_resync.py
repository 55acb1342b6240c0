"""Re-sync (issue #10): a newer export of the same source (same format, same States and
mechanisms) that no longer contains records of the previous import reports them (withdrawn or
renumbered?) in the import's output and its stored summary, and deletes nothing.

The newer export is the shared OHCHR Slovenia list with 5 rows removed, written here; the records
expected absent are those rows (symbol and paragraph read here with Python's csv module)."""
import csv
import json
import os
import re
import sqlite3

from common import check, data, eq, export_json, finish, run, stats, tmpdir

tmp = tmpdir()
OHCHR = data("ohchr_thematic_list_slovenia_cycles2-3.csv")
with open(OHCHR, encoding="utf-8", newline="") as f:
    reader = csv.DictReader(f)
    header = reader.fieldnames
    rows = list(reader)
REMOVED = [7, 60, 150, 222, 377]  # row indexes (0-based, data rows)
removed = {(rows[i]["wg_report_symbol"], rows[i]["recommendation_number"]) for i in REMOVED}
eq(len(removed), 5, "five distinct recommendations removed")
newer = os.path.join(tmp, "ohchr_thematic_list_slovenia_newer.csv")
with open(newer, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=header)
    w.writeheader()
    for i, r in enumerate(rows):
        if i not in REMOVED:
            w.writerow(r)

db = os.path.join(tmp, "a.db")
first = run(db, "import", "--format", "ohchr-thematic-csv", OHCHR)
check("absent" not in first.stdout, "the first import of a source reports nothing absent")
total = stats(db)["total"]
eq(total, len(rows), "the list's records")

p = run(db, "import", "--format", "ohchr-thematic-csv", newer)
m = re.search(r"^(\d+) records? of the previous import of ohchr-thematic-csv "
              r"'ohchr_thematic_list_slovenia_cycles2-3.csv' \(import (\d+), [^)]*\) (?:is|are) absent "
              r"from this file: withdrawn or renumbered\?", p.stdout, re.M)
check(m is not None, f"the import reports the records absent ({p.stdout.strip()})")
eq(int(m.group(1)) if m else None, 5, "five of them")
by_uid = {r["uid"]: r for r in export_json(db, tmp)}
listed = re.findall(r"^  (R-[0-9a-f]{16})  (\S+)  (\S+)$", p.stdout, re.M)
eq({(s, para) for _, s, para in listed}, removed, "exactly the removed rows, by symbol and paragraph")
eq({(by_uid[u]["symbol"], by_uid[u]["paragraph"]) for u, _, _ in listed}, removed,
   "and by uid")
eq(stats(db)["total"], total, "nothing is deleted: the counts are unchanged")
check(all(not r.get("deleted") for r in by_uid.values()), "no record marked deleted")
check(" 0 new, 0 changed" in p.stdout, "and the other records are unchanged")

con = sqlite3.connect(db)
row = con.execute("SELECT absent_count, absent, previous_import FROM import ORDER BY id DESC LIMIT 1"
                  ).fetchone()
log = json.loads(con.execute(
    "SELECT after FROM change_log WHERE entity = 'import' ORDER BY id DESC LIMIT 1").fetchone()[0])
con.close()
eq(row[0], 5, "the import's stored summary counts them")
eq({(a["symbol"], a["paragraph"]) for a in json.loads(row[1])}, removed, "and lists them")
eq(row[2], int(m.group(2)) if m else None, "naming the previous import")
eq(sorted(log["absent"]), sorted(u for u, _, _ in listed), "as does the change log's entry")

# The same newer file again: its previous import is the newer one, which had them not either.
again = run(db, "import", "--format", "ohchr-thematic-csv", newer)
check("absent" not in again.stdout, "importing the newer file again reports nothing")
# Another source (another format) is not compared with this one.
other = run(db, "import", "--format", "uhri-json", data("uhri_layout_slovenia_upr_cycles2-3.json"))
check("absent" not in other.stdout, "nor does the first import of another source")
# The full list again: nothing of the newer one is missing from it.
full = run(db, "import", "--format", "ohchr-thematic-csv", OHCHR)
check("absent" not in full.stdout, "nor the full list after the shorter one")

finish()
