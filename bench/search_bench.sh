#!/usr/bin/env bash
# Search benchmark: hrtrack's search API (`hrtrack serve`, driven by wrk) against PostgreSQL 15
# full-text search (GIN on to_tsvector('english', text), facets by GROUP BY, driven by pgbench),
# on the 26k UPR Info corpus and the ~263k scaled corpus, replaying ../shared/bench/queries.tsv at
# the same concurrency. See bench/README.md ("Search benchmark"). A benchmark, not a test: exits 0
# whether the goals are met or missed (non-zero only when something could not run at all).
# All traffic goes to 127.0.0.1; the PostgreSQL cluster is private (temp dir, free port) and is
# stopped and deleted at the end, also on failure or Ctrl-C.
#
# Environment:
#   HRTRACK_BIN  use this hrtrack binary instead of building one
#   BUILD_DIR    where to build hrtrack in Release (default ${TMPDIR:-/tmp}/hrtrack-bench-build)
#   SOURCE_CSV   UPR Info CSV (default ../shared/data/uprinfo_recommendations_sessions01-14.csv)
#   VOCAB_DIR    folder for `hrtrack vocab import --dir` (default: the folder of SOURCE_CSV)
#   QUERIES      query set (default ../shared/bench/queries.tsv)
#   DURATION     seconds of each measured load run (default 20); WARMUP seconds before it (3)
#   CLIENTS      concurrent connections, both engines (default 4); THREADS client threads (2)
#   CORPORA      "small", "large" or "small large" (default: both, small first)
#   ENGINES      "hrtrack,postgres" (default), or one of them
#   PG_FTS       "stored" (default: a generated column tsv = to_tsvector('english', text) with a
#                GIN index, so ts_rank reads the stored vector) or "expression" (a GIN index on
#                the expression to_tsvector('english', text) only: ts_rank then re-parses every
#                matching text, about 3x slower on these queries)
#   PG_BIN       PostgreSQL server binaries (default: `pg_config --bindir`, else
#                /usr/lib/postgresql/15/bin)
#   WORK_DIR     scratch folder (kept if given; default a temp dir removed at the end)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="$ROOT/../shared"
SOURCE_CSV="${SOURCE_CSV:-$SHARED/data/uprinfo_recommendations_sessions01-14.csv}"
VOCAB_DIR="${VOCAB_DIR:-$(dirname "$SOURCE_CSV")}"
QUERIES="${QUERIES:-$SHARED/bench/queries.tsv}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-3}"
CLIENTS="${CLIENTS:-4}"
THREADS="${THREADS:-2}"
CORPORA="${CORPORA:-small large}"
ENGINES="${ENGINES:-hrtrack,postgres}"
PG_FTS="${PG_FTS:-stored}"

die() { echo "search_bench: $*" >&2; exit 2; }
[[ -r "$SOURCE_CSV" ]] || die "cannot read $SOURCE_CSV (set SOURCE_CSV)"
[[ -r "$QUERIES" ]] || die "cannot read $QUERIES (set QUERIES)"
command -v python3 >/dev/null || die "python3 is needed"
want() { [[ ",$ENGINES," == *",$1,"* ]]; }
if want postgres; then
  for t in psql pgbench; do command -v "$t" >/dev/null || die "$t is needed (package postgresql-client)"; done
fi
if want hrtrack; then command -v wrk >/dev/null || die "wrk is needed (package wrk)"; fi

# ---- hrtrack binary ($HRTRACK_BIN, or a Release build) ----
HRTRACK=""
if want hrtrack; then
  HRTRACK="$("$ROOT/bench/build_hrtrack.sh")" || die "no hrtrack binary"
fi

# ---- scratch space and cleanup ----
if [[ -n "${WORK_DIR:-}" ]]; then
  WORK="$(mkdir -p "$WORK_DIR" && cd "$WORK_DIR" && pwd)"
  KEEP_WORK=1
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/hrtrack-search-bench.XXXXXX")"
  KEEP_WORK=0
fi
PGDIR=""        # the private cluster's folder (data + socket + log)
PG_STARTED=0
PGCTL=""
as_pg() { "$@"; }   # replaced below when running as root

cleanup() {
  local rc=$?
  set +e
  # an hrtrack server left running by an interrupted driver
  if [[ -f "$WORK/serve.pid" ]]; then
    local pid; pid="$(cat "$WORK/serve.pid")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; sleep 1; kill -9 "$pid" 2>/dev/null; fi
  fi
  if [[ "$PG_STARTED" == 1 ]]; then
    as_pg "$PGCTL" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1
  fi
  [[ -n "$PGDIR" ]] && rm -rf "$PGDIR"
  [[ "$KEEP_WORK" == 0 ]] && rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# ---- corpora ----
CORPUS_ARGS=()
for c in $CORPORA; do
  case "$c" in
    small) CORPUS_ARGS+=(--corpus "26k=$SOURCE_CSV") ;;
    large)
      echo "== generating the scaled corpus"
      python3 "$HERE/make_corpus.py" "$SOURCE_CSV" "$WORK/corpus263k.csv" | sed 's/^/   /'
      CORPUS_ARGS+=(--corpus "263k=$WORK/corpus263k.csv") ;;
    *) die "CORPORA: unknown corpus '$c' (small, large)" ;;
  esac
done

# ---- private PostgreSQL cluster ----
PG_PORT=0
if want postgres; then
  PG_BIN="${PG_BIN:-$(pg_config --bindir 2>/dev/null || true)}"
  [[ -x "$PG_BIN/initdb" ]] || PG_BIN=/usr/lib/postgresql/15/bin
  [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] \
    || die "PostgreSQL server binaries not found (package postgresql; set PG_BIN)"
  PGCTL="$PG_BIN/pg_ctl"
  PGDIR="$(mktemp -d "${TMPDIR:-/tmp}/hrtrack-search-bench-pg.XXXXXX")"
  if [[ "$(id -u)" == 0 ]]; then
    # the server refuses to run as root: run it as the package's postgres user
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (package postgresql)"
    chown postgres: "$PGDIR"
    chmod 700 "$PGDIR"
    as_pg() { runuser -u postgres -- "$@"; }
  fi
  PG_PORT="$(free_port)"
  echo "== starting a private PostgreSQL cluster in $PGDIR (127.0.0.1:$PG_PORT)"
  as_pg "$PG_BIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
  # Durability off (a throwaway cluster; it only speeds up the load), JIT off (compiling a plan
  # costs more than these queries run), memory sized for the 263k corpus; otherwise defaults.
  cat >>"$PGDIR/data/postgresql.conf" <<EOF
# hrtrack search benchmark
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGDIR'
shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 512MB
effective_cache_size = 2GB
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
EOF
  as_pg "$PGCTL" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 start >/dev/null \
    || { cat "$PGDIR/server.log" >&2; die "PostgreSQL did not start"; }
  PG_STARTED=1
  echo "   $(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c 'SELECT version()')"
fi

echo "== queries: $QUERIES ($(($(grep -c . "$QUERIES") - 1)) requests); load: $CLIENTS clients," \
  "$THREADS threads, ${DURATION} s per engine after a ${WARMUP} s warm-up"
rc=0
python3 "$HERE/search_bench.py" \
  ${HRTRACK:+--hrtrack "$HRTRACK"} --vocab-dir "$VOCAB_DIR" --queries "$QUERIES" --work "$WORK" \
  --engines "$ENGINES" --pg-host 127.0.0.1 --pg-port "$PG_PORT" --pg-user postgres \
  --pg-fts "$PG_FTS" --duration "$DURATION" --warmup "$WARMUP" --clients "$CLIENTS" \
  --threads "$THREADS" --pidfile "$WORK/serve.pid" \
  ${PGDIR:+--pg-pidfile "$PGDIR/data/postmaster.pid"} "${CORPUS_ARGS[@]}" || rc=$?

echo
[[ -n "$HRTRACK" ]] && echo "hrtrack binary: $HRTRACK"
if command -v git >/dev/null && git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  echo "source tree: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
fi
echo "machine: $(nproc) cores, $(uname -sr), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)," \
  "$(pgbench --version 2>/dev/null || true)"
[[ "$KEEP_WORK" == 1 ]] && echo "work folder kept: $WORK"
exit "$rc"
