"""GIS clients reading our OGC API – Features: ogr2ogr copying every unit (full geometry) from /ogc,
against the same client reading the same features from our plain GeoJSON (/api/units?geometry=full)
in the same run: the cost of paging through a standard interface instead of one download, with
GDAL's default page of 10 features (GDAL 3.6 does not read our limit's default) and with pages of 1,000.

    .venv/bin/python benchmarks/ogc.py [--scopes mai_son vietnam] [--repeat 3]

Writes benchmarks/out/ogc.md. Needs gdal-bin (ogr2ogr).
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent / "tests")]
from browser import Server  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def store_for(scope):
    path = OUT / f"{scope}.gpkg"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "maison_geo", "data", "--scope", scope, "--store", str(path)],
                       check=True, cwd=OUT.parent.parent, capture_output=True)
    return path


def copy_seconds(source, layer, folder, options=()):
    target = Path(folder) / f"copy-{time.monotonic_ns()}.gpkg"
    started = time.perf_counter()
    subprocess.run(["ogr2ogr", "-f", "GPKG", *options, str(target), source, *([layer] if layer else [])],
                   check=True, capture_output=True, timeout=900)
    seconds = time.perf_counter() - started
    count = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(target)], capture_output=True, text=True).stdout
    features = int(next(line for line in count.splitlines() if "Feature Count" in line).split(":")[1])
    return seconds, features


def measure(scope, repeat):
    server = Server(store_for(scope))
    try:
        with tempfile.TemporaryDirectory() as folder:
            geojson = Path(folder) / "units.geojson"
            with urllib.request.urlopen(f"{server.url}/api/units?geometry=full", timeout=300) as response:
                geojson.write_bytes(response.read())
            oapif = f"OAPIF:{server.url}/ogc"
            runs = {"GeoJSON /api/units?geometry=full (one request)": (f"{server.url}/api/units?geometry=full", None, ()),
                    "OAPIF /ogc, GDAL's default page (10)": (oapif, "units-pre2025", ()),
                    "OAPIF /ogc, -oo PAGE_SIZE=1000": (oapif, "units-pre2025", ("-oo", "PAGE_SIZE=1000")),
                    "the same GeoJSON from a local file": (str(geojson), None, ())}
            rows = []
            for label, (source, layer, options) in runs.items():
                times, counts = zip(*(copy_seconds(source, layer, folder, options) for _ in range(repeat)))
                rows.append((label, statistics.median(times), set(counts)))
            return rows
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scopes", nargs="+", default=["mai_son", "vietnam"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    lines = ["| scope | source read by ogr2ogr | features | median seconds | × GeoJSON over HTTP |", "|---|---|---|---|---|"]
    for scope in args.scopes:
        rows = measure(scope, args.repeat)
        reference = rows[0][1]
        for label, seconds, counts in rows:
            lines.append(f"| {scope} | {label} | {', '.join(map(str, sorted(counts)))} | {seconds:.2f} | "
                         f"{seconds / reference:.2f} |")
        print("\n".join(lines[-len(rows):]), flush=True)
    (OUT / "ogc.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
