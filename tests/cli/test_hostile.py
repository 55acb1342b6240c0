"""Hostile files: deep nesting, huge dimensions, zip bombs and single huge tokens. Each must
end in a clear problem and exit status 1 (never a signal, an abort or an out-of-memory kill),
within 256 MB of peak memory. The files are generated here, in a temp dir; peak memory is
measured around each hrtrack process with getrusage(RUSAGE_CHILDREN) in a fresh Python
process (so that only that hrtrack run counts)."""
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile

from common import BIN, check, eq, finish, run, tmpdir

tmp = tmpdir()
LIMIT_MB = 256

# Runs one command in a fresh Python process that reports its child's exit status and peak RSS.
WRAPPER = r"""
import json, resource, subprocess, sys
p = subprocess.run(sys.argv[1:], capture_output=True, text=True, errors="replace")
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": p.returncode, "stderr": p.stderr[-20000:], "stdout": p.stdout[-2000:],
                  "maxrss_kb": ru.ru_maxrss}))
"""


def measured(db, *args):
    out = subprocess.run([sys.executable, "-c", WRAPPER, BIN, "--db", db, *args],
                         capture_output=True, text=True, check=True).stdout
    r = json.loads(out)
    r["peak_mb"] = r["maxrss_kb"] / 1024
    return r


def fresh(name):
    db = os.path.join(tmp, name + ".db")
    run(db, "init")
    return db


def refused(r, what, needle):
    """Exit status 1 (a negative code is a signal), the problem named, memory bounded."""
    first = (r["stderr"].strip().splitlines() or [""])[0]
    eq(r["rc"], 1, f"{what}: exit status 1 (not a signal/abort) [{first[:160]}]")
    check(needle in r["stderr"], f"{what}: the problem says {needle!r}")
    check(r["peak_mb"] <= LIMIT_MB, f"{what}: peak RSS {r['peak_mb']:.1f} MB <= {LIMIT_MB} MB")
    print(f"     {what}: peak RSS {r['peak_mb']:.1f} MB")


def write(name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


# ---- 1. JSON nested 1,000,000 deep (2 MB) in every path that reads JSON ----
DEPTH = 1_000_000
deep = write("deep.json", b"[" + b"[" * DEPTH + b"]" * DEPTH + b"]")
for fmt in ("uhri-json", "json"):
    r = measured(fresh("deep-" + fmt), "import", "-q", "--format", fmt, deep)
    refused(r, f"1,000,000-deep JSON, --format {fmt}", "nested more than")
    check("row 1" in r["stderr"], f"1,000,000-deep JSON, --format {fmt}: names record 1")
# Deep JSON inside a record (one field) rather than as the record.
deep_field = write("deep_field.json", b'[{"Text": "x", "Themes": ' + b"[" * DEPTH + b"]" * DEPTH
                   + b"}]")
r = measured(fresh("deep-field"), "import", "-q", "--format", "uhri-json", deep_field)
refused(r, "1,000,000-deep JSON in a field", "nested more than")
# hrtrack's own CSV carries the text variants as JSON in a cell.
cell = "[" * DEPTH + "]" * DEPTH
deep_csv = write("deep_variants.csv",
                 ("text,state_iso3,variants\nRatify the convention.,CHL," + cell + "\n").encode())
r = measured(fresh("deep-csv"), "import", "-q", "--format", "csv", "--max-field-bytes", "4000000",
             deep_csv)
refused(r, "1,000,000-deep JSON in a CSV variants cell", "nested more than")
check("row 2, column 'variants'" in r["stderr"], "deep variants cell: row 2, column variants named")

# ---- 2. One huge JSON string (300 MB): refused, and not held in memory ----
big = os.path.join(tmp, "bigstring.json")
with open(big, "wb") as f:
    f.write(b'[{"Text": "')
    chunk = b"a" * (1 << 20)
    for _ in range(300):
        f.write(chunk)
    f.write(b'", "Body": "UPR"}]')
r = measured(fresh("bigstring"), "import", "-q", "--format", "uhri-json", big)
refused(r, "300 MB JSON string", "over the 1048576-byte limit")
check("row 1, column 'Text'" in r["stderr"], "300 MB JSON string: record 1, field Text named")
# A number of 50 million digits: the parser would hold the whole token.
num = write("bignumber.json", b'[{"UprSession": ' + b"7" * 50_000_000 + b"}]")
r = measured(fresh("bignumber"), "import", "-q", "--format", "uhri-json", num)
refused(r, "50 MB JSON number", "a number of more than")

# ---- 3. CSV: one line of 100 million commas (100 MB) ----
commas = os.path.join(tmp, "commas.csv")
with open(commas, "wb") as f:
    f.write(b"text,state_iso3\nx,CHL")
    for _ in range(100):
        f.write(b"," * 1_000_000)
    f.write(b"\n")
r = measured(fresh("commas"), "import", "-q", "--format", "csv", commas)
refused(r, "100 million fields in one CSV row", "more than 16384 fields")
check("row 2" in r["stderr"], "100 million fields: row 2 named")

# ---- 4. XLSX: a 2 MB workbook whose sheet inflates to ~600 MB (14 million tiny cells) ----
CELLS_PER_ROW = 16
ROWS = 14_000_000 // CELLS_PER_ROW  # 875,000 rows after the header
CELL = '<c s="1" t="n"><v>1</v><f>SUM(1,2)</f></c>'  # no references: one row compresses like the next
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
              'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')


def sheet_zip(name, header, row_of, level):
    """Writes a workbook whose sheet is the header row then ROWS rows made by row_of(n),
    streamed into the zip in chunks. Returns the path and the size of the sheet's XML."""
    path = os.path.join(tmp, name)
    head = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in header)
    size = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            def put(s):
                nonlocal size
                b = s.encode()
                size += len(b)
                f.write(b)
            put(SHEET_HEAD + f"<row>{head}</row>")
            buf = []
            for n in range(2, ROWS + 2):
                buf.append(row_of(n))
                if len(buf) == 20000:
                    put("".join(buf))
                    buf = []
            put("".join(buf))
            put("</sheetData></worksheet>")
    return path, size


BOMB_ROW = "<row>" + CELL * CELLS_PER_ROW + "</row>"
# (a) as in the issue: the header lacks the required columns.
path, size = sheet_zip("bomb_nocols.xlsx", ["Id", "Value"], lambda n: BOMB_ROW, 9)
zsize = os.path.getsize(path)
check(size > 550_000_000 and zsize < 4_000_000,
      f"bomb workbook: sheet {size / 1e6:.0f} MB of XML in a {zsize / 1e6:.1f} MB file")
r = measured(fresh("bomb1"), "import", "-q", "--format", "xlsx", path)
refused(r, "600 MB sheet, header without the required columns", "xl/worksheets/sheet1.xml")
check("missing required column" not in r["stderr"], "600 MB sheet: only the workbook's problem")
# (b) with the required columns, so that rows would be read.
path, _ = sheet_zip("bomb_cols.xlsx", ["text", "state_iso3"], lambda n: BOMB_ROW, 9)
r = measured(fresh("bomb2"), "import", "-q", "--format", "xlsx", path)
refused(r, "600 MB sheet with the required columns", "xl/worksheets/sheet1.xml")
check("missing required column" not in r["stderr"], "600 MB sheet: only the workbook's problem")
# (c) the same 14 million cells, each different, so that the sheet compresses like real data
# (about 15 times) and is read: every row is wrong (16 cells for 2 columns), so the reading
# stops at the error limit, with memory bounded all along.
path, size = sheet_zip(
    "cells.xlsx", ["text", "state_iso3"],
    lambda n: f'<row r="{n}">' + "".join(f'<c r="{c}{n}" s="1" t="n"><v>{n}</v></c>'
                                         for c in "ABCDEFGHIJKLMNOP") + "</row>", 1)
check(size > 500_000_000, f"varied workbook: sheet {size / 1e6:.0f} MB of XML")
r = measured(fresh("cells"), "import", "-q", "--format", "xlsx", path)
refused(r, "14 million varied cells, every row wrong", "more than 100000 errors")

# (d) more rows than Excel allows, each different (so it compresses like real data, ~10x).
path = os.path.join(tmp, "rows.xlsx")
with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
        f.write(b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>text</t>"
                b"</is></c><c r=\"B1\" t=\"inlineStr\"><is><t>state_iso3</t></is></c></row>")
        buf = []
        for n in range(2, 1_100_001):
            buf.append(f"<row r=\"{n}\"><c r=\"A{n}\" t=\"inlineStr\"><is><t>r{n * 7919 % 1000003}"
                       f"</t></is></c><c r=\"B{n}\"><v>{n}</v></c></row>")
            if len(buf) == 50000:
                f.write("".join(buf).encode())
                buf = []
        f.write("".join(buf).encode())
        f.write(b"</sheetData></worksheet>")
r = measured(fresh("rows"), "import", "-q", "--format", "xlsx", path)
refused(r, "1,100,000-row sheet", "more than 1048576 rows")

# (e) 5 million shared strings (each empty: 5 bytes of XML, a few KB compressed).
path = os.path.join(tmp, "sst.xlsx")
with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/sharedStrings.xml", "<sst>" + "<si/>" * 5_000_000 + "</sst>")
    z.writestr("xl/worksheets/sheet1.xml",
               "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
               "</sheetData></worksheet>")
r = measured(fresh("sst"), "import", "-q", "--format", "xlsx", path)
refused(r, "5 million shared strings", "shared strings")

# (f) the classic zip bomb: 2.2 GB of zeros in a sheet (a few MB file), refused at once.
path = os.path.join(tmp, "zeros.xlsx")
with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
        zeros = b"\0" * (1 << 24)
        for _ in range(2200 * 1000 * 1000 // len(zeros) + 1):
            f.write(zeros)
t = time.perf_counter()
r = measured(fresh("zeros"), "import", "-q", "--format", "xlsx", path)
t = time.perf_counter() - t
refused(r, "2 GB zip bomb", "xl/worksheets/sheet1.xml")
check(t < 5, f"2 GB zip bomb: refused in {t:.2f} s (< 5 s, before inflating it)")

# ---- 5. Everything above was a problem, not a crash: the database is still usable ----
db = fresh("after")
p = run(db, "stats", "--json")
eq(json.loads(p.stdout)["total"], 0, "database usable after the hostile imports")

shutil.rmtree(tmp, ignore_errors=True)  # about 150 MB of generated files
finish()
