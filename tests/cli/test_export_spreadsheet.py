"""Exports for spreadsheet users: formula-like texts neutralised (OWASP CSV injection), a CSV
with a UTF-8 byte-order mark, numbers as numbers in XLSX, absent year/cycle/session as empty
cells (null in JSON), and every export importing back to the same records.

A small crafted hrtrack-JSON file of hostile texts (written here) and the real UHRI-layout file
of Slovenia's UPR recommendations (for real accented names: "Côte d’Ivoire") are imported,
exported as csv, csv --bom, xlsx and json, and read back with Python's csv module, openpyxl and
LibreOffice. The expected cells are computed here from the crafted records and the JSON export,
by the rule of docs/export-formats.md: a text cell that begins with = + - @ tab CR or ' gets
one ' in front; absent numbers are empty."""
import csv
import json
import os
import shutil
import subprocess
import sys

# Debian's python3-openpyxl belongs to /usr/bin/python3; ctest may have found another Python.
try:
    import openpyxl
    from openpyxl.utils.escape import unescape
except ImportError:
    if os.environ.get("HRTRACK_REEXEC") or not os.access("/usr/bin/python3", os.X_OK):
        raise
    os.environ["HRTRACK_REEXEC"] = "1"
    os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])

from common import check, data, eq, finish, run, tmpdir

tmp = tmpdir()
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")
NUMERIC = ("year", "upr_cycle", "upr_session", "action_category", "source_row")
ABSENT_WHEN_ZERO = ("year", "upr_cycle", "upr_session", "action_category")


def path(name):
    return os.path.join(tmp, name)


# ---- the crafted file: hostile texts, accents, records with and without year/session ----
HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\tA text that begins with a tab =1+1",
    "'=1+1 begins with a quote and then a formula character",
    "\rA text that begins with a carriage return",
    "=Équité et égalité à Škofja Loka",
    "Égalité des chances et équité (Côte d’Ivoire)",
    "'A text that begins with a quote",
    "A text that holds _x0041_ and _x000D_ literally (XLSX's own escapes)",
]
crafted = []
for i, text in enumerate(HOSTILE):
    r = {"kind": "recommendation", "level": "international", "state_iso3": "SVN", "text": text,
         "paragraph": f"9.{i + 1}"}
    if i % 2 == 0:  # a UPR recommendation with its session, cycle and year
        r.update(mechanism="UPR", symbol="A/HRC/99/1", upr_session=20, upr_cycle=2, year=2015,
                 recommending_states=["@evil" if i == 0 else "France", "Côte d’Ivoire"],
                 response="supported")
    else:  # a treaty-body recommendation: no year, no cycle, no session
        r.update(mechanism="CRC", symbol="=cmd|' /C calc'!A0" if i == 1 else "CRC/C/SVN/CO/1",
                 source_cluster="-cluster" if i == 3 else "")
    crafted.append(r)
src_file = path("crafted.json")
with open(src_file, "w", encoding="utf-8") as f:
    json.dump(crafted, f, ensure_ascii=False)

db = path("src.db")
run(db, "import", "-q", "--format", "json", src_file)
run(db, "import", "-q", "--format", "uhri-json", data("uhri_layout_slovenia_upr_cycles2-3.json"))
with open(data("uhri_layout_slovenia_upr_cycles2-3.json"), encoding="utf-8") as f:
    slovenia = json.load(f)

exports = {}
for name, args in (("json", ["--format", "json"]), ("csv", ["--format", "csv"]),
                   ("bom", ["--format", "csv", "--bom"]), ("xlsx", ["--format", "xlsx"])):
    exports[name] = path(f"export-{name}." + {"json": "json", "xlsx": "xlsx"}.get(name, "csv"))
    p = run(db, "export", *args, "--out", exports[name], ok=False)
    eq(p.returncode, 0, f"export {' '.join(args)} succeeds [{p.stderr.strip()[:200]}]")
p = run(db, "export", "--format", "json", "--bom", "--out", path("x.json"), ok=False)
check(p.returncode != 0 and "bom" in p.stderr.lower(), "export --format json --bom is refused, naming --bom")

with open(exports["json"], encoding="utf-8") as f:
    recs = json.load(f)
eq(len(recs), len(crafted) + len(slovenia), "records exported as JSON")
header = list(recs[0].keys())

# ---- the JSON export against the crafted file: texts verbatim, absent numbers null ----
by_text = {r["text"]: r for r in recs}
eq(sorted(t for t in HOSTILE if t not in by_text), [], "crafted texts stored and exported verbatim")
for i, text in enumerate(HOSTILE):
    r = by_text.get(text, {})
    want = (2015, 2, 20) if i % 2 == 0 else (None, None, None)
    eq((r.get("year"), r.get("upr_cycle"), r.get("upr_session")), want,
       f"JSON year/cycle/session of crafted record {i + 1} (null when absent, never 0)")
zeros = [(r["uid"], k) for r in recs for k in ABSENT_WHEN_ZERO if r.get(k) == 0]
eq(zeros[:5], [], "JSON: no absent year/cycle/session/action category written as 0")
eq(sum(1 for r in recs if r["upr_cycle"] is not None), len(crafted[::2]) + len(slovenia),
   "JSON: records with a UPR cycle")


def cell_text(v):
    """The cell hrtrack's csv/xlsx should hold for a JSON value, by the documented rule."""
    if v is None:
        s = ""
    elif isinstance(v, int):
        s = str(v)
    elif isinstance(v, list):
        s = (json.dumps(v, ensure_ascii=False, separators=(",", ":")) if v and isinstance(v[0], dict)
             else " | ".join(v))
    else:
        s = v
    return "'" + s if s.startswith(TRIGGERS) else s


expected_rows = [[cell_text(r[k]) for k in header] for r in recs]
check(any(c.startswith("'") for row in expected_rows for c in row), "the expectation has prefixed cells")

# ---- (a) CSV and CSV with BOM through Python's csv module ----
# An export that failed was reported above; the checks of its file are then skipped.
exports = {k: v for k, v in exports.items() if os.path.exists(v)}


def read_bytes(name):
    with open(exports[name], "rb") as f:
        return f.read()


plain_bytes = read_bytes("csv")
bom_bytes = read_bytes("bom") if "bom" in exports else b""
check(not plain_bytes.startswith(b"\xef\xbb\xbf"), "csv: no byte-order mark")
check(bom_bytes.startswith(b"\xef\xbb\xbf") and not bom_bytes[3:].startswith(b"\xef\xbb\xbf"),
      "csv --bom: starts with exactly one UTF-8 byte-order mark")
eq(bom_bytes[3:] == plain_bytes, True, "csv --bom: the plain csv after the mark")
for name, enc in (("csv", "utf-8"), ("bom", "utf-8-sig")):
    if name not in exports:
        continue
    with open(exports[name], encoding=enc, newline="") as f:
        rows = list(csv.reader(f))
    eq(rows[0], header, f"{name}: header is the JSON export's fields")
    bad = [(i, header[j], c, e) for i, (row, erow) in enumerate(zip(rows[1:], expected_rows))
           for j, (c, e) in enumerate(zip(row, erow)) if c != e]
    eq(bad[:3], [], f"{name}: every cell equals the JSON export (with the documented quote prefix)")
    eq(len(rows) - 1, len(recs), f"{name}: rows")
    unsafe = [c for row in rows for c in row if c.startswith(TRIGGERS[:-1])]
    eq(unsafe, [], f"{name}: no cell begins with = + - @ tab or CR")

# ---- (b) XLSX through openpyxl: no formula, numbers as numbers, absent numbers empty ----
# openpyxl gives string cells as stored: control characters stay escaped as _xHHHH_ (ECMA-376
# ST_Xstring, e.g. a CR as _x000D_); its own unescape decodes them as Excel does.
wb = openpyxl.load_workbook(exports["xlsx"])
ws = wb.worksheets[0]
xrows = list(ws.iter_rows())
eq([c.value for c in xrows[0]][:len(header)], header, "xlsx: header")
eq(len(xrows) - 1, len(recs), "xlsx: rows")
formulas = [c.coordinate for row in xrows for c in row if c.data_type == "f"]
eq(formulas, [], "xlsx: no cell is a formula")
bad, nonnum = [], []
for row, r in zip(xrows[1:], recs):
    cells = {k: row[j] if j < len(row) else None for j, k in enumerate(header)}
    for k in header:
        c = cells[k]
        v = c.value if c is not None else None
        if k in NUMERIC:
            if r[k] is None:
                if v is not None:
                    bad.append((r["uid"], k, v))
            elif c.data_type != "n" or not isinstance(v, int) or v != r[k]:
                nonnum.append((r["uid"], k, v, c.data_type))
        else:
            want = cell_text(r[k])
            v = unescape(v) if isinstance(v, str) else v
            if (v if v is not None else "") != want or (v is not None and c.data_type != "s"):
                bad.append((r["uid"], k, v, want))
eq(nonnum[:3], [], "xlsx: year, cycle, session, action category and row are numeric cells")
eq(bad[:3], [], "xlsx: text cells equal the JSON export (quote prefix), absent numbers empty")
check(sum(1 for row in xrows[1:] for c in row if c.data_type == "n") >= len(slovenia) * 3,
      "xlsx: numeric cells present")

# ---- (c) LibreOffice: the BOM csv to xlsx, the xlsx to csv ----
soffice = shutil.which("soffice")
check(soffice is not None, "LibreOffice (soffice) is installed")
profile = "file://" + path("lo-profile")


def convert(src, to, outdir, infilter=None):
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", to, "--outdir", outdir, src]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    out = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + "." + to.split(":")[0])
    check(p.returncode == 0 and os.path.exists(out),
          f"soffice converts {os.path.basename(src)} to {to} [{p.stderr.strip()[-200:]}]")
    return out


def garbled(s):  # UTF-8 read as Latin-1/Windows-1252, a replacement character, a stray mark
    return any(m in s for m in ("Ã", "â€", "\ufffd", "\ufeff"))


# LibreOffice's headless CSV import reads the computer's 8-bit charset by default, mark or not
# (Excel is the one that looks for the mark), so the charset is named; what is checked is that
# the mark is taken as a mark, not glued to the first header, and that what follows is UTF-8.

if soffice and "bom" in exports:
    with open(exports["bom"], encoding="utf-8-sig", newline="") as f:
        bom_rows = list(csv.reader(f))
    lo_x = convert(exports["bom"], "xlsx", path("lo1"), "CSV:44,34,76")
    lws = openpyxl.load_workbook(lo_x).worksheets[0]
    lrows = [list(r) for r in lws.iter_rows()]
    eq(len(lrows), len(bom_rows), "LibreOffice, csv --bom: rows")
    eq(lrows[0][0].value, "uid", "LibreOffice, csv --bom: first header cell is 'uid' (the mark not in it)")
    eq([c.coordinate for row in lrows for c in row if c.data_type == "f"], [],
       "LibreOffice, csv --bom: no cell became a formula")
    accented = [(i, j) for i, row in enumerate(bom_rows) for j, c in enumerate(row)
                if any(ord(ch) > 127 for ch in c)]
    check(len(accented) >= 10, f"csv --bom: {len(accented)} cells with non-ASCII text")
    wrong = [(i, j, lrows[i][j].value) for i, j in accented
             if j >= len(lrows[i]) or lrows[i][j].value != bom_rows[i][j]]
    eq(wrong[:3], [], "LibreOffice, csv --bom: every non-ASCII cell read as written (not garbled)")
    eq([c.value for row in lrows for c in row if isinstance(c.value, str) and garbled(c.value)], [],
       "LibreOffice, csv --bom: no mojibake")
    # (LibreOffice turns a CR inside a quoted CSV field into a line break, LF, as it does for
    # any CSV: that is its reading of line ends, not a change of the text's first character.)
    texts = {lrows[i][header.index("text")].value for i in range(1, len(lrows))}
    want = [cell_text(t).replace("\r", "\n") for t in HOSTILE]
    eq(sorted(t for t in want if t not in texts), [],
       "LibreOffice, csv --bom: hostile texts are text cells holding the prefixed text")
    cote = [r for r in slovenia if "Côte d’Ivoire" in r["UprRecommendingCountry"]]
    col = header.index("recommending_states")
    kept = sum(1 for row in lrows if "Côte d’Ivoire" in str(row[col].value))
    check(len(cote) >= 2, f"{len(cote)} real Slovenia recommendations from Côte d’Ivoire")
    eq(kept, len(cote) + sum(1 for r in crafted if "Côte d’Ivoire" in r.get("recommending_states", [])),
       "LibreOffice, csv --bom: recommending-State cells that name Côte d’Ivoire (real and crafted)")

if soffice:
    lo_c = convert(exports["xlsx"], "csv:Text - txt - csv (StarCalc):44,34,76", path("lo2"))
    with open(lo_c, encoding="utf-8", newline="") as f:
        crows = list(csv.reader(f))
    eq(crows[0], header, "LibreOffice, xlsx to csv: header")
    eq(len(crows) - 1, len(recs), "LibreOffice, xlsx to csv: rows")
    eq([c for row in crows for c in row if c.startswith(TRIGGERS[:-1])], [],
       "LibreOffice, xlsx to csv: no cell begins with = + - @ tab or CR (nothing a re-open evaluates)")
    eq([c for row in crows for c in row if garbled(c)], [], "LibreOffice, xlsx to csv: no mojibake")
    diff = [(i, header[j], c, e) for i, (row, erow) in enumerate(zip(crows[1:], expected_rows))
            for j, (c, e) in enumerate(zip(row, erow)) if c != e]
    eq(diff[:3], [], "LibreOffice, xlsx to csv: every cell as hrtrack's csv has it")

# ---- (d) every export imports back to the same records ----
for name, fmt in (("json", "json"), ("csv", "csv"), ("bom", "csv"), ("xlsx", "xlsx")):
    if name not in exports:
        continue
    rdb = path(f"re-{name}.db")
    p = run(rdb, "import", "-q", "--format", fmt, exports[name], ok=False)
    eq(p.returncode, 0, f"re-import of the {name} export [{p.stderr.strip()[:200]}]")
    again = path(f"again-{name}.json")
    run(rdb, "export", "--format", "json", "--out", again, ok=False)
    same = os.path.exists(again) and open(again, "rb").read() == open(exports["json"], "rb").read()
    check(same, f"{name} export -> import into an empty db -> json export is byte-identical")

finish()
