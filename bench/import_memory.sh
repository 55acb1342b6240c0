#!/usr/bin/env bash
# Import memory benchmark: peak RSS of importing the scaled UPR Info corpus (~263k rows,
# bench/make_corpus.py) as CSV and as XLSX, the XLSX made by hrtrack's own export
# (`hrtrack export --format xlsx` of the CSV import). Goal: both at most 256 MB (the XLSX
# sheet is streamed, not held). See bench/README.md. A benchmark, not a test: exits 0 whether
# the goal is met or not (non-zero only when something could not run at all).
#
# Environment:
#   HRTRACK_BIN  use this hrtrack binary instead of building one (bench/build_hrtrack.sh)
#   BUILD_DIR    where to build hrtrack in Release (default ${TMPDIR:-/tmp}/hrtrack-bench-build)
#   SOURCE_CSV   UPR Info CSV (default ../shared/data/uprinfo_recommendations_sessions01-14.csv)
#   WORK_DIR     scratch folder (default: a new temp dir, removed at the end; a given one is kept)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
SOURCE_CSV="${SOURCE_CSV:-$ROOT/../shared/data/uprinfo_recommendations_sessions01-14.csv}"
GOAL_RSS_MB=256

die() { echo "import_memory: $*" >&2; exit 2; }
[[ -r "$SOURCE_CSV" ]] || die "cannot read $SOURCE_CSV (set SOURCE_CSV)"
command -v python3 >/dev/null || die "python3 is needed"
HRTRACK="$("$ROOT/bench/build_hrtrack.sh")" || die "no hrtrack binary"

if [[ -n "${WORK_DIR:-}" ]]; then
  WORK="$WORK_DIR"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/hrtrack-memory.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
fi
CORPUS="$WORK/corpus.csv"
XLSX="$WORK/corpus.xlsx"
OWN_CSV="$WORK/export.csv"

echo "== generating the corpus"
python3 "$HERE/make_corpus.py" "$SOURCE_CSV" "$CORPUS" | tee "$WORK/corpus.log"

# Wall seconds, peak RSS (KB), CPU seconds and exit status of one command, measured in a
# fresh Python process with getrusage(RUSAGE_CHILDREN) (only that command counts; the forked
# child before exec adds Python's few MB). stdout/stderr go to $WORK/<name>.out / .err.
measure() {
  local name="$1"
  shift
  python3 - "$WORK/$name.out" "$WORK/$name.err" "$@" <<'PY'
import resource, subprocess, sys, time
out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(out, "wb") as o, open(err, "wb") as e:
    t = time.perf_counter()
    rc = subprocess.call(cmd, stdout=o, stderr=e)
    t = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{t:.2f} {ru.ru_maxrss} {ru.ru_utime + ru.ru_stime:.2f} {rc}")
PY
}
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }

run_import() {  # name format file
  local db="$WORK/$1.db"
  rm -f "$db" "$db-wal" "$db-shm"
  "$HRTRACK" --db "$db" init >/dev/null
  read -r t m c rc < <(measure "$1" "$HRTRACK" --db "$db" import -q --format "$2" "$3")
  [[ "$rc" == 0 ]] || { head -5 "$WORK/$1.err" >&2; die "$1 import exited $rc"; }
  echo "$t $m $c $(grep -m1 'rows read' "$WORK/$1.out" || true)"
}

echo "== CSV import"
read -r t_csv m_csv c_csv s_csv < <(run_import csv uprinfo-csv "$CORPUS")
echo "== XLSX export of the imported corpus"
read -r t_exp m_exp c_exp rc_exp < <(measure export "$HRTRACK" --db "$WORK/csv.db" export \
  --format xlsx --out "$XLSX")
[[ "$rc_exp" == 0 ]] || { head -5 "$WORK/export.err" >&2; die "export exited $rc_exp"; }
SHEET_MB="$(python3 -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); \
print(f'{z.getinfo(\"xl/worksheets/sheet1.xml\").file_size / 1048576:.1f}')" "$XLSX")"
echo "== XLSX import"
read -r t_xlsx m_xlsx c_xlsx s_xlsx < <(run_import xlsx xlsx "$XLSX")
# The same records as CSV in hrtrack's own columns: the XLSX's content, read by the CSV reader.
echo "== CSV export and its import"
read -r _ _ _ rc_e2 < <(measure export_csv "$HRTRACK" --db "$WORK/csv.db" export --format csv \
  --out "$OWN_CSV")
[[ "$rc_e2" == 0 ]] || die "csv export exited $rc_e2"
read -r t_own m_own c_own s_own < <(run_import own csv "$OWN_CSV")

echo
echo "== results"
row() { printf '%-22s %8s %12s %8s %8s  %s\n' "$@"; }
row import "file MB" "peak RSS MB" "wall s" "CPU s" summary
row "uprinfo-csv (corpus)" "$(size_mb "$CORPUS")" "$(mb "$m_csv")" "$t_csv" "$c_csv" "$s_csv"
row "xlsx (export)" "$(size_mb "$XLSX")" "$(mb "$m_xlsx")" "$t_xlsx" "$c_xlsx" "$s_xlsx"
row "csv (export)" "$(size_mb "$OWN_CSV")" "$(mb "$m_own")" "$t_own" "$c_own" "$s_own"
echo "   (xlsx: hrtrack's own export of the corpus import, its sheet ${SHEET_MB} MB of XML; the"
echo "   export itself: ${t_exp} s, peak RSS $(mb "$m_exp") MB. csv (export): the same records"
echo "   in hrtrack's own CSV columns, i.e. the same content as the xlsx, read as CSV)"
for kind in csv xlsx own; do
  m_var="m_$kind"
  awk -v kb="${!m_var}" -v goal="$GOAL_RSS_MB" -v k="${kind/own/csv (export)}" 'BEGIN {
    mb = kb / 1024; printf "goal: %s import peak RSS <= %d MB: %.1f MB  %s\n", k, goal, mb,
    (mb <= goal ? "PASS" : "MISS") }'
done
echo "hrtrack binary: $HRTRACK"
if command -v git >/dev/null && git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  echo "source tree: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
fi
echo "machine: $(nproc) cores, $(uname -sr)"
exit 0
