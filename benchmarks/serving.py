"""Load on the real servers, with wrk (Debian's `wrk`), on loopback: waitress (server.py, `make run`)
against gunicorn (gunicorn.conf.py, `make serve`), in one run, on the same SQLite store.

For /map, /api/values, /api/units, a commune profile and POST /api/plans (a Lua script sends the JSON
body), at 1, 8 and 32 connections, SECONDS each (default 10): requests/s, p50, p99, errors (socket
errors plus non-2xx/3xx answers). Then the server's RSS (all its processes) before and after 10,000
more GET requests spread over the four GET URLs. Clients ask for gzip, as browsers do.

    .venv/bin/python benchmarks/serving.py [--seconds 10] [--store instance/maison.gpkg] [--servers waitress gunicorn]
        [--database-url postgresql://user@127.0.0.1:5432/postgres]

With --database-url (an admin URL of a PostgreSQL server with PostGIS), each server is measured on
SQLite and then on PostgreSQL: a database of its own is made there (the data step loads it), used
through MAISON_DATABASE_URL, and dropped at the end; `python tests/with_postgres.py -- <this command
with --database-url "$MAISON_TEST_DATABASE_URL">` starts such a server for the run.

Each server listens on 127.0.0.1 on a free port, with its own user-data file (one account, as any
deployment has: so the data version is read from it on every request) and planning file in a
temporary folder, and is stopped at the end. Writes benchmarks/out/serving.json and serving.md;
benchmarks/RESULTS.md records a run.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from browser import free_port  # noqa: E402

VALUES = "/api/values?indicator=households&period=2024&vintage=pre2025"
GETS = {"map": "/map", "values": VALUES, "units": "/api/units?vintage=pre2025",
        "profile": "/communes/pre2025/04105"}
PLAN_BODY = {"budget": 2_500_000_000}
CONNECTIONS = (1, 8, 32)
RSS_REQUESTS = 10_000
# 429s (the gate of heavy jobs: HEAVY_JOBS at once, HEAVY_JOBS_PER_CLIENT per address) counted apart.
POST_LUA = """wrk.method = "POST"
wrk.body = %s
wrk.headers["Content-Type"] = "application/json"
local threads = {}
setup = function(thread) table.insert(threads, thread) end
refused = 0
response = function(status, headers, body) if status == 429 then refused = refused + 1 end end
done = function(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("refused") end
  io.write(string.format("Refused 429: %%d\\n", total))
end
"""
# One thread: stops after N answers, the GET URLs in turn.
COUNT_LUA = """local paths = {%s}
local i, done, limit = 0, 0, %d
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
response = function(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
"""


def start(kind, store, folder, database=None):
    port = free_port()
    from maison_geo.userdata import UserData
    UserData(database or folder / "userdata.sqlite").add_user("bench", "editor", "benchmark-password-0")
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "MAISON_STORE": str(store),
           "MAISON_USERDATA": str(folder / "userdata.sqlite"), "MAISON_PLANNING_DB": str(folder / "planning.sqlite"),
           "MAISON_SECRET_KEY": "benchmark-" + "0" * 32}
    if database:
        env["MAISON_DATABASE_URL"] = database
    command = [sys.executable, str(REPO / "server.py")] if kind == "waitress" else \
        [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py"), "maison_geo:create_app()"]
    log = open(folder / f"{kind}.log", "wb")
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, url, log
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process, log)
            raise SystemExit(f"{kind} did not start:\n{(folder / f'{kind}.log').read_text()[-3000:]}")
        time.sleep(0.3)


def stop(process, log):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    log.close()


def rss_kb(pid):
    """The resident memory of a process and its children (gunicorn's workers), in kB."""
    total, pids = 0, [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pids.extend(int(c) for c in children)
        except (OSError, AttributeError):
            continue
    return total


def warm(url):
    """Every URL in every worker, plain and gzipped as wrk asks: the first answers build the
    per-process caches. One client at a time may reach one worker only, so wrk then asks with 32
    connections (spread over all the workers) for 2 s per URL."""
    for _ in range(12):
        for path in GETS.values():
            for encoding in ("identity", "gzip"):
                request = urllib.request.Request(url + path, headers={"Accept-Encoding": encoding})
                urllib.request.urlopen(request, timeout=60).read()
    for path in GETS.values():
        wrk(url + path, 32, 2)
        request = urllib.request.Request(url + "/api/plans", data=json.dumps(PLAN_BODY).encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=60).read()


def parse_wrk(text):
    def duration(value):
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    total = int(re.search(r"(\d+) requests in", text).group(1))
    p50 = duration(re.search(r"\s50%\s+(\S+)", text).group(1))
    p99 = duration(re.search(r"\s99%\s+(\S+)", text).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    refused = re.search(r"Refused 429: (\d+)", text)
    refused = int(refused.group(1)) if refused else 0
    errors += (int(non2xx.group(1)) if non2xx else 0) - refused
    return {"requests_per_s": rate, "requests": total, "p50_ms": p50, "p99_ms": p99, "errors": errors,
            "refused_429": refused}


def wrk(url, connections, seconds, script=None):
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--latency",
               "--timeout", "10s", "-H", "Accept-Encoding: gzip"]
    if script:
        command += ["-s", str(script)]
    done = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60)
    return parse_wrk(done.stdout)


def measure(kind, store, seconds, folder, database=None):
    post = folder / "post.lua"
    post.write_text(POST_LUA % json.dumps(json.dumps(PLAN_BODY, ensure_ascii=False)), encoding="utf-8")
    count = folder / "count.lua"
    count.write_text(COUNT_LUA % (", ".join(json.dumps(p) for p in GETS.values()), RSS_REQUESTS))
    process, url, log = start(kind, store, folder, database)
    kind = f"{kind}, {'PostgreSQL' if database else 'SQLite'}"
    try:
        warm(url)
        rows = []
        for name, path in [*GETS.items(), ("plans (POST)", "/api/plans")]:
            for connections in CONNECTIONS:
                figures = wrk(url + path, connections, seconds, post if path == "/api/plans" else None)
                rows.append({"server": kind, "url": name, "connections": connections, **figures})
                print(kind, name, connections, figures, flush=True)
        before = rss_kb(process.pid)
        counted = subprocess.run(["wrk", "-t", "1", "-c", "8", "-d", "120s", "-s", str(count),
                                  "-H", "Accept-Encoding: gzip", url], capture_output=True, text=True, timeout=200)
        after = rss_kb(process.pid)
        memory = {"server": kind, "rss_before_kb": before, "rss_after_kb": after,
                  "requests": parse_wrk(counted.stdout + "\n 50% 0us\n 99% 0us\n")["requests"],
                  "growth": (after - before) / before}
        print(kind, memory, flush=True)
        return rows, memory
    finally:
        stop(process, log)


@contextmanager
def bench_database(admin_url):
    """None, or the URL of a new database loaded by the data step, dropped afterwards."""
    if not admin_url:
        yield None
        return
    import psycopg

    from maison_geo.build import build
    from maison_geo.db import PostgresDatabase
    from maison_geo.store import open_store
    name = f"maison_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(admin_url)._replace(path="/" + name))
    try:
        build(open_store(url), "mai_son", force=True, log=lambda *_: None)
        yield url
    finally:
        PostgresDatabase(url).close()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table(rows, memory, seconds):
    lines = [f"wrk, {seconds} s per run, loopback, Accept-Encoding: gzip.", "",
             "| server | URL | connections | requests/s | p50 ms | p99 ms | errors | 429 (gate) |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['server']} | {r['url']} | {r['connections']} | {r['requests_per_s']:.0f} | "
                     f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {r['refused_429']} |")
    lines += ["", "| server | RSS before (MB) | RSS after (MB) | requests between | growth |", "|---|---:|---:|---:|---:|"]
    for m in memory:
        lines.append(f"| {m['server']} | {m['rss_before_kb'] / 1024:.0f} | {m['rss_after_kb'] / 1024:.0f} | "
                     f"{m['requests']} | {m['growth']:+.1%} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--store", default=str(REPO / "instance" / "maison.gpkg"))
    parser.add_argument("--servers", nargs="+", default=["waitress", "gunicorn"])
    parser.add_argument("--database-url", default=None, help="an admin URL of a PostgreSQL server with PostGIS")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    if not Path(args.store).is_file():
        raise SystemExit(f"no store at {args.store}: run `make data`")
    rows, memory = [], []
    for kind in args.servers:
        for database in [None, args.database_url] if args.database_url else [None]:
            with tempfile.TemporaryDirectory(prefix=f"maison-{kind}-") as folder, bench_database(database) as url:
                found, used = measure(kind, args.store, args.seconds, Path(folder), url)
                rows += found
                memory.append(used)
    OUT.mkdir(exist_ok=True)
    (OUT / "serving.json").write_text(json.dumps({"rows": rows, "memory": memory, "seconds": args.seconds,
                                                  "cores": os.cpu_count()}, indent=1))
    text = table(rows, memory, args.seconds)
    (OUT / "serving.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
