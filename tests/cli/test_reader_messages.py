"""What the readers say about odd but small files: NUL and duplicate keys in JSON, unknown
columns, numbers too large for their field, over-limit fields, damaged workbooks, UTF-16 without
a byte order mark, mapping and vocabulary files over their limits. Expected messages name the
row (record) and column (field) computed here from the files written here."""
import csv
import io
import json
import os
import zipfile

from common import check, eq, finish, run, stats, tmpdir

tmp = tmpdir()


def fresh(name):
    db = os.path.join(tmp, name + ".db")
    run(db, "init")
    return db


def imp(db, fmt, path, *extra):
    return run(db, "import", "-q", "--max-problems", "0", "--format", fmt, path, *extra, ok=False)


def write(name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def lines_with(stderr, needle):
    return [l for l in stderr.splitlines() if needle in l]


def uhri(**fields):
    r = {"AnnotationId": "a1", "AnnotationType": "Recommendations", "Body": "UPR",
         "Countries": ["Chile"], "Symbol": "A/HRC/10/1", "Text": "Ratify the convention.",
         "UprSession": ["5"]}
    r.update(fields)
    return r


# ---- JSON: a NUL character (\u0000) in a string ----
# Record 2 of 3 has the NUL, in the field Text.
recs = [uhri(AnnotationId="a1"), uhri(AnnotationId="a2", Text="Ratify\u0000 it."),
        uhri(AnnotationId="a3", Text="Third.")]
text = json.dumps(recs)
check("\\u0000" in text, "NUL test file carries \\u0000 as written")
path = write("nul.json", text)
for fmt, col in (("uhri-json", "Text"),):
    db = fresh("nul-" + fmt)
    p = imp(db, fmt, path)
    eq(p.returncode, 1, f"JSON \\u0000 ({fmt}): exit 1")
    check(lines_with(p.stderr, f"row 2, column '{col}'") and "NUL" in p.stderr,
          f"JSON \\u0000 ({fmt}): record 2, field {col}, NUL named: {p.stderr.strip()[:200]}")
    eq(stats(db)["total"], 0, f"JSON \\u0000 ({fmt}): nothing written")
# hrtrack's own JSON: NUL in a nested field (a text variant).
own = [{"kind": "recommendation", "level": "international", "mechanism": "UPR",
        "state_iso3": "CHL", "text": "Ratify.", "response": "",
        "variants": [{"lang": "fr", "text": "Rati\u0000fier."}]}]
path = write("nul_own.json", json.dumps(own))
db = fresh("nul-json")
p = imp(db, "json", path)
eq(p.returncode, 1, "JSON \\u0000 (json): exit 1")
check(lines_with(p.stderr, "row 1, column 'variants") and "NUL" in p.stderr,
      f"JSON \\u0000 (json): record 1, field variants named: {p.stderr.strip()[:200]}")

# ---- JSON: duplicate keys in a record ----
dup = ('[' + json.dumps(uhri()) + ', {"AnnotationId": "d2", "Body": "UPR", "Countries": ["Chile"],'
       ' "Text": "First text.", "Symbol": "A/HRC/10/1", "Text": "Second text."}]')
path = write("dup.json", dup)
db = fresh("dup")
p = imp(db, "uhri-json", path)
eq(p.returncode, 1, "duplicate JSON key: exit 1")
check(lines_with(p.stderr, "row 2, column 'Text'") and "duplicate key" in p.stderr,
      f"duplicate JSON key: record 2, key Text: {p.stderr.strip()[:200]}")
eq(stats(db)["total"], 0, "duplicate JSON key: nothing written")

# ---- Unknown columns in the formats with fixed columns: one warning each, row 1 ----
UPR = ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action",
       "Issue", "Session"]


def csv_bytes(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


upr_row = ["Chile", "GRULAC", "", "Ratify the convention.", "France", "WEOG", "EU", "Accepted", "4",
           "Justice", "5"]
cases = [
    ("uprinfo-csv", UPR + ["Comments", "Reviewer"],
     [upr_row + ["c1", "r1"], upr_row[:3] + ["Second."] + upr_row[4:] + ["c2", "r2"]]),
    ("ohchr-thematic-csv",
     ["state_under_review", "wg_report_symbol", "recommendation_number", "text",
      "recommending_states", "position", "Comments", "Reviewer"],
     [["Slovenia", "A/HRC/14/15", "1", "Ratify.", "France", "Supported", "c", "r"],
      ["Slovenia", "A/HRC/14/15", "2", "Second.", "France", "Supported", "c", "r"]]),
    ("csv", ["text", "state_iso3", "mechanism", "Comments", "Reviewer"],
     [["Ratify.", "CHL", "UPR", "c", "r"], ["Second.", "CHL", "UPR", "c", "r"]]),
]
for fmt, header, rows in cases:
    path = write(f"extra_{fmt}.csv", csv_bytes(header, rows))
    db = fresh("extra-" + fmt)
    p = imp(db, fmt, path)
    eq(p.returncode, 0, f"unknown columns ({fmt}): still imported")
    eq(stats(db)["total"], len(rows), f"unknown columns ({fmt}): rows imported")
    for name in ("Comments", "Reviewer"):
        got = lines_with(p.stderr, f"row 1, column '{name}'")
        eq(len(got), 1, f"unknown column {name} ({fmt}): one message")
        check(bool(got) and "warning" in got[0] and "unknown column" in got[0],
              f"unknown column {name} ({fmt}): a warning: {got[:1]}")
    check(not lines_with(p.stderr, "column 'Text': warning")
          and not lines_with(p.stderr, "column 'text': warning"),
          f"unknown columns ({fmt}): known columns not warned about")
# The real UPR Info layout with its source_file column: no warning.
path = write("upr_source_file.csv", csv_bytes(UPR + ["source_file"], [upr_row + ["x.pdf"]]))
p = imp(fresh("srcfile"), "uprinfo-csv", path)
check(p.returncode == 0 and "unknown column" not in p.stderr,
      f"uprinfo-csv source_file column: no warning: {p.stderr.strip()[:200]}")

# ---- The largest unsigned 64-bit number in a numeric field: said as written ----
BIG = 18446744073709551615
path = write("bigsession.json", "[" + json.dumps(uhri()).replace('["5"]', str(BIG)) + "]")
p = imp(fresh("big-uhri"), "uhri-json", path)
eq(p.returncode, 1, "UprSession 2^64-1: exit 1")
got = lines_with(p.stderr, "column 'UprSession'")
check(bool(got) and str(BIG) in got[0] and '"-1"' not in p.stderr,
      f"UprSession 2^64-1: the value as written: {got[:1]}")
own = [{"kind": "recommendation", "level": "international", "mechanism": "UPR",
        "state_iso3": "CHL", "text": "Ratify.", "response": "", "upr_session": BIG}]
path = write("bigsession_own.json", json.dumps(own))
db = fresh("big-json")
p = imp(db, "json", path)
eq(p.returncode, 1, "upr_session 2^64-1 (json): refused, not stored as -1")
check("upr_session" in p.stderr and str(BIG) in p.stderr,
      f"upr_session 2^64-1 (json): field and value named: {p.stderr.strip()[:200]}")
eq(stats(db)["total"], 0, "upr_session 2^64-1 (json): nothing written")

# ---- A JSON field over the limit names its column ----
path = write("longtext.json", "[" + json.dumps(uhri(), ensure_ascii=False) + ","
             + json.dumps(uhri(AnnotationId="a2", Text="x" * 2000)) + "]")
p = imp(fresh("long"), "uhri-json", path, "--max-field-bytes", "1000")
got = lines_with(p.stderr, "over the 1000-byte limit")
eq(len(got), 1, "JSON field over the limit: one message")
check(bool(got) and "row 2, column 'Text'" in got[0], f"JSON field over the limit: column named: {got}")

# ---- A damaged XLSX: the damage only, no missing-column errors after it ----
good = os.path.join(tmp, "good.xlsx")
db = fresh("x")
run(db, "import", "-q", "--format", "csv",
    write("one.csv", csv_bytes(["text", "state_iso3", "mechanism"], [["Ratify.", "CHL", "UPR"]])))
run(db, "export", "--format", "xlsx", "--out", good)
raw = open(good, "rb").read()
damaged = [("cut.xlsx", raw[: len(raw) // 2])]
# A flipped byte inside the sheet's compressed data: the archive opens, the sheet does not.
with zipfile.ZipFile(good) as z:
    info = z.getinfo("xl/worksheets/sheet1.xml")
off = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10
damaged.append(("crc.xlsx", raw[:off] + bytes([raw[off] ^ 0xFF]) + raw[off + 1:]))
for name, data in damaged:
    for fmt in ("xlsx", "uhri-xlsx"):
        p = imp(fresh("dmg"), fmt, write(name, data))
        errs = [l for l in p.stderr.splitlines() if name in l]
        eq(p.returncode, 1, f"damaged XLSX {name} ({fmt}): exit 1")
        eq(len(errs), 1, f"damaged XLSX {name} ({fmt}): one problem, the damage: {errs}")
        check("missing required column" not in p.stderr,
              f"damaged XLSX {name} ({fmt}): no missing-column errors")

# ---- UTF-16 without a byte order mark: a hint ----
body = "To,Text,From,Response,Session\nChile,Ratify.,France,Accepted,5\n"
for enc in ("utf-16-le", "utf-16-be"):
    p = imp(fresh("u16"), "uprinfo-csv", write(f"nobom_{enc}.csv", body.encode(enc)))
    check(p.returncode == 1 and "this looks like UTF-16; save it as UTF-8" in p.stderr,
          f"UTF-16 without BOM ({enc}) CSV: hint: {p.stderr.strip()[:200]}")
    check("missing required column" not in p.stderr, f"UTF-16 ({enc}): no missing-column noise")
    p = imp(fresh("u16j"), "uhri-json", write(f"nobom_{enc}.json",
                                                json.dumps([uhri()]).encode(enc)))
    check(p.returncode == 1 and "this looks like UTF-16; save it as UTF-8" in p.stderr,
          f"UTF-16 without BOM ({enc}) JSON: hint: {p.stderr.strip()[:200]}")

# ---- Mapping file over its limit (1 MiB) ----
data_csv = write("mapped.csv", csv_bytes(["Recommendation", "Country"], [["Ratify.", "Chile"]]))
mapping = write("big.mapping", "text = Recommendation\nstate_name = Country\n" + "#" * (2 << 20))
p = imp(fresh("map"), "csv", data_csv, "--mapping", mapping)
check(p.returncode == 1 and "big.mapping" in p.stderr and "1048576" in p.stderr,
      f"mapping file over 1 MiB: refused with the limit: {p.stderr.strip()[:200]}")
# A mapping file in UTF-16 gets the same hint as a CSV.
mapping = write("u16.mapping", "text = Recommendation\nstate_name = Country\n".encode("utf-16-le"))
p = imp(fresh("map16"), "csv", data_csv, "--mapping", mapping)
check(p.returncode == 1 and "this looks like UTF-16; save it as UTF-8" in p.stderr,
      f"UTF-16 mapping file: hint: {p.stderr.strip()[:200]}")

# ---- Vocabulary file over its row limit (100,000 rows) ----
vocab = write("themes.csv", "theme\n" + "".join(f"Theme {i}\n" for i in range(100_001)))
p = run(fresh("vocab"), "vocab", "import", "--kind", "uhri-themes", vocab, ok=False)
check(p.returncode != 0 and p.returncode > 0 and "100000 rows" in p.stderr,
      f"vocabulary file over 100,000 rows: refused: {p.stderr.strip()[:200]}")

finish()
