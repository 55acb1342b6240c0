"""Bad input: each case gets its own clear message naming the row and column, nothing is
written unless --skip-invalid, the exit status is non-zero, and nothing crashes."""
import csv
import io
import json
import os

from common import check, data, eq, finish, run, stats, tmpdir

tmp = tmpdir()
HEADER = ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue", "Session"]


def row(text="Ratify the Optional Protocol.", to="Chile", frm="France", resp="Accepted", session="5"):
    return [to, "GRULAC", "", text, frm, "WEOG", "EU", resp, "4", "International instruments", session]


def write_csv(name, rows, header=HEADER, raw_bytes=None):
    path = os.path.join(tmp, name)
    if raw_bytes is not None:
        with open(path, "wb") as f:
            f.write(raw_bytes)
        return path
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    return path


def fresh(name):
    db = os.path.join(tmp, name + ".db")
    run(db, "init")
    return db


def imp(db, fmt, path, *extra):
    return run(db, "import", "-q", "--max-problems", "0", "--format", fmt, path, *extra, ok=False)


# 1. Wrong encoding: Mac-Roman bytes (0x8E is "é" in Mac-Roman) in row 3, column Text.
good = write_csv("tmp.csv", [row(), row(text="Garantir l'accès à la justice.")])
raw = open(good, "rb").read().replace("accès".encode(), b"acc\x8fs")
path = write_csv("macroman.csv", None, raw_bytes=raw)
db = fresh("enc")
p = imp(db, "uprinfo-csv", path)
check(p.returncode != 0, "wrong encoding: non-zero exit")
check("row 3, column 'Text'" in p.stderr and "not valid UTF-8" in p.stderr,
      "wrong encoding: message names row 3, column Text, UTF-8: " + p.stderr.strip().splitlines()[0])
eq(stats(db)["total"], 0, "wrong encoding: nothing written")

# 2. Missing required column.
path = write_csv("nosession.csv", [r[:-1] for r in [row()]], header=HEADER[:-1])
db = fresh("missing")
p = imp(db, "uprinfo-csv", path)
check(p.returncode != 0 and "missing required column 'Session'" in p.stderr,
      "missing column: message names the column: " + p.stderr.strip().splitlines()[0])
eq(stats(db)["total"], 0, "missing column: nothing written")

# 3. Unterminated quote in row 3, column Text.
text = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n" \
       "Chile,GRULAC,,Fine text,France,WEOG,EU,Accepted,4,Justice,5\n" \
       "Chile,GRULAC,,\"Never closed,France,WEOG,EU,Accepted,4,Justice,5\n" \
       "Chile,GRULAC,,Another,France,WEOG,EU,Accepted,4,Justice,5\n"
path = write_csv("quote.csv", None, raw_bytes=text.encode())
db = fresh("quote")
p = imp(db, "uprinfo-csv", path)
check(p.returncode != 0 and "row 3, column 'Text'" in p.stderr and "unterminated quoted field" in p.stderr,
      "unterminated quote: row 3, column Text named: " + p.stderr.strip().splitlines()[0])
eq(stats(db)["total"], 0, "unterminated quote: nothing written")

# 4. Truncated JSON: the UHRI file cut in the middle of record 3.
src = open(data("uhri_layout_slovenia_upr_cycles2-3.json"), encoding="utf-8").read()
starts = [i for i in range(len(src)) if src.startswith('\n {', i)]
cut = src[: starts[2] + 200]
path = os.path.join(tmp, "truncated.json")
open(path, "w", encoding="utf-8").write(cut)
db = fresh("trunc")
p = imp(db, "uhri-json", path)
check(p.returncode != 0 and "the JSON is truncated" in p.stderr and "row 3" in p.stderr,
      "truncated JSON: says truncated, in record 3: " + p.stderr.strip().splitlines()[0])
eq(stats(db)["total"], 0, "truncated JSON: nothing written (records 1-2 not committed)")

# 5. A 10 MB field in row 2, column Text.
path = write_csv("huge.csv", [row(text="x" * (10 * 1024 * 1024)), row()])
db = fresh("huge")
p = imp(db, "uprinfo-csv", path)
check(p.returncode != 0 and "row 2, column 'Text'" in p.stderr and "over the 1048576-byte limit" in p.stderr,
      "10 MB field: row 2, column Text, limit named: " + p.stderr.strip().splitlines()[0])
eq(stats(db)["total"], 0, "10 MB field: nothing written")

# 6. All problems reported at once, not only the first.
path = write_csv("many.csv", [row(resp="Maybe"), row(), row(session="abc"), row(to="Atlantis", text="x"),
                              row(text="")])
db = fresh("many")
p = imp(db, "uprinfo-csv", path)
for needle in ("row 2, column 'Response', value \"Maybe\"", "row 4, column 'Session', value \"abc\"",
               "row 6, column 'text'"):
    check(needle in p.stderr, f"all problems listed: {needle}")
check("row 5, column 'state', value \"Atlantis\": warning" in p.stderr, "unknown State is a warning")
eq(stats(db)["total"], 0, "rejected rows: nothing written without --skip-invalid")

# 7. --skip-invalid: valid rows imported, rejects written, status non-zero.
rej = os.path.join(tmp, "rejects.csv")
p = imp(db, "uprinfo-csv", path, "--skip-invalid", "--rejects", rej)
check(p.returncode != 0, "--skip-invalid: still a non-zero exit when rows were rejected")
eq(stats(db)["total"], 2, "--skip-invalid: the two valid rows are imported")
with open(rej, encoding="utf-8", newline="") as f:
    rj = list(csv.reader(f))
eq(len(rj), 4, "--skip-invalid: rejects file has the header and 3 rejected rows")
eq(rj[0], HEADER, "rejects file keeps the original header")

# 8. Hostile text is stored verbatim (it is data; pages escape it).
hostile = '<script>alert("x")</script> "><img src=x onerror=alert(1)>'
path = write_csv("hostile.csv", [row(text=hostile)])
db = fresh("hostile")
p = imp(db, "uprinfo-csv", path)
eq(p.returncode, 0, "hostile text imports")
out = os.path.join(tmp, "h.json")
run(db, "export", "--format", "json", "--out", out)
eq(json.load(open(out, encoding="utf-8"))[0]["text"], hostile, "hostile text stored verbatim")

# 9. UTF-16 file and a non-JSON file.
path = write_csv("utf16.csv", None, raw_bytes="To,Text\nChile,x\n".encode("utf-16"))
p = imp(fresh("u16"), "uprinfo-csv", path)
check(p.returncode != 0 and "UTF-16" in p.stderr, "UTF-16 file: says so")
path = write_csv("notjson.json", None, raw_bytes=b"{\"a\": 1}")
p = imp(fresh("nj"), "uhri-json", path)
check(p.returncode != 0 and "array" in p.stderr, "JSON that is not an array: says so")
path = write_csv("notxlsx.xlsx", None, raw_bytes=b"PK\x03\x04 this is not a zip")
p = imp(fresh("nx"), "uhri-xlsx", path)
check(p.returncode not in (0, -6, -11, 134, 139) and "notxlsx.xlsx" in p.stderr, "broken XLSX: clear message")

# 10. A newer export changes a field: the change log records before and after; a local soft
# delete survives the re-import.
db = fresh("update")
path = write_csv("v1.csv", [row(), row(text="Second recommendation.")])
run(db, "import", "-q", "--format", "uprinfo-csv", path)
recs = json.loads(open(run(db, "export", "--format", "json", "--out", os.path.join(tmp, "v1.json")) and os.path.join(tmp, "v1.json"), encoding="utf-8").read())
uid2 = [r["uid"] for r in recs if r["text"] == "Second recommendation."][0]
run(db, "delete", uid2)
r1 = row()
r1[9] = "Justice"  # the Issue changed in the newer export
path = write_csv("v2.csv", [r1, row(text="Second recommendation.")])
p = run(db, "import", "-q", "--format", "uprinfo-csv", path)
check("0 new, 1 changed, 1 unchanged" in p.stdout, "newer export: 1 changed: " + p.stdout.strip())
log = run(db, "log", "--format", "csv", "--field", "issues").stdout
check('"[""International instruments""]","[""Justice""]"' in log, "change log has before and after of issues")
eq(stats(db)["total"], 1, "soft-deleted record stays deleted after re-import")
run(db, "restore", uid2)
eq(stats(db)["total"], 2, "restore brings it back")

# 11. A file that cannot be read to its end is refused whole, --skip-invalid or not: the rows
# after the break were never seen, and importing the first ones would pass for the whole file.
src = data("uhri_layout_slovenia_upr_cycles2-3.json")
whole = json.load(open(src, encoding="utf-8"))
raw = open(src, "rb").read()
cut = raw[: len(raw) // 2]
# Records that end before the cut, counted by re-parsing prefixes (independent of hrtrack).
complete_before = sum(1 for i in range(1, len(whole) + 1)
                      if len(json.dumps(whole[:i], ensure_ascii=False).encode()) < len(cut))
check(0 < complete_before < len(whole), f"cut JSON: {complete_before} of {len(whole)} records precede the cut")
path = write_csv("cut.json", None, raw_bytes=cut)
for extra in ((), ("--skip-invalid",)):
    db = fresh("cut" + str(len(extra)))
    p = imp(db, "uhri-json", path, *extra)
    what = "cut JSON " + (" ".join(extra) or "plain")
    check(p.returncode == 1, f"{what}: exit 1 (got {p.returncode})")
    check("truncated" in p.stderr and "could not be read to its end" in p.stderr,
          f"{what}: says the file is cut short")
    eq(stats(db)["total"], 0, f"{what}: nothing imported")

# The same for a worksheet whose XML breaks after three good rows.
import zipfile
cells = lambda vals: "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in vals)
path = os.path.join(tmp, "broken_sheet.xlsx")
with zipfile.ZipFile(path, "w") as z:
    z.writestr("xl/worksheets/sheet1.xml",
               "<worksheet><sheetData>"
               + "".join(f"<row>{cells(r)}</row>" for r in
                         [["text", "state_iso3", "mechanism"], ["Ratify CAT.", "CHL", "UPR"],
                          ["Ratify CED.", "CHL", "UPR"], ["Ratify CRPD.", "CHL", "UPR"]])
               + "<row><c><v>1</c></row></sheetData></worksheet>")
for extra in ((), ("--skip-invalid",)):
    db = fresh("brokensheet" + str(len(extra)))
    p = imp(db, "xlsx", path, *extra)
    what = "broken sheet " + (" ".join(extra) or "plain")
    check(p.returncode == 1, f"{what}: exit 1 (got {p.returncode})")
    check("could not be read to its end" in p.stderr, f"{what}: says the sheet could not be read")
    eq(stats(db)["total"], 0, f"{what}: nothing imported")
# And the three good rows alone import (the refusal above is the break, not the rows).
good_path = os.path.join(tmp, "good_sheet.xlsx")
with zipfile.ZipFile(path) as zin, zipfile.ZipFile(good_path, "w") as zout:
    xml = zin.read("xl/worksheets/sheet1.xml").decode().replace("<row><c><v>1</c></row>", "")
    zout.writestr("xl/worksheets/sheet1.xml", xml)
db = fresh("goodsheet")
p = imp(db, "xlsx", good_path)
eq(p.returncode, 0, "the sheet without its broken row imports: " + p.stderr[-300:])
eq(stats(db)["total"], 3, "the sheet without its broken row: its three rows")

finish()
