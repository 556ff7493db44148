"""The pages that read every figure, with a long history of imported figures, in one run on the same
data: the code of a reference commit (default: before issue 16, value tables built on every request)
against this code (maison_geo.values.figure_index: once per data version). The reference runs from
`git archive <commit>` in a temporary folder, in a subprocess.

The history is SYNTHETIC: 22 communes × 15 indicators × 26 years = 8,580 made-up figures committed
as one import into a private user-data file (seed fixed); they measure the code, not any real figure.

    .venv/bin/python benchmarks/values.py [--repeat 30] [--reference a72d422]

Needs the upstream mirror (../shared or MAISON_DATA_MIRROR); builds its store in a temporary folder.
Writes benchmarks/out/values.md; benchmarks/RESULTS.md records a run.
"""
import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODE = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else HERE.parent
sys.path.insert(0, str(CODE))

from maison_geo import create_app, paths  # noqa: E402
from maison_geo.build import build  # noqa: E402
from maison_geo.figures import Figure  # noqa: E402
from maison_geo.store import open_store  # noqa: E402

YEARS = range(2000, 2026)
REQUESTS = [("GET", "/communes/pre2025/04123", None), ("GET", "/api/values?indicator=households", None),
            ("POST", "/api/plans", {"budget": 5e9})]


def history(app, n_indicators=15):
    """8,580 made-up figures in one committed import."""
    maison = app.extensions["maison"]
    units = maison["store"].unit_records("pre2025")
    indicators = list(maison["catalogue"].mappable())[:n_indicators]
    rng = random.Random(2026)
    top = {"percent": 100, "boolean": 1}
    figures = [Figure("pre2025", "unit", u.code, i.key, year, float(rng.randint(0, top.get(i.kind, 5000))),
                      "reported", "benchmark: synthetic figures")
               for u in units for i in indicators for year in YEARS]
    maison["store"].userdata.commit_import("bench", figures, vintage="pre2025", status="reported",
                                           source="benchmark: synthetic figures")
    return len(figures), len(units), len(indicators)


def timed(client, method, path, body, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.post(path, json=body) if method == "POST" else client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
    return statistics.median(times)


def measure(store_path, repeat):
    """{label: {request: median seconds}} of the code on sys.path, before and after the import."""
    folder = Path(tempfile.mkdtemp(prefix="maison-bench-values-"))
    app = create_app({"TESTING": True, "STORE_PATH": str(store_path), "SECRET_KEY": "bench-" + "0" * 32,
                      "USERDATA_PATH": str(folder / "userdata.sqlite"), "PLANNING_DB": str(folder / "p.sqlite"),
                      "HEAVY_JOBS_PER_CLIENT": 8})
    client = app.test_client()
    found = {}
    for label in ("authored figures only", "with 8,580 imported figures"):
        if label.startswith("with"):
            assert history(app)[0] == 8580
        for method, path, body in REQUESTS:
            timed(client, method, path, body, 3)  # warm: store caches, worker process, templates
            found.setdefault(label, {})[f"{method} {path}"] = timed(client, method, path, body, repeat)
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reference", default="a72d422", help="the commit to compare with")
    parser.add_argument("--code", help=argparse.SUPPRESS)    # internal: the reference's code folder
    parser.add_argument("--store", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.code:
        print(json.dumps(measure(args.store, args.repeat)))
        return
    folder = Path(tempfile.mkdtemp(prefix="maison-bench-values-"))
    store = open_store(folder / "maison.gpkg")
    build(store, "mai_son", mirror=paths.mirror_dir(), force=True, log=lambda *_: None)
    reference = folder / "reference"
    reference.mkdir()
    archive = subprocess.run(["git", "archive", args.reference], cwd=HERE.parent, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(reference)], input=archive.stdout, check=True)
    before = json.loads(subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--code", str(reference), "--store", store.location,
         "--repeat", str(args.repeat)], cwd=reference, check=True, capture_output=True, text=True).stdout)
    after = measure(store.location, args.repeat)
    lines = [f"| data | request | {args.reference} (ms, median) | this code (ms, median) | faster |",
             "|---|---|---:|---:|---:|"]
    for label, requests in after.items():
        for request, seconds in requests.items():
            old = before[label][request]
            lines.append(f"| {label} | `{request}` | {old * 1000:.1f} | {seconds * 1000:.1f} | {old / seconds:.1f}× |")
    text = "\n".join(lines) + f"\n\n{args.repeat} requests each, Flask test client, one at a time, one run.\n"
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "values.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
