#!/usr/bin/env python3
"""Search benchmark driver: hrtrack's JSON API against PostgreSQL 15 full-text search.

Called by bench/search_bench.sh, which builds hrtrack, generates the scaled corpus and starts a
private PostgreSQL cluster; see bench/README.md ("Search benchmark"). Standard library only; it
runs `psql`, `pgbench` and `wrk` as subprocesses and talks to 127.0.0.1 only.

For each corpus (LABEL=CSV):
  1. hrtrack: init, vocab import, import; PostgreSQL: one table, COPY, indexes, VACUUM ANALYZE;
  2. hrtrack serve: time from launch to the first answer of /api/recommendations?per_page=1;
  3. sanity: every query once on both engines, totals side by side (filter-only queries must agree);
  4. load: wrk (hrtrack) and pgbench (PostgreSQL), same clients/threads/duration;
  5. a table: throughput, p50, p99, ratio hrtrack/PostgreSQL, RSS, start/load time.
Goals (throughput >= 20x, p99 <= 10 ms, RSS <= 512 MB) are judged on the largest corpus.
Exit status 0 whether goals are met or missed; 2 if a step could not run at all.
"""
import argparse
import csv
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

GOAL_RATIO = 20.0
GOAL_P99_MS = 10.0
GOAL_RSS_MB = 512.0
FILTER_FIELDS = ("state", "issue", "response", "session")
PG_COLUMNS = {  # PostgreSQL column <- CSV column
    "to_state": "To",
    "to_rgrp": "To-Rgrp",
    "text": "Text",
    "from_state": "From",
    "response": "Response",
    "action": "Action",
    "issue": "Issue",
    "session": "Session",
}


def log(msg=""):
    print(msg, flush=True)


def warn(msg):
    print(f"search_bench: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- queries


def read_queries(path):
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    header = rows[0]
    for r in rows[1:]:
        if not r or not r[0].strip():
            continue
        r = r + [""] * (len(header) - len(r))
        rec = dict(zip(header, r))
        filters = []
        for part in rec.get("filters", "").split(";"):
            part = part.strip()
            if not part:
                continue
            field, _, value = part.partition("=")
            field, value = field.strip(), value.strip()
            if field not in FILTER_FIELDS:
                raise SystemExit(f"search_bench: {path}: query {rec['id']}: unknown field {field!r}")
            filters.append((field, value))
        out.append({"id": int(rec["id"]), "q": rec.get("q", "").strip(), "filters": filters})
    return out


def describe(q):
    parts = []
    if q["q"]:
        parts.append(q["q"])
    parts += [f"{k}={v}" for k, v in q["filters"]]
    return "; ".join(parts)


def api_path(q, per_page=20):
    params = []
    if q["q"]:
        params.append(("q", q["q"]))
    params += q["filters"]
    params.append(("per_page", str(per_page)))
    # The same four facets PostgreSQL computes (../shared/bench/README.md): state, issue,
    # response and session, exact over the whole result set.
    params.append(("facets", "state,issue,response,session"))
    return "/api/recommendations?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def sql_lit(s):
    return "'" + s.replace("'", "''") + "'"


def sql_where(q, fts):
    conds = []
    if q["q"]:
        conds.append(f"{fts} @@ websearch_to_tsquery('english', {sql_lit(q['q'])})")
    for field, value in q["filters"]:
        if field == "state":
            conds.append(f"to_state = {sql_lit(value)}")
        elif field == "response":
            conds.append(f"response = {sql_lit(value)}")
        elif field == "issue":
            conds.append(f"issue @> ARRAY[{sql_lit(value)}]")
        elif field == "session":
            a, _, b = value.partition("..")
            if not _:
                conds.append(f"session = {int(a)}")
            else:
                if a:
                    conds.append(f"session >= {int(a)}")
                if b:
                    conds.append(f"session <= {int(b)}")
    return " AND ".join(conds) if conds else "true"


def sql_search(q, fts):
    """One statement: total, top-20 page (ts_rank order when q is given) and four facets."""
    where = sql_where(q, fts)
    if q["q"]:
        rank = f"ts_rank({fts}, websearch_to_tsquery('english', {sql_lit(q['q'])}))"
        order = "rank DESC, id"
    else:
        rank = "0::real"
        order = "session DESC, id"
    return f"""WITH r AS MATERIALIZED (
  SELECT id, to_state, issue, response, session, {rank} AS rank
  FROM rec WHERE {where}
), page AS (
  SELECT id, rank FROM r ORDER BY {order} LIMIT 20
)
SELECT 'total' AS kind, NULL::text AS value, count(*) AS n FROM r
UNION ALL
SELECT 'item', row_to_json(x)::text, NULL FROM (
  SELECT rec.id, rec.to_state, rec.to_rgrp, rec.text, rec.from_state, rec.response, rec.action,
         rec.issue, rec.session, page.rank
  FROM page JOIN rec USING (id) ORDER BY page.rank DESC, page.id) x
UNION ALL
SELECT 'state', to_state, count(*) FROM r GROUP BY to_state
UNION ALL
SELECT 'issue', i, count(*) FROM r, unnest(r.issue) AS i GROUP BY i
UNION ALL
SELECT 'response', response, count(*) FROM r GROUP BY response
UNION ALL
SELECT 'session', session::text, count(*) FROM r GROUP BY session;
"""


# ---------------------------------------------------------------- helpers


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, text=True, capture_output=True, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, timeout=30):
    url = f"http://127.0.0.1:{port}{path}"
    req = urllib.request.Request(url)
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    return status, body, time.perf_counter() - t


def proc_mem_mb(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmHWM", "VmRSS"):
                    out[k] = int(v.split()[0]) / 1024
    except OSError:
        pass
    return out


def proc_cpu_s(pid, children=False):
    """CPU seconds (user + system) of a process, all its threads; with children=True also of its
    exited and reaped children (PostgreSQL's postmaster reaps the backends of closed connections)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except OSError:
        return "?"


def pct(sorted_vals, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_vals:
        return float("nan")
    k = max(0, min(len(sorted_vals) - 1, math.ceil(p / 100 * len(sorted_vals)) - 1))
    return sorted_vals[k]


def fmt(v, spec=".1f", empty="-"):
    if v is None or (isinstance(v, float) and v != v):
        return empty
    return format(v, spec)


# ---------------------------------------------------------------- PostgreSQL


class Pg:
    def __init__(self, host, port, user, fts_mode, pidfile=None):
        self.host, self.port, self.user = host, port, user
        self.pidfile = pidfile
        self.fts_mode = fts_mode
        self.fts = "to_tsvector('english', text)" if fts_mode == "expression" else "tsv"

    def postmaster_pid(self):
        try:
            with open(self.pidfile) as f:
                return int(f.readline())
        except (OSError, ValueError, TypeError):
            return None

    def conn(self, db):
        return ["-h", self.host, "-p", str(self.port), "-U", self.user, "-d", db]

    def psql(self, db, sql=None, file=None):
        cmd = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"] + self.conn(db)
        cmd += ["-f", file] if file else ["-c", sql]
        r = run(cmd)
        if r.returncode != 0:
            raise RuntimeError(f"psql failed: {r.stderr.strip()[:2000]}")
        return r.stdout

    def load(self, db, corpus, work):
        with open(corpus, encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        missing = [c for c in PG_COLUMNS.values() if c not in header]
        if missing:
            raise RuntimeError(f"{corpus}: missing columns {missing}")
        self.psql("postgres", f"DROP DATABASE IF EXISTS {db}")
        self.psql("postgres", f"CREATE DATABASE {db}")
        staging = ", ".join(f'"{c}" text' for c in header)
        tsv_col = ""
        if self.fts_mode == "stored":
            tsv_col = ",\n  tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
        fts_index = (
            "CREATE INDEX rec_fts ON rec USING gin (to_tsvector('english', text));"
            if self.fts_mode == "expression"
            else "CREATE INDEX rec_fts ON rec USING gin (tsv);"
        )
        c = PG_COLUMNS
        script = f"""
CREATE UNLOGGED TABLE staging ({staging});
\\copy staging FROM {sql_lit(os.path.abspath(corpus))} WITH (FORMAT csv, HEADER true)
CREATE TABLE rec (
  id serial PRIMARY KEY,
  to_state text NOT NULL,
  to_rgrp text,
  text text NOT NULL,
  from_state text,
  response text,
  action text,
  issue text[] NOT NULL,
  session int NOT NULL{tsv_col}
);
-- hrtrack stores a row that repeats another exactly once; so does this table.
INSERT INTO rec (to_state, to_rgrp, text, from_state, response, action, issue, session)
SELECT "{c['to_state']}", "{c['to_rgrp']}", "{c['text']}", "{c['from_state']}",
       "{c['response']}", "{c['action']}",
       ARRAY(SELECT btrim(x) FROM unnest(string_to_array("{c['issue']}", ',')) AS x
             WHERE btrim(x) <> ''),
       "{c['session']}"::int
FROM (SELECT DISTINCT * FROM staging) s;
DROP TABLE staging;
{fts_index}
CREATE INDEX rec_to ON rec (to_state);
CREATE INDEX rec_response ON rec (response);
CREATE INDEX rec_session ON rec (session);
CREATE INDEX rec_issue ON rec USING gin (issue);
VACUUM ANALYZE rec;
"""
        path = os.path.join(work, f"pg_load_{db}.sql")
        with open(path, "w", encoding="utf-8") as f:
            f.write(script)
        t = time.perf_counter()
        self.psql(db, file=path)
        secs = time.perf_counter() - t
        rows = int(self.psql(db, "SELECT count(*) FROM rec").strip())
        size = int(self.psql(db, f"SELECT pg_database_size('{db}')").strip()) / 2**20
        return secs, rows, size

    def count(self, db, q):
        return int(self.psql(db, f"SELECT count(*) FROM rec WHERE {sql_where(q, self.fts)}").strip())


# ---------------------------------------------------------------- hrtrack


class Server:
    def __init__(self, binary, db, port, logpath, pidfile, extra):
        self.cmd = [binary, "--db", db, "serve", "--host", "127.0.0.1", "--port", str(port)] + extra
        self.port, self.logpath, self.pidfile = port, logpath, pidfile
        self.proc = None

    def start(self, timeout):
        self.logf = open(self.logpath, "w")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, stdout=self.logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        with open(self.pidfile, "w") as f:
            f.write(str(self.proc.pid))
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hrtrack serve exited with status {self.proc.returncode}; "
                                   f"log {self.logpath}:\n" + tail(self.logpath))
            try:
                status, _, _ = http_get(self.port, "/api/recommendations?per_page=1", timeout=5)
                if status == 200:
                    return time.perf_counter() - t0
            except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
                pass
            if time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"hrtrack serve did not answer within {timeout} s")
            time.sleep(0.02)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.logf.close()
            try:
                os.unlink(self.pidfile)
            except OSError:
                pass


def tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def hrtrack_load(binary, vocab_dir, corpus, db):
    for p in (db, db + "-wal", db + "-shm"):
        if os.path.exists(p):
            os.unlink(p)
    t = time.perf_counter()
    steps = [
        [binary, "--db", db, "init"],
        [binary, "--db", db, "vocab", "import", "--dir", vocab_dir],
        [binary, "--db", db, "import", "-q", "--format", "uprinfo-csv", corpus],
    ]
    summary = ""
    for cmd in steps:
        r = run(cmd)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr[-2000:]}")
        for line in r.stdout.splitlines():
            if "rows read" in line:
                summary = line.strip()
    return time.perf_counter() - t, summary


# ---------------------------------------------------------------- load generators


WRK_LUA = r"""-- generated by bench/search_bench.py: round-robin over the benchmark's URLs
local paths = {
%s
}
local n = #paths
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- each thread starts at its own offset and walks the list in order
  pos = ((tid or 0) * math.floor(n / 2)) %% n
end

function request()
  pos = pos %% n + 1
  return wrk.format("GET", paths[pos])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("SB_SUMMARY requests=%%d duration_us=%%d connect=%%d read=%%d write=%%d status=%%d timeout=%%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout))
  io.write(string.format("SB_LATENCY p50_us=%%d p90_us=%%d p99_us=%%d mean_us=%%.1f max_us=%%d\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
"""


def write_lua(path, queries):
    lines = ",\n".join("  " + json.dumps(api_path(q)) for q in queries)
    with open(path, "w", encoding="utf-8") as f:
        f.write(WRK_LUA % lines)


def run_wrk(port, lua, threads, clients, duration, out_path):
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{duration}s", "--latency", "--timeout", "10s",
           "-s", lua, f"http://127.0.0.1:{port}"]
    r = run(cmd)
    with open(out_path, "w") as f:
        f.write(" ".join(cmd) + "\n" + r.stdout + r.stderr)
    if r.returncode != 0:
        raise RuntimeError(f"wrk failed ({r.returncode}): {r.stderr[-1000:]}")
    res = {"raw": r.stdout}
    for line in r.stdout.splitlines():
        if line.startswith(("SB_SUMMARY", "SB_LATENCY")):
            for kv in line.split()[1:]:
                k, _, v = kv.partition("=")
                res[k] = float(v)
    secs = res["duration_us"] / 1e6
    res["rps"] = res["requests"] / secs if secs > 0 else float("nan")
    res["p50_ms"] = res["p50_us"] / 1000
    res["p99_ms"] = res["p99_us"] / 1000
    res["mean_ms"] = res["mean_us"] / 1000
    res["errors"] = int(res["connect"] + res["read"] + res["write"] + res["status"] + res["timeout"])
    return res


def run_pgbench(pg, db, sql_files, threads, clients, duration, logdir, out_path):
    for f in os.listdir(logdir):
        if f.startswith("pgbench_log"):
            os.unlink(os.path.join(logdir, f))
    cmd = ["pgbench", "-n", f"-c{clients}", f"-j{threads}", f"-T{duration}", "-P", "5",
           "--log", "--log-prefix", os.path.join(logdir, "pgbench_log")]
    for f in sql_files:
        cmd += ["-f", f + "@1"]
    cmd += pg.conn(db)
    r = run(cmd)
    with open(out_path, "w") as f:
        f.write(" ".join(cmd) + "\n" + r.stdout + r.stderr)
    if r.returncode != 0:
        raise RuntimeError(f"pgbench failed ({r.returncode}): {(r.stderr + r.stdout)[-1500:]}")
    res = {"raw": r.stdout}
    for line in r.stdout.splitlines():
        line = line.strip()
        if line.startswith("tps =") and "without initial connection" in line:
            res["rps"] = float(line.split()[2])
        elif line.startswith("latency average ="):
            res["mean_ms"] = float(line.split()[3])
        elif line.startswith("number of failed transactions:"):
            res["errors"] = int(line.split(":")[1].split()[0])
        elif line.startswith("number of transactions actually processed:"):
            res["requests"] = int(line.split(":")[1].split()[0].split("/")[0])
    lat = []
    per_script = {}
    for f in sorted(os.listdir(logdir)):
        if not f.startswith("pgbench_log"):
            continue
        with open(os.path.join(logdir, f)) as fh:
            for line in fh:
                p = line.split()
                # client_id transaction_no time script_no time_epoch time_us
                if len(p) < 6 or p[2] == "skipped" or p[2] == "failed":
                    continue
                us = int(p[2])
                lat.append(us)
                per_script.setdefault(int(p[3]), []).append(us)
    lat.sort()
    res["p50_ms"] = pct(lat, 50) / 1000
    res["p99_ms"] = pct(lat, 99) / 1000
    res["logged"] = len(lat)
    res["per_script_ms"] = {k: statistics.median(v) / 1000 for k, v in per_script.items()}
    return res


# ---------------------------------------------------------------- one corpus


def bench_corpus(a, label, corpus, pg, queries, results):
    work = os.path.join(a.work, label)
    os.makedirs(work, exist_ok=True)
    dbname = "sb_" + "".join(ch if ch.isalnum() else "_" for ch in label.lower())
    R = {"label": label, "corpus": corpus, "hr": {}, "pg": {}, "problems": []}
    results.append(R)
    log(f"\n======== corpus {label}: {corpus}")

    # ---- load both engines
    server = None
    if "hrtrack" in a.engines:
        db = os.path.join(work, "hrtrack.db")
        secs, summary = hrtrack_load(a.hrtrack, a.vocab_dir, corpus, db)
        R["hr"]["import_s"] = secs
        R["hr"]["import_summary"] = summary
        R["hr"]["db_mb"] = os.path.getsize(db) / 2**20
        log(f"hrtrack: init + vocab import + import: {secs:.1f} s; {summary}")
    if "postgres" in a.engines:
        secs, rows, size = pg.load(dbname, corpus, work)
        R["pg"].update(load_s=secs, rows=rows, db_mb=size)
        log(f"PostgreSQL: COPY + indexes + VACUUM ANALYZE: {secs:.1f} s; {rows} rows "
            f"(exact duplicate rows stored once); database {size:.0f} MB; FTS: {pg.fts_mode}")
        sql_dir = os.path.join(work, "sql")
        os.makedirs(sql_dir, exist_ok=True)
        sql_files = []
        for q in queries:
            p = os.path.join(sql_dir, f"q{q['id']:02d}.sql")
            with open(p, "w", encoding="utf-8") as f:
                f.write(sql_search(q, pg.fts))
            sql_files.append(p)

    try:
        if "hrtrack" in a.engines:
            port = free_port()
            server = Server(a.hrtrack, os.path.join(work, "hrtrack.db"), port,
                            os.path.join(work, "serve.log"), a.pidfile, a.serve_arg)
            build = server.start(a.start_timeout)
            R["hr"]["start_s"] = build
            mem = proc_mem_mb(server.proc.pid)
            R["hr"]["rss_idle_mb"] = mem.get("VmRSS")
            log(f"hrtrack serve: first answer {build:.2f} s after launch (index build); "
                f"RSS then {fmt(mem.get('VmRSS'))} MB; port {port}")

        # ---- sanity: totals side by side
        log("\n-- sanity: totals, every query once on each engine")
        log(f"{'id':>3}  {'hrtrack':>8}  {'Postgres':>8}  {'diff':>7}  {'hr ms':>7}  query")
        hr_single = {}
        for q in queries:
            h = p = None
            ms = None
            if server:
                status, body, dt = http_get(server.port, api_path(q))
                ms = dt * 1000
                if status != 200:
                    R["problems"].append(f"query {q['id']}: hrtrack HTTP {status}: {body[:300]!r}")
                else:
                    j = json.loads(body)
                    h = j.get("total")
                    missing = [f for f in FILTER_FIELDS if f not in j.get("facets", {})]
                    if missing:
                        R["problems"].append(f"query {q['id']}: hrtrack facets lack {missing}")
                    if len(j.get("items", [])) != min(20, h or 0):
                        R["problems"].append(
                            f"query {q['id']}: {len(j.get('items', []))} items for total {h}")
            if "postgres" in a.engines:
                p = pg.count(dbname, q)
            diff = (h - p) if (h is not None and p is not None) else None
            filter_only = not q["q"]
            mark = ""
            if filter_only and diff not in (None, 0):
                mark = "  MISMATCH (filter-only: must agree)"
                R["problems"].append(f"query {q['id']} (filter-only): hrtrack {h} vs PostgreSQL {p}")
            elif filter_only and diff == 0:
                mark = "  (filter-only: agree)"
            log(f"{q['id']:>3}  {fmt(h, 'd'):>8}  {fmt(p, 'd'):>8}  {fmt(diff, '+d'):>7}  "
                f"{fmt(ms, '.1f'):>7}  {describe(q)}{mark}")
            R.setdefault("totals", []).append((q["id"], h, p))
            if server:
                # single-request latency, no concurrency: median of 3 more requests
                tt = [http_get(server.port, api_path(q))[2] * 1000 for _ in range(3)]
                hr_single[q["id"]] = statistics.median(tt)
        R["hr"]["single_ms"] = hr_single

        # ---- no response cache: the same URL twice
        if server:
            path = api_path(queries[0])
            t1 = http_get(server.port, path)[2] * 1000
            t2 = http_get(server.port, path)[2] * 1000
            log(f"\n-- check_cache: {path} twice: {t1:.2f} ms, then {t2:.2f} ms (hrtrack has no "
                f"response cache: every request is answered from the index)")

        # ---- load: hrtrack
        if server:
            lua = os.path.join(work, "queries.lua")
            write_lua(lua, queries)
            log(f"\n-- hrtrack: wrk -t{a.threads} -c{a.clients} -d{a.duration}s "
                f"(after a {a.warmup} s warm-up), 40 URLs round-robin")
            if a.warmup > 0:
                run_wrk(server.port, lua, a.threads, a.clients, a.warmup,
                        os.path.join(work, "wrk_warmup.txt"))
            load = loadavg()
            cpu0 = proc_cpu_s(server.proc.pid)
            w = run_wrk(server.port, lua, a.threads, a.clients, a.duration,
                        os.path.join(work, "wrk.txt"))
            cpu1 = proc_cpu_s(server.proc.pid)
            mem = proc_mem_mb(server.proc.pid)
            if cpu0 is not None and cpu1 is not None and w["requests"]:
                R["hr"]["cpu_ms"] = (cpu1 - cpu0) * 1000 / w["requests"]
            R["hr"].update(rps=w["rps"], p50_ms=w["p50_ms"], p99_ms=w["p99_ms"],
                           mean_ms=w["mean_ms"], requests=int(w["requests"]), errors=w["errors"],
                           rss_mb=mem.get("VmRSS"), hwm_mb=mem.get("VmHWM"))
            log(f"   {w['requests']:.0f} requests, {w['rps']:.0f} req/s, p50 {w['p50_ms']:.2f} ms, "
                f"p99 {w['p99_ms']:.2f} ms, mean {w['mean_ms']:.2f} ms, errors {w['errors']}; "
                f"RSS {fmt(mem.get('VmRSS'))} MB, peak (VmHWM) {fmt(mem.get('VmHWM'))} MB; "
                f"server CPU {fmt(R['hr'].get('cpu_ms'), '.2f')} ms/request; load average "
                f"before: {load}")
            if w["errors"]:
                R["problems"].append(f"wrk reported {w['errors']} errors (non-2xx or socket)")
    finally:
        if server:
            server.stop()

    # ---- load: PostgreSQL
    if "postgres" in a.engines:
        log(f"\n-- PostgreSQL: pgbench -n -c{a.clients} -j{a.threads} -T{a.duration} "
            f"-f q01.sql@1 ... -f q40.sql@1 (after a {a.warmup} s warm-up)")
        logdir = os.path.join(work, "pglog")
        os.makedirs(logdir, exist_ok=True)
        if a.warmup > 0:
            run_pgbench(pg, dbname, sql_files, a.threads, a.clients, a.warmup, logdir,
                        os.path.join(work, "pgbench_warmup.txt"))
        load = loadavg()
        pm = pg.postmaster_pid()
        cpu0 = proc_cpu_s(pm, children=True) if pm else None
        b = run_pgbench(pg, dbname, sql_files, a.threads, a.clients, a.duration, logdir,
                        os.path.join(work, "pgbench.txt"))
        time.sleep(0.3)  # let the postmaster reap the backends
        cpu1 = proc_cpu_s(pm, children=True) if pm else None
        if cpu0 is not None and cpu1 is not None and b.get("requests"):
            R["pg"]["cpu_ms"] = (cpu1 - cpu0) * 1000 / b["requests"]
        R["pg"].update(rps=b.get("rps"), p50_ms=b["p50_ms"], p99_ms=b["p99_ms"],
                       mean_ms=b.get("mean_ms"), requests=b.get("requests"),
                       errors=b.get("errors", 0), per_script_ms=b["per_script_ms"])
        log(f"   {b.get('requests')} transactions, {fmt(b.get('rps'), '.1f')} tps (without initial "
            f"connection time), latency average {fmt(b.get('mean_ms'), '.2f')} ms, p50 "
            f"{b['p50_ms']:.2f} ms, p99 {b['p99_ms']:.2f} ms ({b['logged']} logged), "
            f"failed {b.get('errors', 0)}; server CPU {fmt(R['pg'].get('cpu_ms'), '.2f')} "
            f"ms/transaction; load average before: {load}")

    print_corpus_table(R, queries)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def print_corpus_table(R, queries):
    hr, pg = R["hr"], R["pg"]
    log(f"\n== results: corpus {R['label']}")
    log(f"{'engine':<11} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} "
        f"{'CPU ms/q':>9} {'RSS MB':>8} {'start s':>8}")
    if hr:
        log(f"{'hrtrack':<11} {fmt(hr.get('rps'), '.0f'):>9} {fmt(hr.get('p50_ms'), '.2f'):>8} "
            f"{fmt(hr.get('p99_ms'), '.2f'):>8} {fmt(hr.get('mean_ms'), '.2f'):>8} "
            f"{fmt(hr.get('cpu_ms'), '.2f'):>9} {fmt(hr.get('rss_mb')):>8} "
            f"{fmt(hr.get('start_s'), '.2f'):>8}")
    if pg:
        log(f"{'PostgreSQL':<11} {fmt(pg.get('rps'), '.1f'):>9} {fmt(pg.get('p50_ms'), '.2f'):>8} "
            f"{fmt(pg.get('p99_ms'), '.2f'):>8} {fmt(pg.get('mean_ms'), '.2f'):>8} "
            f"{fmt(pg.get('cpu_ms'), '.2f'):>9} {'-':>8} {fmt(pg.get('load_s'), '.1f'):>8}")
    if hr and pg:
        log(f"{'ratio hr/pg':<11} {fmt(ratio(hr.get('rps'), pg.get('rps')), '.1f') + 'x':>9} "
            f"{fmt(ratio(hr.get('p50_ms'), pg.get('p50_ms')), '.3f'):>8} "
            f"{fmt(ratio(hr.get('p99_ms'), pg.get('p99_ms')), '.3f'):>8} "
            f"{fmt(ratio(hr.get('mean_ms'), pg.get('mean_ms')), '.3f'):>8} "
            f"{fmt(ratio(hr.get('cpu_ms'), pg.get('cpu_ms')), '.3f'):>9}")
    log("   (hrtrack 'start s' = launch to first answer, i.e. the index build; PostgreSQL "
        "'start s' = COPY + index build + VACUUM ANALYZE; CPU ms/q = the server's CPU time "
        "(user + sys; PostgreSQL: postmaster and backends) per request during the load run; "
        "RSS = hrtrack's VmRSS after the load run"
        + (f", peak VmHWM {fmt(hr.get('hwm_mb'))} MB" if hr.get("hwm_mb") else "") + ")")
    # per-query latency: hrtrack single request (no concurrency) vs PostgreSQL median under load
    single = hr.get("single_ms", {})
    per = pg.get("per_script_ms", {})
    if single or per:
        log("   slowest queries (hrtrack: median of 3 single requests, no load; PostgreSQL: "
            "median latency under pgbench):")
        rows = []
        for i, q in enumerate(queries):
            rows.append((single.get(q["id"]), per.get(i), q))
        key = (lambda r: r[0] or 0) if single else (lambda r: r[1] or 0)
        for h, p, q in sorted(rows, key=key, reverse=True)[:5]:
            log(f"     q{q['id']:<3} hrtrack {fmt(h, '.2f'):>7} ms   PostgreSQL {fmt(p, '.2f'):>8} ms"
                f"   {describe(q)}")


def print_goals(results):
    withdata = [r for r in results if r["hr"] or r["pg"]]
    if not withdata:
        return
    big = withdata[-1]
    hr, pg = big["hr"], big["pg"]
    ok = lambda b: "PASS" if b else "MISS"
    log(f"\n== goals (corpus {big['label']}, {os.cpu_count()} cores)")
    r = ratio(hr.get("rps"), pg.get("rps"))
    log(f"goal: throughput hrtrack/PostgreSQL >= {GOAL_RATIO:.0f}x: "
        + (f"{r:.1f}x  {ok(r >= GOAL_RATIO)}" if r is not None else "not measured"))
    p99 = hr.get("p99_ms")
    log(f"goal: hrtrack p99 <= {GOAL_P99_MS:.0f} ms: "
        + (f"{p99:.2f} ms  {ok(p99 <= GOAL_P99_MS)}" if p99 is not None else "not measured"))
    rss = hr.get("hwm_mb") or hr.get("rss_mb")
    log(f"goal: hrtrack server RSS <= {GOAL_RSS_MB:.0f} MB: "
        + (f"{rss:.1f} MB (VmHWM, peak)  {ok(rss <= GOAL_RSS_MB)}" if rss is not None
           else "not measured"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hrtrack", help="hrtrack binary")
    ap.add_argument("--vocab-dir", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--corpus", action="append", required=True, metavar="LABEL=CSV")
    ap.add_argument("--engines", default="hrtrack,postgres")
    ap.add_argument("--pg-host", default="127.0.0.1")
    ap.add_argument("--pg-port", type=int, default=5432)
    ap.add_argument("--pg-user", default="postgres")
    ap.add_argument("--pg-pidfile", help="postmaster.pid of the cluster, to measure its CPU time")
    ap.add_argument("--pg-fts", choices=("expression", "stored"), default="stored")
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--start-timeout", type=float, default=300)
    ap.add_argument("--serve-arg", action="append", default=[],
                    help="extra argument for hrtrack serve (repeatable)")
    ap.add_argument("--pidfile", default=None)
    a = ap.parse_args()
    a.engines = set(e.strip() for e in a.engines.split(",") if e.strip())
    if "hrtrack" in a.engines and not a.hrtrack:
        ap.error("--hrtrack is needed for the hrtrack engine")
    a.pidfile = a.pidfile or os.path.join(a.work, "serve.pid")
    queries = read_queries(a.queries)
    pg = Pg(a.pg_host, a.pg_port, a.pg_user, a.pg_fts, a.pg_pidfile)
    results = []
    failed = False
    for spec in a.corpus:
        label, _, path = spec.partition("=")
        try:
            bench_corpus(a, label, path, pg, queries, results)
        except Exception as e:  # report, go on with the next corpus
            failed = True
            warn(f"corpus {label}: {e}")
    print_goals(results)
    problems = [(r["label"], p) for r in results for p in r["problems"]]
    if problems:
        log("\n== problems seen")
        for label, p in problems:
            log(f"   [{label}] {p}")
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
