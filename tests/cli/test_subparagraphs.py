"""Sub-paragraphs of concluding observations (issue #10): "24 (a)", "24(b)" and "(c)" (a record
that does not repeat its paragraph's number) are records of their own, each linked to its
paragraph "24" (parent_paragraph), shown on the record page with its paragraph and siblings;
"24(a)", "24 (a)" and "24 a)" are one paragraph, "24 (a)" and "24 (b)" two.

The file is SYNTHETIC: the genuine CRC record on Peru (uhri_genuine_record_crc_peru.json, paragraph
4) plus four records of a paragraph 24 written here in its layout (the shared data holds no real
sub-paragraph record). Expected values are what this script wrote, never hrtrack's output."""
import copy
import csv
import html
import json
import os
import sys
import urllib.request

from common import check, data, eq, export_json, finish, run, tmpdir

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "http"))
from hrclient import Server  # noqa: E402

tmp = tmpdir()
with open(data("uhri_genuine_record_crc_peru.json"), encoding="utf-8") as f:
    genuine = json.load(f)[0]

# (Text as the file gives it, expected paragraph, expected parent, expected text)
PARTS = [
    ("24. The Committee recommends that the State party:", "24", "",
     "The Committee recommends that the State party:"),
    ("24 (a) Ensure the registration of every child at birth;", "24 (a)", "24",
     "Ensure the registration of every child at birth;"),
    ("24(b) Strengthen the civil registry offices in rural areas;", "24 (b)", "24",
     "Strengthen the civil registry offices in rural areas;"),
    ("(c) Guarantee free late registration.", "24 (c)", "24", "Guarantee free late registration."),
]
# The same records, their numbers written otherwise: the same paragraphs once normalised.
RESPELLED = ["24 The Committee recommends that the State party:",
             "24 a) Ensure the registration of every child at birth;",
             "24 (b) Strengthen the civil registry offices in rural areas;",
             "24 (c) Guarantee free late registration."]


def records(texts, with_ids):
    out = [copy.deepcopy(genuine)]
    for i, t in enumerate(texts):
        r = copy.deepcopy(genuine)
        r["Text"] = t
        r["AnnotationId"] = f"00000000-0000-4000-8000-0000000000{i:02d}" if with_ids else None
        out.append(r)
    if not with_ids:
        out[0]["AnnotationId"] = None
    return out


def write(name, recs):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(recs, f, ensure_ascii=False)
    return path


texts = [p[0] for p in PARTS]
expected = {p[1]: (p[2], p[3]) for p in PARTS}
expected["4"] = ("", genuine["Text"].strip()[2:].strip())

for with_ids in (True, False):
    label = "with annotation ids" if with_ids else "without annotation ids"
    db = os.path.join(tmp, f"{with_ids}.db")
    run(db, "import", "-q", "--format", "uhri-json", write(f"crc-{with_ids}.json",
                                                          records(texts, with_ids)))
    recs = export_json(db, tmp)
    got = {r["paragraph"]: (r.get("parent_paragraph"), r["text"]) for r in recs}
    eq(sorted(got), sorted(expected), f"{label}: each sub-paragraph is a record of its own")
    eq(got, expected, f"{label}: linked to its paragraph, with its own text")

    p = run(db, "import", "--format", "uhri-json",
            write(f"respelled-{with_ids}.json", records(RESPELLED, with_ids)))
    check(" 0 new, 0 changed" in p.stdout,
          f"{label}: \"24 a)\", \"24 (b)\" and \"24 (c)\" meet the same records ({p.stdout.strip()})")

    if not with_ids:
        # CSV and JSON exports carry the link and import back to the same records.
        for fmt in ("csv", "json"):
            out = os.path.join(tmp, f"export.{fmt}")
            run(db, "export", "--format", fmt, "--out", out)
            if fmt == "csv":
                with open(out, encoding="utf-8", newline="") as f:
                    rows = list(csv.DictReader(f))
                eq({r["paragraph"]: r["parent_paragraph"] for r in rows},
                   {k: v[0] for k, v in expected.items()}, "the CSV export has the parent_paragraph column")
            back = os.path.join(tmp, f"back-{fmt}.db")
            run(back, "import", "-q", "--format", fmt, out)
            again = {r["paragraph"]: (r["parent_paragraph"], r["text"]) for r in export_json(back, tmp)}
            eq(again, expected, f"the {fmt} export imports back to the same records")

# ---------- the record page: its paragraph and its siblings ----------
db = os.path.join(tmp, "True.db")
recs = {r["paragraph"]: r for r in export_json(db, tmp)}
server = Server(db)
try:
    def page(uid):
        with urllib.request.urlopen(f"{server.base}/recommendations/{uid}", timeout=60) as resp:
            return html.unescape(resp.read().decode("utf-8"))
    b_page, para_page = page(recs["24 (b)"]["uid"]), page(recs["24"]["uid"])
finally:
    server.stop()


def section(page, start, end):
    """The part of a page from `start` to the next `end` ("" if absent)."""
    at = page.find(start)
    return page[at:page.find(end, at)] if at >= 0 else ""


def href(para):
    return f'href="/recommendations/{recs[para]["uid"]}"'


# The related records (same State, same themes) link to all of them too: look in the parts.
b_family = section(b_page, 'class="paragraph-family"', "</nav>")
b_parent = section(b_page, "<dt>Part of paragraph</dt>", "</div>")
para_family = section(para_page, 'class="paragraph-family"', "</nav>")
check(href("24") in b_parent, "the page of 24 (b) links to its paragraph 24")
check(all(href(s) in b_family for s in ("24 (a)", "24 (c)")) and href("24 (b)") not in b_family,
      "and lists its siblings 24 (a) and 24 (c), itself not as a link")
check(all(href(s) in para_family for s in ("24 (a)", "24 (b)", "24 (c)")),
      "the page of 24 lists its sub-paragraphs")
check(href("4") not in para_family and href("4") not in b_family,
      "and not the other paragraphs of the document")

finish()
