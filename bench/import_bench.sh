#!/usr/bin/env bash
# Import benchmark: hrtrack vs. the sqlite3 CLI (.import + FTS5 index) on the scaled UPR Info
# corpus (~263k rows). See bench/README.md. A benchmark, not a test: exits 0 whether the goals
# are met or not (non-zero only when something could not run at all).
#
# Environment:
#   HRTRACK_BIN  use this hrtrack binary instead of building one
#   BUILD_DIR    where to build hrtrack in Release (default ${TMPDIR:-/tmp}/hrtrack-bench-build)
#   SOURCE_CSV   UPR Info CSV (default ../shared/data/uprinfo_recommendations_sessions01-14.csv,
#                next to the repository)
#   RUNS         runs of each side; the best (fastest) is reported (default 3)
#   BENCH_TIMER  "python" to measure with resource.getrusage even when /usr/bin/time exists
#   WORK_DIR     scratch folder for corpus and databases (default: a new temp dir, removed at
#                the end; a given WORK_DIR is kept)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
SOURCE_CSV="${SOURCE_CSV:-$ROOT/../shared/data/uprinfo_recommendations_sessions01-14.csv}"
RUNS="${RUNS:-3}"
GOAL_RATIO="2.0"
GOAL_RSS_MB="256"

die() { echo "import_bench: $*" >&2; exit 2; }
[[ -r "$SOURCE_CSV" ]] || die "cannot read $SOURCE_CSV (set SOURCE_CSV)"
command -v python3 >/dev/null || die "python3 is needed"
command -v sqlite3 >/dev/null || die "the sqlite3 CLI is needed for the peer (package sqlite3)"

# ---- hrtrack binary ($HRTRACK_BIN, or a Release build) ----
HRTRACK="$("$ROOT/bench/build_hrtrack.sh")" || die "no hrtrack binary"

# ---- scratch space ----
if [[ -n "${WORK_DIR:-}" ]]; then
  WORK="$WORK_DIR"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/hrtrack-bench.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
fi
CORPUS="$WORK/corpus.csv"

echo "== generating the corpus"
python3 "$HERE/make_corpus.py" "$SOURCE_CSV" "$CORPUS" | tee "$WORK/corpus.log"
ROWS="$(awk '/^corpus rows:/ {print $3}' "$WORK/corpus.log")"

# ---- measuring: wall seconds, peak RSS (KB) and CPU seconds (user + sys) of one command ----
# Prints "SECONDS MAXRSS_KB CPU_SECONDS EXIT_STATUS". The command's stdout/stderr go to $OUT and
# $ERR. CPU time is shown beside wall time because the machine may be shared: when other work
# competes for the cores, wall time grows and CPU time much less.
if [[ -x /usr/bin/time && "${BENCH_TIMER:-}" != python ]]; then
  TIMER="/usr/bin/time"
  measure() {
    local tf="$WORK/time.txt" rc=0
    /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" >"$OUT" 2>"$ERR" || rc=$?
    # /usr/bin/time writes "Command exited with non-zero status N" first when N != 0
    tail -1 "$tf" | awk -v rc="$rc" '{ printf "%s %s %.2f %s\n", $1, $2, $3 + $4, rc }'
  }
else
  TIMER="python3 resource.getrusage(RUSAGE_CHILDREN) (install the package 'time' for /usr/bin/time)"
  measure() {
    python3 - "$OUT" "$ERR" "$@" <<'PY'
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
fi
echo "== timer: $TIMER"

# The peer: SQLite's own CSV import, then an FTS5 index on the text (external content).
PEER_SQL="$WORK/peer.sql"
cat >"$PEER_SQL" <<EOF
.bail on
.import --csv '$CORPUS' t
CREATE VIRTUAL TABLE fts USING fts5(Text, content='t', content_rowid='rowid');
INSERT INTO fts(fts) VALUES('rebuild');
SELECT 'peer rows: ' || count(*) FROM t;
EOF

mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
add() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }'; }
faster() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(b == "" || a + 0 < b + 0) }'; }

best_h="" best_p="" cpu_h="" cpu_p="" rss_h=0 rss_p=0 h_fail=0
H_SUMMARY="" H_TERMS="" H_WARN="" H_DBSIZE="" P_DBSIZE=""
DB="$WORK/hrtrack.db"
PDB="$WORK/peer.db"
for run in $(seq 1 "$RUNS"); do
  # (a) hrtrack: init + import into a fresh database
  rm -f "$DB" "$DB-wal" "$DB-shm"
  OUT="$WORK/h_init.out" ERR="$WORK/h_init.err"
  read -r t1 m1 c1 rc1 < <(measure "$HRTRACK" --db "$DB" init)
  OUT="$WORK/h_import.out" ERR="$WORK/h_import.err"
  read -r t2 m2 c2 rc2 < <(measure "$HRTRACK" --db "$DB" import -q --format uprinfo-csv "$CORPUS")
  t="$(add "$t1" "$t2")" c="$(add "$c1" "$c2")"
  m=$(( m1 > m2 ? m1 : m2 ))
  if [[ "$rc1" != 0 || "$rc2" != 0 ]]; then
    h_fail=1
    echo "   hrtrack run $run: init exit $rc1, import exit $rc2"
    head -5 "$WORK/h_init.err" "$WORK/h_import.err" >&2
  fi
  echo "   hrtrack run $run: ${t} s wall (init ${t1} + import ${t2}), ${c} s CPU, peak RSS $(mb "$m") MB"
  (( m > rss_h )) && rss_h=$m
  if faster "$t" "$best_h"; then best_h="$t" cpu_h="$c"; fi
  if [[ "$run" == 1 ]]; then
    H_SUMMARY="$(grep -m1 'rows read' "$WORK/h_import.out" || true)"
    H_TERMS="$(grep -m1 'terms not in a vocabulary' "$WORK/h_import.out" || true)"
    H_WARN="$(sed -E 's/row [0-9]+/row N/g' "$WORK/h_import.err" | cut -c1-140 | sort | uniq -c \
              | sort -rn | head -8)"
    H_DBSIZE="$(du -m "$DB" | cut -f1)"
  fi

  # (b) peer: sqlite3 CLI into a fresh database
  rm -f "$PDB" "$PDB-journal"
  OUT="$WORK/p.out" ERR="$WORK/p.err"
  read -r tp mp cp rcp < <(measure sqlite3 "$PDB" ".read '$PEER_SQL'")
  if [[ "$rcp" != 0 ]]; then
    echo "   peer run $run failed (exit $rcp):" >&2
    head -5 "$WORK/p.err" >&2
    exit 2
  fi
  echo "   peer    run $run: ${tp} s wall, ${cp} s CPU, peak RSS $(mb "$mp") MB ($(cat "$WORK/p.out"))"
  (( mp > rss_p )) && rss_p=$mp
  if faster "$tp" "$best_p"; then best_p="$tp" cpu_p="$cp"; fi
  P_DBSIZE="$(du -m "$PDB" | cut -f1)"
done

# Re-import of the same corpus into the filled database of the last hrtrack run.
OUT="$WORK/h_reimport.out" ERR="$WORK/h_reimport.err"
read -r tr mr cr rcr < <(measure "$HRTRACK" --db "$DB" import -q --format uprinfo-csv "$CORPUS")
R_SUMMARY="$(grep -m1 'rows read' "$WORK/h_reimport.out" || true)"
if grep -q ' 0 new, 0 changed' <<<"$R_SUMMARY"; then r_ok="as expected"; else r_ok="UNEXPECTED"; fi

# ---- report ----
python3 - "$ROWS" "$best_h" "$best_p" "$rss_h" "$rss_p" "$GOAL_RATIO" "$GOAL_RSS_MB" "$RUNS" \
  "$cpu_h" "$cpu_p" <<'PY'
import sys
rows, th, tp, mh, mp, goal_ratio, goal_rss, runs, ch, cp = sys.argv[1:]
th, tp, mh, mp, ch, cp = float(th), float(tp), int(mh) / 1024, int(mp) / 1024, float(ch), float(cp)
ratio = th / tp if tp > 0 else float("inf")
cratio = ch / cp if cp > 0 else float("inf")
ok = lambda b: "PASS" if b else "MISS"
print()
print(f"== results (best of {runs} runs by wall time; peak RSS = highest over the runs)")
print(f"{'rows':>8} {'hrtrack s':>10} {'peer s':>8} {'ratio':>7} {'hrtrack MB':>11} {'peer MB':>8}")
print(f"{rows:>8} {th:>10.2f} {tp:>8.2f} {ratio:>7.2f} {mh:>11.1f} {mp:>8.1f}")
print(f"{'CPU s':>8} {ch:>10.2f} {cp:>8.2f} {cratio:>7.2f}   (user + sys of the same runs)")
print()
print(f"goal: time ratio hrtrack/peer <= {goal_ratio}: {ratio:.2f}  {ok(ratio <= float(goal_ratio))}")
print(f"goal: hrtrack peak RSS <= {goal_rss} MB: {mh:.1f} MB  {ok(mh <= float(goal_rss))}")
PY
echo
echo "re-import into the filled database: ${tr} s wall, ${cr} s CPU, peak RSS $(mb "$mr") MB," \
  "exit $rcr ($r_ok)"
echo "   $R_SUMMARY"
echo
echo "hrtrack import (first run): $H_SUMMARY"
if [[ -n "$H_TERMS" ]]; then echo "   $H_TERMS"; fi
echo "   database size ${H_DBSIZE:-?} MB (peer: ${P_DBSIZE:-?} MB)"
if [[ -n "$H_WARN" ]]; then
  echo "   messages on stderr (count, row numbers folded):"
  while IFS= read -r line; do echo "   $line"; done <<<"$H_WARN"
fi
if [[ "$h_fail" != 0 ]]; then echo "WARNING: an hrtrack run exited non-zero (see above)"; fi
echo "hrtrack binary: $HRTRACK"
if command -v git >/dev/null && git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  echo "source tree: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
fi
echo "machine: $(nproc) cores, $(uname -sr), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
exit 0
