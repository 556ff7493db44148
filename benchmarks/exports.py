"""Print exports against the map page they print, in one run, on the Mai Sơn store.

Each URL is timed through the Flask test client in a fresh process: the first request (cold: matplotlib
import, font cache, geometry cache), then the median of --runs further requests. The reference is the
HTML map page of the same view, timed the same way in the same process.

    .venv/bin/python benchmarks/exports.py [--runs 5]

Builds benchmarks/out/mai_son.gpkg when missing; writes benchmarks/out/exports.md.
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO, OUT = HERE.parent, HERE / "out"
VIEW = "indicator=hh_grid_pct&period=2024&vintage=pre2025&scheme=quantiles&k=5"
URLS = [("reference: /map HTML page", f"/map?{VIEW}"),
        ("district map PDF (A4)", f"/map?{VIEW}&format=pdf"),
        ("district map PDF (A3)", f"/map?{VIEW}&format=pdf&paper=a3"),
        ("district map PNG 300 dpi (A4)", f"/map?{VIEW}&format=png"),
        ("district map SVG", f"/map?{VIEW}&format=svg"),
        ("households as circles, PDF", "/map?indicator=hh_grid&period=2024&format=pdf"),
        ("fact sheet PDF (Chiềng Mai)", "/communes/pre2025/04132?format=pdf"),
        ("atlas PDF, pre2025 (17 pages)", "/atlas?vintage=pre2025"),
        ("atlas PDF, post2025 2024 (17 pages)", "/atlas?vintage=post2025&period=2024")]
TARGETS = {"district map PDF (A4)": 2.0, "atlas PDF, pre2025 (17 pages)": 20.0,
           "atlas PDF, post2025 2024 (17 pages)": 20.0}

SCRIPT = """
import json, statistics, sys, time
from maison_geo import create_app
store, runs, urls = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
client = create_app({"STORE_PATH": store}).test_client()
rows = []
for label, url in urls:
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    rows.append({"label": label, "url": url, "cold_s": times[0], "warm_s": statistics.median(times[1:]),
                 "bytes": len(response.data)})
print(json.dumps(rows))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    store = OUT / "mai_son.gpkg"
    env = {**os.environ, "MAISON_SCOPE": "mai_son", "MAISON_STORE": str(store)}
    OUT.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "maison_geo", "data"], env=env, cwd=REPO, check=True)
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(store), str(args.runs), json.dumps(URLS)],
                          cwd=REPO, env=env, capture_output=True, text=True, check=True)
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    reference = rows[0]["warm_s"]
    lines = ["| export | first request s | warm median s | × the HTML page | size KB | target |",
             "|---|---:|---:|---:|---:|---|"]
    for r in rows:
        target = TARGETS.get(r["label"])
        verdict = "" if target is None else f"< {target:g} s: **{'met' if r['warm_s'] < target else 'missed'}**"
        lines.append(f"| {r['label']} | {r['cold_s']:.2f} | {r['warm_s']:.2f} | {r['warm_s'] / reference:.0f} | "
                     f"{r['bytes'] / 1024:,.0f} | {verdict} |")
    table = "\n".join(lines)
    (OUT / "exports.md").write_text(table + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
