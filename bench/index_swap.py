#!/usr/bin/env python3
"""Searches while the index is rebuilt: do readers wait for writers?

    python3 bench/index_swap.py --db NEW.db --bin build/hrtrack [--peer-db OLD.db --peer-bin OLD]

For each (binary, database): starts `hrtrack serve` on 127.0.0.1, runs CLIENTS threads that
search without pause for SECONDS (a public search: a word, a page of 20, four facets), and every
WRITE_EVERY seconds imports a one-row CSV through the CLI (another process, as an import or a
publication by another user would be), which moves the store's generation and makes the server
rebuild its index. Prints the searches' p50 / p99 / max latency, how many took longer than
100 ms, and how long each write took to show in an anonymous search; with a peer, the ratios.

The databases must already hold the corpus (bench/make_corpus.py, then `hrtrack import`); each
run adds a few one-row records to them. Standard library only. A benchmark, not a test: it
exits 0 whatever the figures.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request

QUERY = {"q": "torture", "per_page": 20, "facets": "state,issue,response,session",
         "facet_limit": 10}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get_json(url, timeout=120):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def measure(binary, db, clients, seconds, write_every):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    srv = subprocess.Popen([binary, "--db", db, "serve", "--host", "127.0.0.1", "--port",
                            str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        t0 = time.time()
        while True:
            try:
                get_json(base + "/api/health", timeout=5)
                break
            except Exception:
                if time.time() - t0 > 300 or srv.poll() is not None:
                    raise RuntimeError("the server did not start")
                time.sleep(0.2)
        url = base + "/api/recommendations?" + urllib.parse.urlencode(QUERY)
        get_json(url)  # warm
        stop = threading.Event()
        lat = []
        lock = threading.Lock()

        def client():
            mine = []
            while not stop.is_set():
                a = time.perf_counter()
                get_json(url)
                mine.append(time.perf_counter() - a)
            with lock:
                lat.extend(mine)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        shows = []
        tmp = tempfile.mkdtemp(prefix="hrtrack-swap-")
        end = time.time() + seconds
        n = 0
        while time.time() + write_every < end:
            time.sleep(write_every)
            n += 1
            word = f"swapbench{os.getpid()}x{n}x{int(time.time() * 1000)}"
            path = os.path.join(tmp, f"w{n}.csv")
            with open(path, "w", encoding="utf-8") as f:
                f.write("mechanism,state_name,text,year\n")
                f.write(f"UPR,Norway,Recommendation {word} on prisons.,2020\n")
            subprocess.run([binary, "--db", db, "import", "-q", "--format", "csv", path],
                           check=True, capture_output=True)
            done = time.perf_counter()
            probe = base + "/api/recommendations?" + urllib.parse.urlencode({"q": word,
                                                                             "per_page": 1})
            while get_json(probe)["total"] < 1:
                time.sleep(0.01)
            shows.append(time.perf_counter() - done)
        stop.set()
        for t in threads:
            t.join()
        lat.sort()
        return {
            "searches": len(lat),
            "per_s": len(lat) / seconds,
            "p50_ms": 1000 * lat[len(lat) // 2],
            "p99_ms": 1000 * lat[int(len(lat) * 0.99)],
            "max_ms": 1000 * lat[-1],
            "over_100ms": sum(1 for x in lat if x > 0.1),
            "writes": len(shows),
            "shows_mean_s": statistics.mean(shows) if shows else 0,
            "shows_max_s": max(shows) if shows else 0,
        }
    finally:
        srv.terminate()
        srv.wait()


def show(name, r):
    print(f"{name:6} {r['searches']:7d} searches ({r['per_s']:6.0f}/s)  p50 {r['p50_ms']:7.1f} ms"
          f"  p99 {r['p99_ms']:7.1f} ms  max {r['max_ms']:7.1f} ms  >100 ms: {r['over_100ms']:5d}"
          f"  | {r['writes']} writes shown after {r['shows_mean_s']:.2f} s (max "
          f"{r['shows_max_s']:.2f} s)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--peer-db")
    ap.add_argument("--peer-bin")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=40)
    ap.add_argument("--write-every", type=float, default=5)
    a = ap.parse_args()
    r = measure(a.bin, a.db, a.clients, a.seconds, a.write_every)
    show("this", r)
    if a.peer_bin:
        p = measure(a.peer_bin, a.peer_db or a.db, a.clients, a.seconds, a.write_every)
        show("peer", p)
        print(f"ratio (peer / this): p99 {p['p99_ms'] / r['p99_ms']:.1f}x, max "
              f"{p['max_ms'] / r['max_ms']:.1f}x, searches/s {r['per_s'] / p['per_s']:.2f}x")


if __name__ == "__main__":
    main()
