"""One name per concept (issue #10): the theme, affected-persons and region facets count a concept
once, whatever legacy code, older label or spelling a source used; a filter on any label of a
concept finds every record of it, over the CLI and the API alike; the 26k UPR Info records, which
carry UPR Info issues and no UHRI theme, count in the theme facet through the shipped issue
mapping, as derived themes, never written into the records' own themes.

The expected counts are computed here from the shared files with Python's csv/json modules and
the crosswalk's data files of the repository (data/vocab: the legacy-code map, the issue map,
label_variants.csv, regions.csv), applied by this file's own code (its own label key: NFKC,
case folding, "and" read as "&", only letters, digits and "&" kept)."""
import csv
import json
import os
import re
import sys
import unicodedata
import urllib.parse
from collections import Counter, defaultdict

from common import check, data, eq, export_json, finish, run, stats, tmpdir


def same_counts(got, want, msg):
    """Counts equal value for value; a failure lists only the values that differ."""
    diff = {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
    check(not diff, f"{msg} ({len(want)} values){'' if not diff else ': (got, expected) ' + repr(diff)}")

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "http"))
from hrclient import Client, Server  # noqa: E402

VOCAB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "vocab")
OHCHR = data("ohchr_thematic_list_slovenia_cycles2-3.csv")
UHRI = data("uhri_layout_slovenia_upr_cycles2-3.json")
UPRINFO = data("uprinfo_recommendations_sessions01-14.csv")


def rows_of(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def key(label):
    s = unicodedata.normalize("NFKC", label).casefold()
    words = re.split(r"(&)|[^\w&]+|_", s)
    return "".join("&" if w == "and" else w for w in words if w)


# ---------- the crosswalk, from the data files ----------
terms = {"theme": {}, "person": {}, "region": {}}
for r in rows_of(data("uhri_themes_with_counts_2026-02.csv")):
    terms["theme"].setdefault(key(r["theme"].strip()), r["theme"].strip())
for r in rows_of(data("uhri_affected_persons_partial.csv")):
    terms["person"].setdefault(key(r["affected_person"].strip()), r["affected_person"].strip())
for r in rows_of(os.path.join(VOCAB, "regions.csv")):
    terms["region"].setdefault(key(r["name"]), r["name"])
    for a in r["aliases"].split("|"):
        terms["region"][key(a)] = r["name"]
for r in rows_of(os.path.join(VOCAB, "label_variants.csv")):
    terms[r["field"]].setdefault(key(r["to_label"]), r["to_label"])
    terms[r["field"]][key(r["from_label"])] = r["to_label"]
legacy = {r["from_code"].upper(): r["to_label"]
          for r in rows_of(os.path.join(VOCAB, "map_uhri-legacy_to_uhri-themes.csv"))}
issue_themes = defaultdict(list)
for r in rows_of(os.path.join(VOCAB, "map_uprinfo-issues_to_uhri-themes.csv")):
    issue_themes[key(r["from_code"])].append(r["to_label"])
for t in list(legacy.values()) + [t for v in issue_themes.values() for t in v]:
    terms["theme"].setdefault(key(t), t)
LEGACY = re.compile(r"^\s*([A-Ha-h]\d{1,3})\s+(.+)$")


def resolve(field, raw):
    if key(raw) in terms[field]:
        return terms[field][key(raw)]
    m = LEGACY.match(raw) if field == "theme" else None
    if m:
        return legacy.get(m.group(1).upper()) or resolve(field, m.group(2))
    return None


def concepts_of_labels(field, all_labels):
    """label -> concept, unknown labels spelt as the first capitalised one of their key."""
    spelling = {}
    for raw in sorted(all_labels):
        if resolve(field, raw) is None:
            k = key(raw.strip())
            if k not in spelling or (raw.strip()[0].isupper() and not spelling[k][0].isupper()):
                spelling[k] = raw.strip()
    return {raw: resolve(field, raw) or spelling[key(raw.strip())] for raw in all_labels}


# ---------- the records, as the files hold them ----------
ohchr = rows_of(OHCHR)
split = lambda v: [x.strip() for x in v.split(" | ") if x.strip()]  # noqa: E731
slovenia = {(r["wg_report_symbol"], r["recommendation_number"]):
            {"themes": split(r["themes"]), "persons": split(r["affected_persons"]),
             "regions": ["Eastern European States"], "issues": []} for r in ohchr}
with open(UHRI, encoding="utf-8") as f:
    uhri = json.load(f)
# The UHRI-layout file is the same 378 paragraphs (one record each after the merge): its labels
# must be the list's, or the expected counts below would have to merge them.
same = 0
for u in uhri:
    para = re.match(r"^([\d.]+)", u["Text"]).group(1)
    rec = slovenia.get((u["Symbol"], para))
    if rec and sorted(u["Themes"]) == sorted(rec["themes"]) and \
            sorted(u["AffectedPersons"]) == sorted(rec["persons"]):
        same += 1
        rec["regions"] = u["Regions"]
eq(same, len(slovenia), "the UHRI-layout export carries the list's labels, paragraph by paragraph")

uprinfo_rows = rows_of(UPRINFO)
unique = list({tuple(r.values()): r for r in uprinfo_rows}.values())  # exact duplicates once
uprinfo = [{"themes": [], "persons": [], "regions": [x.strip() for x in r["To-Rgrp"].split(",")
                                                      if x.strip()],
            "issues": [x.strip() for x in r["Issue"].split(",") if x.strip()]} for r in unique]
records = list(slovenia.values()) + uprinfo

maps = {f: concepts_of_labels(f, {x for rec in records for x in rec[c]})
        for f, c in (("theme", "themes"), ("person", "persons"), ("region", "regions"))}
expected = {"theme": Counter(), "persons": Counter(), "region": Counter()}
for rec in records:
    themes = {maps["theme"][t] for t in rec["themes"]}
    themes |= {t for i in rec["issues"] for t in issue_themes.get(key(i), [])}
    expected["theme"].update(themes)
    expected["persons"].update({maps["person"][p] for p in rec["persons"]})
    expected["region"].update({maps["region"][g] for g in rec["regions"]})

# ---------- import, then compare ----------
tmp = tmpdir()
db = os.path.join(tmp, "cw.db")
run(db, "vocab", "import", "--dir", os.path.dirname(OHCHR))
run(db, "import", "-q", "--format", "ohchr-thematic-csv", OHCHR)
run(db, "import", "-q", "--format", "uhri-json", UHRI)
run(db, "import", "-q", "--format", "uprinfo-csv", UPRINFO)
eq(stats(db)["total"], len(records), "records: the list's paragraphs and the unique UPR Info rows")

cli_themes = {x["value"]: x["count"] for x in stats(db)["by_theme"]}
same_counts(cli_themes, expected["theme"], "CLI stats: each theme concept once, with its count")
check(not any(LEGACY.match(t) for t in cli_themes), "no legacy-coded theme is a value of its own")
check(expected["theme"]["Equality & non-discrimination"] >
      Counter(t for r in ohchr for t in split(r["themes"]))["Equality & non-discrimination"],
      "the concept counts its legacy-coded records too (B31 ...)")

srv = Server(db)
try:
    c = Client(srv)
    for facet in ("theme", "persons", "region"):
        got = c.get(f"/api/facets/{facet}").json()
        values = {v["value"]: v["count"] for v in got["values"]}
        same_counts(values, expected[facet], f"API facet {facet}: each concept once, with its count")
    persons = {v["value"] for v in c.get("/api/facets/persons").json()["values"]}
    check("Women & girls" in persons and not {"women", "Women", "girls"} & persons,
          "women, Women and girls are counted as Women & girls")
    regions = {v["value"] for v in c.get("/api/facets/region").json()["values"]}
    check(not {"EEG", "GRULAC", "WEOG", "Asia", "Africa"} & regions,
          f"regions are the UN regional groups ({sorted(regions)})")

    # A filter on any label of a concept finds every record of it, in the API and the CLI.
    concept = "Equality & non-discrimination"
    n = expected["theme"][concept]
    for label in (concept, "B31 Equality & non-discrimination", "equality and non-discrimination"):
        q = urllib.parse.urlencode({"theme": label, "per_page": 1})
        eq(c.get(f"/api/recommendations?{q}").json()["total"], n, f"API theme={label!r}")
        eq(stats(db, f"theme={label}")["total"], n, f"CLI theme={label!r}")
    slavery = "Human trafficking & contemporary forms of slavery"
    for label in ("Prohibition of slavery, trafficking", "D27 Prohibition of slavery, trafficking"):
        q = urllib.parse.urlencode({"theme": label, "per_page": 1})
        eq(c.get(f"/api/recommendations?{q}").json()["total"], expected["theme"][slavery],
           f"API theme={label!r} (an older label and a legacy code of {slavery})")

    # Derived themes are shown apart and never written into a record's own themes.
    exported = export_json(db, tmp)
    upr = [r for r in exported if r.get("issues")]
    eq(len(upr), sum(1 for r in uprinfo if r["issues"]), "records with UPR Info issues")
    eq(sum(1 for r in upr if r.get("themes")), 0, "none of them has a theme of its own")
    one = next(r for r in upr if any(issue_themes.get(key(i)) for i in r["issues"]))
    page = c.get(f"/recommendations/{one['uid']}").text
    derived = issue_themes[key(next(i for i in one["issues"] if issue_themes.get(key(i))))][0]
    check("Themes derived from the UPR Info issues" in page and derived.replace("&", "&amp;") in page,
          f"the record page lists the derived theme {derived!r} under its own heading")
finally:
    srv.stop()

finish()
