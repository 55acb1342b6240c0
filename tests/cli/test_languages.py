"""Language versions (issue #10): a UHRI export in another language of records already held adds a
language version (Recommendation::variants) instead of overwriting the English text; the order of
the imports does not matter; re-importing either file changes nothing; the JSON and UHRI-JSON
exports carry the versions and import back to the same records; the record page shows them.

The French file is SYNTHETIC: written here from the shared Slovenia UHRI-layout file, every text
prefixed with a French marker (a real French export would be translated by OHCHR). Expected values
come from the shared file read here with Python's json module, never from hrtrack's output."""
import copy
import html
import json
import os
import re
import sqlite3
import sys
import urllib.request

from common import check, data, eq, export_json, finish, run, tmpdir

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "http"))
from hrclient import Server  # noqa: E402

tmp = tmpdir()
UHRI = data("uhri_layout_slovenia_upr_cycles2-3.json")
with open(UHRI, encoding="utf-8") as f:
    english = json.load(f)
MARK = "Texte français synthétique : "
NUM = re.compile(r"^\s*(\d{1,4}(?:\.\d{1,4})*)\.?\s*")


def split(text):
    """(paragraph, text) as the UHRI Text holds them: "115.1 Take ..." -> ("115.1", "Take ...")."""
    text = text.strip()
    m = NUM.match(text)
    return (m.group(1), text[m.end():]) if m else ("", text)


def french_text(text):
    para, rest = split(text)
    return f"{para} {MARK}{rest}"


french = copy.deepcopy(english)
for r in french:
    r["Text"] = french_text(r["Text"])
# The language said by the file's name (UHRI names its exports export-full-<lang>.json) ...
fr_named = os.path.join(tmp, "export-full-fr.json")
with open(fr_named, "w", encoding="utf-8") as f:
    json.dump(french, f, ensure_ascii=False)
# ... or by a field of each record, in a file whose name says nothing.
fr_field = os.path.join(tmp, "slovenia-translated.json")
with open(fr_field, "w", encoding="utf-8") as f:
    json.dump([dict(r, Language="fr") for r in french], f, ensure_ascii=False)

expected = {r["AnnotationId"]: (split(r["Text"])[1], MARK + split(r["Text"])[1]) for r in english}


def log_rows(db):
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM change_log WHERE entity = 'recommendation'").fetchone()[0]
    con.close()
    return n


def content(records):
    """The records by annotation id, without where each was read from."""
    return {r["annotation_id"]: {k: v for k, v in r.items()
                                 if k not in ("source_format", "source_file", "source_row")}
            for r in records}


# ---------- English, then French ----------
a = os.path.join(tmp, "a.db")
run(a, "import", "-q", "--format", "uhri-json", UHRI)
p = run(a, "import", "--format", "uhri-json", fr_named)
check(" 0 new" in p.stdout, f"the French export adds no record ({p.stdout.strip()})")
recs_a = export_json(a, tmp)
eq(len(recs_a), len(english), "as many records as the English file")
by_id = {r["annotation_id"]: r for r in recs_a}
eq([k for k, (en, fr) in expected.items() if by_id[k]["text"] != en], [],
   "every record keeps its English text")
eq(sorted({r["lang"] for r in recs_a}), ["en"], "with lang en")
eq([k for k, (en, fr) in expected.items() if by_id[k]["variants"] != [{"lang": "fr", "text": fr}]],
   [], "and gets a French version with the French file's text")

before = log_rows(a)
again = run(a, "import", "--format", "uhri-json", fr_named).stdout + \
    run(a, "import", "--format", "uhri-json", UHRI).stdout
eq(again.count(" 0 new, 0 changed"), 2, "re-importing either file changes nothing")
eq(log_rows(a), before, "and writes nothing to the change log")

# ---------- French first (the language given by a field), then English: the same content ----------
b = os.path.join(tmp, "b.db")
run(b, "import", "-q", "--format", "uhri-json", fr_field)
first = export_json(b, tmp)
eq(sorted({r["lang"] for r in first}), ["fr"], "the French file alone gives French records")
check(all(r["text"].startswith(MARK) for r in first), "with the French text")
run(b, "import", "-q", "--format", "uhri-json", UHRI)
recs_b = export_json(b, tmp)
eq(len(recs_b), len(english), "then the English file adds no record")
ca, cb = content(recs_a), content(recs_b)
eq([k for k in ca if ca[k] != cb.get(k)], [],
   "and every record ends as it does in the other order (English main, French version)")
before = log_rows(b)
again = run(b, "import", "--format", "uhri-json", fr_field).stdout + \
    run(b, "import", "--format", "uhri-json", UHRI).stdout
eq(again.count(" 0 new, 0 changed"), 2, "re-importing either file changes nothing (French first)")
eq(log_rows(b), before, "and writes nothing to the change log (French first)")

# ---------- exports carry the versions and import back to the same records ----------
for fmt in ("json", "uhri-json"):
    out = os.path.join(tmp, f"export.{fmt}")
    run(a, "export", "--format", fmt, "--out", out)
    with open(out, encoding="utf-8") as f:
        exported = json.load(f)
    if fmt == "uhri-json":
        check(all(e.get("TextVariants") and e["TextVariants"][0]["Language"] == "fr"
                  for e in exported), "the UHRI-JSON export carries the French versions")
    c = os.path.join(tmp, f"c-{fmt}.db")
    run(c, "import", "-q", "--format", fmt, out)
    cc = content(export_json(c, tmp))
    eq([k for k in ca if ca[k] != cc.get(k)], [], f"the {fmt} export imports back to the same records")

# ---------- the record page shows the other language version ----------
rec = by_id[english[0]["AnnotationId"]]
server = Server(a)
try:
    def page(lang):
        url = f"{server.base}/recommendations/{rec['uid']}?lang={lang}"
        with urllib.request.urlopen(url, timeout=60) as resp:
            return html.unescape(resp.read().decode("utf-8"))
    en_page, fr_page = page("en"), page("fr")
finally:
    server.stop()
en_text, fr_text = expected[rec["annotation_id"]]
check(en_text in en_page and fr_text in en_page, "the English page shows both texts")
check('lang="fr"' in en_page, "the French one marked as French")
check(fr_text in fr_page and en_text in fr_page, "the French page shows the French text and the original")

finish()
