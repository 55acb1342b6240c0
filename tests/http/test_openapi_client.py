"""A client generated from the served OpenAPI document types search items with their fields:
openapi-typescript turns /api/openapi.json (the real server on the OHCHR Slovenia list) into
TypeScript types, and the TypeScript compiler (tsc --strict) accepts a small program that reads
search items' fields (uid, text, state_iso3, recommending_states, year, ...) and holds a real
search answer as a typed constant, and rejects a field the document does not declare. A negative
control proves it bites: the same program against the document with Recommendation's properties
removed (generated items are then `Record<string, never>`, as the issue found) must not
compile."""
import copy
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import check, data, eq, finish, run, tmpdir  # noqa: E402
from hrclient import Client, Server  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BROWSER = os.path.join(HERE, "..", "browser")
NODE_MODULES = os.path.join(BROWSER, "node_modules")
if not all(os.path.isdir(os.path.join(NODE_MODULES, m)) for m in ("openapi-typescript", "typescript")):
    sys.exit("tests/browser/node_modules lacks openapi-typescript or typescript: run "
             "scripts/install-deps.sh (npm ci in tests/browser)")

tmp = tmpdir()
db = os.path.join(tmp, "client.db")
run(db, "import", "-q", "--format", "ohchr-thematic-csv",
    data("ohchr_thematic_list_slovenia_cycles2-3.csv"))
server = Server(db)
try:
    pub = Client(server)
    doc = pub.get("/api/openapi.json").json()
    r = pub.get("/api/recommendations?q=discrimination&per_page=3&facet_limit=2")
    eq(r.status, 200, "a search answers")
    page = r.json()
finally:
    server.stop()
check(len(page["items"]) == 3, "the search has three items to type")

# The program: reads fields of a search item with the types the document gives them.
PROGRAM = """\
import type { components, paths } from "./api";

type SearchResult =
  paths["/api/recommendations"]["get"]["responses"][200]["content"]["application/json"];
type Item = SearchResult["items"][number];
type Rec = components["schemas"]["Recommendation"];

// A field typed `never` (what Record<string, never> gives every key) is not a field.
type IsNever<T> = [T] extends [never] ? true : false;
const uidTyped: IsNever<Item["uid"]> = false;
const textTyped: IsNever<Item["text"]> = false;
const stateTyped: IsNever<Rec["state_iso3"]> = false;

// The real answer of the server, as the generated type.
const page: SearchResult = %s;

function describe(it: Item): string {
  const uid: string = it.uid;
  const text: string = it.text;
  const state: string = it.state_iso3;
  const label: string | undefined = it.state_label;
  const from: string[] = it.recommending_states;
  const themes: string[] = it.themes;
  const year: number | null = it.year;
  const upr: string = it.mechanism;
  return `${uid} ${state} ${label ?? ""} ${year ?? ""} ${upr} ${from.join("|")} ${themes.length} ${text.slice(0, 20)}`;
}

const lines: string[] = page.items.map(describe);
const total: number = page.total;
// @ts-expect-error a field the document does not declare does not type-check
const bogus = page.items[0].no_such_field;
export { lines, total, bogus, uidTyped, textTyped, stateTyped };
"""


def compile_against(document, name):
    """Generates types from `document` and compiles the program; returns tsc's result."""
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    doc_file = os.path.join(d, "openapi.json")
    with open(doc_file, "w", encoding="utf-8") as f:
        json.dump(document, f)
    gen = subprocess.run(["npx", "--no-install", "openapi-typescript", doc_file, "-o",
                          os.path.join(d, "api.d.ts")], cwd=BROWSER, capture_output=True, text=True)
    eq(gen.returncode, 0, f"{name}: openapi-typescript generates types")
    if gen.returncode != 0:
        print(gen.stdout, gen.stderr)
    with open(os.path.join(d, "client.ts"), "w", encoding="utf-8") as f:
        f.write(PROGRAM % json.dumps(page, ensure_ascii=False, indent=1))
    return subprocess.run(["npx", "--no-install", "tsc", "--noEmit", "--strict", "--target",
                           "es2020", "--module", "commonjs",
                           os.path.join(d, "client.ts")],
                          cwd=BROWSER, capture_output=True, text=True)


ok = compile_against(doc, "served")
if ok.returncode != 0:
    print(ok.stdout[:4000], ok.stderr[:2000])
eq(ok.returncode, 0, "tsc compiles a program that reads search items' fields (served document)")
with open(os.path.join(tmp, "served", "api.d.ts"), encoding="utf-8") as f:
    generated = f.read()
check("Record<string, never>" not in generated.split("Recommendation:", 1)[-1].split("\n", 2)[0],
      "the generated Recommendation is not Record<string, never>")

# Negative control: Recommendation without properties (the finding).
bare = copy.deepcopy(doc)
bare["components"]["schemas"]["Recommendation"] = {"type": "object", "additionalProperties": False}
bad = compile_against(bare, "bare")
check(bad.returncode != 0, "negative control: with a bare Recommendation the program does not compile")
check("uidTyped" in bad.stdout or "no_such_field" in bad.stdout or "error TS" in bad.stdout,
      "negative control: tsc names the failing fields")

finish()
