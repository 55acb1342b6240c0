"""UHRI's Excel export: the real UHRI-layout records are written here (Python's zipfile, inline
strings, OHCHR's column names and spellings, "- "-prefixed multi-valued lines, Excel serial
dates) and imported with --format uhri-xlsx; every record must equal the uhri-json import of
the same records."""
import datetime
import json
import os
import zipfile
from xml.sax.saxutils import escape

from common import data, eq, finish, run, stats, tmpdir

tmp = tmpdir()
records = json.load(open(data("uhri_layout_slovenia_upr_cycles2-3.json"), encoding="utf-8"))
records += json.load(open(data("uhri_genuine_record_crc_peru.json"), encoding="utf-8"))

COLUMNS = ["Text", "Countries Concerned", "Reccomending Body", "Document Symbol", "Themes",
           "Affected Persons", "Sdgs", "Document Publication Date", "UPR Reccomending States",
           "UPR Position", "Type", "OHCHR Annotation Id", "UPR Session", "Regions Concerned",
           "Recommending Regions", "Date of publication on UHRI"]


def lines(v):
    v = v if isinstance(v, list) else ([] if v is None else [v])
    return "\n".join("- " + str(x) for x in v)


def serial(iso):
    if not iso:
        return ""
    d = datetime.date.fromisoformat(iso[:10])
    return str((d - datetime.date(1899, 12, 30)).days)


def row_of(r):
    return [r["Text"], lines(r["Countries"]), r["Body"], r["Symbol"], lines(r["Themes"]),
            lines(r["AffectedPersons"]), lines(r["Sdgs"]), serial(r["PublicationDate"]),
            lines(r["UprRecommendingCountry"]), lines(r["UprPositions"]), r["AnnotationType"],
            r["AnnotationId"], lines(r["UprSession"]), lines(r["Regions"]),
            lines(r["UprRecommendingRegions"]), serial(r["PublicationDateOnUhri"])]


def col(i):
    s = ""
    i += 1
    while i:
        i, m = divmod(i - 1, 26)
        s = chr(65 + m) + s
    return s


def sheet(rows):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for n, cells in enumerate(rows, 1):
        out.append(f'<row r="{n}">')
        for i, v in enumerate(cells):
            if v == "":
                continue
            ref = f"{col(i)}{n}"
            if v.isdigit() and n > 1 and COLUMNS[i].startswith(("Document Publication", "Date of")):
                out.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(v)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


path = os.path.join(tmp, "uhri.xlsx")
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", sheet([COLUMNS] + [row_of(r) for r in records]))

dx, dj = os.path.join(tmp, "x.db"), os.path.join(tmp, "j.db")
p = run(dx, "import", "-q", "--format", "uhri-xlsx", path)
eq(p.stdout.strip().splitlines()[0].split(": ", 1)[1], f"{len(records)} rows read, {len(records)} new, 0 changed, 0 unchanged, 0 duplicates in file, 0 rejected", "uhri-xlsx import summary")
run(dj, "import", "-q", "--format", "uhri-json", data("uhri_layout_slovenia_upr_cycles2-3.json"))
run(dj, "import", "-q", "--format", "uhri-json", data("uhri_genuine_record_crc_peru.json"))
eq(stats(dx)["total"], len(records), "records from the Excel export")


def export(db):
    out = os.path.join(tmp, os.path.basename(db) + ".json")
    run(db, "export", "--format", "json", "--out", out)
    rows = json.load(open(out, encoding="utf-8"))
    for r in rows:
        # The Excel export has no DocumentId column, and holds the UHRI publication time as a
        # date only.
        for k in ("source_format", "source_file", "source_row", "uhri_pub_date", "document_id"):
            r.pop(k)
    return {r["annotation_id"]: r for r in rows}


x, j = export(dx), export(dj)
diff = sorted(k for k in j if x.get(k) != j[k])
if diff:
    print("first difference:", {f: (x.get(diff[0], {}).get(f), j[diff[0]][f]) for f in j[diff[0]]
                                if x.get(diff[0], {}).get(f) != j[diff[0]][f]})
eq(len(diff), 0, "every record from the Excel export equals the JSON import (but DocumentId and the UHRI timestamp)")
g = x["a9ceae8c-fe1c-40f9-a326-1529e0ab678f"]
eq((g["pub_date"], g["kind"], g["mechanism"]), ("2025-02-12", "observation", "CRC"), "genuine record via Excel: date from the serial, kind, mechanism")
finish()
