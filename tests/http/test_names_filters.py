"""State names and one filter vocabulary, on the real data (UPR Info sessions 1-14, the OHCHR
Slovenia list and its UHRI-layout twin).

1. Recommending States count once per State: the recommending_state facet (/api/facets and the
   CLI's stats) has one value per ISO3 code with the counts Python computes from the three files
   with its own alias table (below, built on Debian's iso-codes list, not on ICU), and the
   values that are no State ("&#40;Unknown&#41;", "ICRMW", "No. 29", "No. 189") are import
   problems with their row and column, never facet values.
2. The UN's names: North Korea, Congo - Kinshasa, Myanmar (Burma) and Palestinian Territories
   (ICU's) are shown as the UN writes them, in English and in French, in the facets, the search
   page and a record page.
3. One filter vocabulary: the same filters spelled the canonical way (the API's names) select the
   same records in the CLI (stats, export) and the HTTP API (search, export); the CLI's former
   names are aliases in both; an unknown name gets the same message from both.
"""
import collections
import csv
import json
import os
import re
import sys
import unicodedata
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import check, data, eq, finish, run, stats, tmpdir  # noqa: E402
from hrclient import Client, Server  # noqa: E402

UPR = data("uprinfo_recommendations_sessions01-14.csv")
OHCHR = data("ohchr_thematic_list_slovenia_cycles2-3.csv")
UHRI = data("uhri_layout_slovenia_upr_cycles2-3.json")


# ---------- the independent alias table ----------
def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("&", " and ")
    s = s.replace("'", "").replace("\u2019", "")
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return s[4:] if s.startswith("the ") else s


NAMES = {}
with open("/usr/share/iso-codes/json/iso_3166-1.json", encoding="utf-8") as f:
    for c in json.load(f)["3166-1"]:
        for key in ("name", "official_name", "common_name"):
            if key in c:
                NAMES[fold(c[key])] = c["alpha_3"]
                if ", " in c[key]:  # "Iran, Islamic Republic of" -> "Islamic Republic of Iran"
                    a, b = c[key].split(", ", 1)
                    NAMES[fold(b + " " + a)] = c["alpha_3"]
# The spellings of UPR Info, OHCHR and UHRI that ISO 3166 does not use.
for name, iso in {
        "Iran": "IRN", "Iran (Islamic Republic of)": "IRN", "Venezuela": "VEN",
        "Venezuela (Bolivarian Republic of)": "VEN", "Bolivia": "BOL", "Syria": "SYR",
        "Laos": "LAO", "Tanzania": "TZA", "Moldova": "MDA", "Micronesia": "FSM",
        "DPR Korea": "PRK", "Republic of Korea": "KOR", "Democratic Republic of Congo": "COD",
        "Republic of Congo": "COG", "Macedonia FYR": "MKD",
        "the former Yugoslav Republic of Macedonia": "MKD", "North Macedonia": "MKD",
        "Swaziland": "SWZ", "Turkey": "TUR", "Cape Verde": "CPV", "Czech Republic": "CZE",
        "Palestine": "PSE", "State of Palestine": "PSE", "United Kingdom": "GBR",
        "United Kingdom of Great Britain and Northern Ireland": "GBR", "United States": "USA",
        "United States of America": "USA", "Russian Federation": "RUS", "Viet Nam": "VNM",
        "Holy See": "VAT", "Cote d'Ivoire": "CIV", "Guinea Bissau": "GNB",
        "St Kitts & Nevis": "KNA", "St Vincent & the Grenadines": "VCT",
        "Sao Tome & Principe": "STP", "Kyrgyzstan": "KGZ", "Libya": "LBY",
        "Brunei Darussalam": "BRN", "Netherlands": "NLD"}.items():
    NAMES[fold(name)] = iso
JUNK = {"&#40;Unknown&#41;", "ICRMW", "No. 29", "No. 189"}


def iso_of(name, unresolved):
    iso = NAMES.get(fold(name))
    if iso is None:
        unresolved.add(name)
    return iso


def split(cell):
    return [p.strip() for part in cell.split(" | ") for p in part.split(",") if p.strip()]


unresolved = set()
expected = collections.Counter()
seen_rows = set()
with open(UPR, encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        key = tuple(v for k, v in row.items() if k != "source_file")
        if key in seen_rows:  # the 3 exact duplicates are one record each
            continue
        seen_rows.add(key)
        isos = {iso_of(s, unresolved) for s in split(row["From"])} - {None}
        expected.update(isos)
ohchr_sets = collections.Counter()
with open(OHCHR, encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        isos = frozenset({iso_of(s, unresolved) for s in split(row["recommending_states"])} - {None})
        ohchr_sets[isos] += 1
        expected.update(isos)
uhri_sets = collections.Counter()
with open(UHRI, encoding="utf-8") as f:
    for rec in json.load(f):
        names = [p for v in rec.get("UprRecommendingCountry") or [] for p in split(v)]
        uhri_sets[frozenset({iso_of(s, unresolved) for s in names} - {None})] += 1
eq(unresolved, JUNK, "python: every name but the junk resolves to a State")
check(uhri_sets == ohchr_sets, "python: the UHRI twin names the same recommending States as the list")
check(len(expected) > 180, f"python: {len(expected)} recommending States")

# ---------- the database ----------
tmp = tmpdir()
db = os.path.join(tmp, "names.db")
imports = [run(db, "import", "--format", "uprinfo-csv", UPR),
           run(db, "import", "--format", "ohchr-thematic-csv", OHCHR),
           run(db, "import", "--format", "uhri-json", UHRI)]
report = "\n".join(p.stdout + p.stderr for p in imports)
for junk, column in [("No. 29", "recommending_states"), ("ICRMW", "recommending_states"),
                     ("&#40;Unknown&#41;", "From"), ("ICRMW", "UprRecommendingCountry")]:
    lines = [ln for ln in report.splitlines() if junk in ln and column in ln]
    check(any(re.search(r"\brow \d+|:\d+:", ln) for ln in lines),
          f"import reports {junk!r} in column {column} with its row ({lines[:1]})")

# ---------- 1. the facet counts each State once ----------
got_cli = {v["value"]: v["count"] for v in stats(db).get("by_recommending_state", [])}
UN_EN = {"PRK": "Democratic People's Republic of Korea", "COD": "Democratic Republic of the Congo",
         "MMR": "Myanmar", "PSE": "State of Palestine"}
UN_FR = {"PRK": "République populaire démocratique de Corée",
         "COD": "République démocratique du Congo", "MMR": "Myanmar", "PSE": "État de Palestine"}
server = Server(db)
try:
    pub = Client(server)
    facet = pub.get("/api/facets/recommending_state").json()["values"]
    values = [v["value"] for v in facet]
    eq(len(values), len(set(values)), "the facet lists each value once")
    got = {v["value"]: v["count"] for v in facet}
    eq(got, dict(expected), "recommending_state facet = Python's count per ISO3")
    eq(got_cli, dict(expected),
       "CLI stats recommending_state = Python's count per ISO3")
    check(not (set(values) & JUNK), "no junk value in the facet")
    labels = {v["value"]: v["label"] for v in facet}
    for iso, name in UN_EN.items():
        eq(labels.get(iso), name, f"recommending_state label of {iso} (English)")
    fr = {v["value"]: v["label"] for v in pub.get("/api/facets/recommending_state?lang=fr").json()["values"]}
    for iso, name in UN_FR.items():
        eq(fr.get(iso), name, f"recommending_state label of {iso} (French)")
    states_fr = {v["value"]: v["label"] for v in pub.get("/api/facets/state?lang=fr").json()["values"]}
    states_en = {v["value"]: v["label"] for v in pub.get("/api/facets/state").json()["values"]}
    for iso in ("PRK", "COD", "MMR"):  # States under review in UPR Info's sessions 1-14
        eq(states_en.get(iso), UN_EN[iso], f"state label of {iso} (English)")
        eq(states_fr.get(iso), UN_FR[iso], f"state label of {iso} (French)")
    # The portal: the search page and a record page, in French.
    page = pub.get("/search?state=PRK&lang=fr").text
    check(UN_FR["PRK"] in page and "Corée du Nord" not in page, "search page (fr): the UN's name")
    # UPR Info: the Democratic Republic of the Congo recommended to by "DPR Korea" (2 rows).
    hit = pub.get("/api/recommendations?state=COD&recommending_state=PRK&per_page=1").json()
    eq(hit["total"], 2, "COD recommended to by PRK: 2 records")
    if hit["items"]:
        rec = pub.get(hit["items"][0]["url"] + "?lang=fr").text
        check(UN_FR["PRK"] in rec and UN_FR["COD"] in rec and "Congo-Kinshasa" not in rec
              and "Corée du Nord" not in rec,
              "record page (fr): the UN's names of the State and the recommending State")
        api_rec = pub.get("/api/recommendations/" + hit["items"][0]["uid"] + "?lang=fr").json()
        eq(api_rec["state_label"], UN_FR["COD"], "API record state_label (fr)")
    eng = pub.get("/api/recommendations?state=MMR&per_page=1").json()["items"][0]
    eq(eng["state_label"], "Myanmar", "API search item state_label (en)")

    # ---------- 3. one filter vocabulary ----------
    def api_total(params):
        q = urllib.parse.urlencode(params)
        r = pub.get("/api/recommendations?facets=none&per_page=1&" + q)
        eq(r.status, 200, f"API accepts {q}")
        return r.json().get("total")

    def api_uids(params):
        q = urllib.parse.urlencode(params + [("format", "json")])
        r = pub.get("/api/export?" + q)
        eq(r.status, 200, f"API export accepts {q}")
        return {x["uid"] for x in r.json()} if r.status == 200 else set()

    def cli_total(params):
        args = ["stats", "--json", "--top", "0"]
        for k, v in params:
            args += ["--where", f"{k}={v}"]
        p = run(db, *args, ok=False)
        check(p.returncode == 0, f"CLI accepts {params} ({p.stderr.strip()[:120]})")
        return json.loads(p.stdout)["total"] if p.returncode == 0 else None

    def cli_uids(params):
        out = os.path.join(tmp, "filtered.json")
        args = ["export", "--format", "json", "--out", out]
        for k, v in params:
            args += ["--where", f"{k}={v}"]
        p = run(db, *args, ok=False)
        check(p.returncode == 0, f"CLI export accepts {params} ({p.stderr.strip()[:120]})")
        if p.returncode != 0:
            return set()
        with open(out, encoding="utf-8") as f:
            return {x["uid"] for x in json.load(f)}

    persons = pub.get("/api/facets/persons").json()["values"][0]["value"]
    theme = pub.get("/api/facets/theme").json()["values"][0]["value"]
    cases = [
        [("cycle", "1")], [("cycle", "2..3")], [("session", "5..7")], [("year", "2011..")],
        [("year", "..2009")], [("state", "PRK")], [("state", "SVN"), ("state", "FRA")],
        [("recommending_state", "IRN")], [("recommending_state", "United Kingdom")],
        [("response", "noted")], [("kind", "pledge")], [("mechanism", "UPR"), ("cycle", "3")],
        [("mechanism", "Universal Periodic Review")], [("symbol", "A/HRC/28/15")],
        [("persons", persons)], [("theme", theme)], [("sdg_goal", "16")],
        [("sdg_target", "16.2")], [("sdg", "5")], [("issue", "Torture and other CID treatment")],
        [("cycle", "2"), ("recommending_state", "GBR")],
    ]
    for params in cases:
        spelled = "&".join(f"{k}={v}" for k, v in params)
        n_cli = cli_total(params)
        n_api = api_total(params)
        eq(n_cli, n_api, f"{spelled}: CLI stats total = API search total")
        if params[0][0] != "sdg_target":  # the shared files give SDG goals only
            check((n_cli or 0) > 0, f"{spelled}: selects something ({n_cli})")
    for params in [[("cycle", "1"), ("recommending_state", "IRN")], [("persons", persons)],
                   [("symbol", "a/hrc/43/15"), ("response", "supported")],
                   [("sdg_goal", "16")], [("year", "2011..2012"), ("response", "noted")]]:
        spelled = "&".join(f"{k}={v}" for k, v in params)
        a, b = cli_uids(params), api_uids(params)
        check(a == b and a, f"{spelled}: CLI export = API export, the same {len(a)} records "
                            f"(only CLI: {sorted(a - b)[:3]}, only API: {sorted(b - a)[:3]})")
    # The CLI's former names are aliases, in both.
    for old, new, v in [("upr_cycle", "cycle", "1"), ("upr_session", "session", "9"),
                        ("person", "persons", persons)]:
        eq(cli_total([(old, v)]), cli_total([(new, v)]), f"CLI: {old} = {new}")
        eq(api_total([(old, v)]), api_total([(new, v)]), f"API: {old} = {new}")
    # An unknown name, a bad range: the same message.
    for bad in [("colour", "red"), ("year", "soon")]:
        p = run(db, "stats", "--where", f"{bad[0]}={bad[1]}", ok=False)
        cli_msg = p.stderr.strip().removeprefix("hrtrack: error: ")
        r = pub.get("/api/recommendations?" + urllib.parse.urlencode([bad]))
        eq(r.status, 400, f"API: {bad[0]}={bad[1]} is a 400")
        api_msg = r.json()["error"]
        check(p.returncode != 0 and cli_msg and api_msg.startswith(cli_msg),
              f"{bad[0]}={bad[1]}: the same message (CLI {cli_msg!r}, API {api_msg!r})")
        if bad[0] == "colour":
            check(cli_msg.startswith("unknown filter 'colour'; filters are state, region"),
                  "the message names the filters")
finally:
    server.stop()

finish()
