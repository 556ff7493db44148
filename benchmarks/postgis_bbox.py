"""A zoomed-in box of the Vietnam scope (11,163 units) on PostGIS against the GeoPackage, in one run:
store.units(vintage, bbox=...) (the GeoPackage's R-tree read, or its layer in memory once read) and
GET /api/units?bbox=... (the app's test client, no HTTP, its response
cache emptied before each request), median of --repeat, plus PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of the box query.

    MAISON_TEST_DATABASE_URL=postgresql://maison@127.0.0.1:54329/postgres \\
        .venv/bin/python benchmarks/postgis_bbox.py [--repeat 51]

Builds benchmarks/out/vietnam.gpkg and the database maison_bench_vietnam when missing (the data step,
a few minutes each); writes benchmarks/out/postgis_bbox.md.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from maison_geo import create_app  # noqa: E402
from maison_geo.store import open_store  # noqa: E402
from maison_geo.store.postgis import BOX  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
DATABASE = "maison_bench_vietnam"
BOXES = {"Hà Nội, Hoàn Kiếm (6 × 6 km)": (105.82, 21.00, 105.88, 21.06),
         "TP Hồ Chí Minh, Quận 1 (6 × 6 km)": (106.67, 10.75, 106.73, 10.81),
         "Mai Sơn (11 × 11 km)": (104.0, 21.1, 104.1, 21.2)}


def database_url(admin_url):
    import psycopg
    with psycopg.connect(admin_url, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
            admin.execute(f'CREATE DATABASE "{DATABASE}"')
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + DATABASE, parts.query, ""))


def build(location):
    """The data step, as an operator runs it (a no-op when the store is current)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "maison_geo", "data", "--scope", "vietnam", "--store", str(location)],
                   check=True, cwd=ROOT)
    return time.perf_counter() - started


def median_ms(call, repeat):
    call()  # warm: pools, caches of the catalogue
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def explain(store, bbox):
    with store.db.read() as conn:
        return "\n".join(r[0] for r in conn.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT attrs, ST_AsBinary(geom) AS wkb FROM store_units "
            "WHERE layer = ? AND vintage = ?" + BOX + " ORDER BY ordinal",
            ("units_web", "pre2025", *bbox)).fetchall())


def fetch(location, folder):
    """GET a URL on a fresh answer each time: the response cache (web.caching) is emptied first."""
    app = create_app({"TESTING": True, "STORE_PATH": str(location), "SECRET_KEY": "bench-" + "0" * 32,
                       "USERDATA_PATH": str(Path(folder) / f"u-{time.monotonic_ns()}.sqlite"),
                       "PLANNING_DB": str(Path(folder) / "p.sqlite")})
    client = app.test_client()

    def get(url):
        app.extensions["maison"]["responses"].clear()
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        return answer
    return get


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=51)
    parser.add_argument("--admin-url", default=os.environ.get("MAISON_TEST_DATABASE_URL"))
    args = parser.parse_args()
    if not args.admin_url:
        sys.exit("give --admin-url or MAISON_TEST_DATABASE_URL (a PostgreSQL with PostGIS)")
    OUT.mkdir(exist_ok=True)
    locations = {"GeoPackage": OUT / "vietnam.gpkg", "PostGIS": database_url(args.admin_url)}
    built = {name: build(location) for name, location in locations.items()}
    stores = {"GeoPackage, R-tree read": open_store(locations["GeoPackage"]),
              "GeoPackage, layer in memory": open_store(locations["GeoPackage"]),
              "PostGIS": open_store(locations["PostGIS"])}
    stores["GeoPackage, layer in memory"].units("pre2025")
    lines = [f"Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, median of {args.repeat}, "
             f"data step (or its no-op check): " + ", ".join(f"{n} {s:.0f} s" for n, s in built.items()), "",
             "| box | units | " + " | ".join(f"{name} store.units" for name in stores)
             + " | GeoPackage /api/units (layer in memory) | PostGIS /api/units |", "|---|---|---|---|---|---|---|"]
    plans = []
    with tempfile.TemporaryDirectory() as folder:
        getters = {name: fetch(location, folder) for name, location in locations.items()}
        getters["GeoPackage"]("/api/units?vintage=pre2025&properties=code")  # as a map's first view does
        for label, bbox in BOXES.items():
            counts = {len(s.units("pre2025", bbox=bbox)) for s in stores.values()}
            url = "/api/units?vintage=pre2025&properties=code,name,unit_type&bbox=" + ",".join(map(str, bbox))
            figures = [median_ms(lambda s=s: s.units("pre2025", bbox=bbox), args.repeat) for s in stores.values()]
            figures += [median_ms(lambda get=get: get(url), args.repeat) for get in getters.values()]
            lines.append(f"| {label} | {', '.join(map(str, sorted(counts)))} | "
                         + " | ".join(f"{ms:.1f} ms" for ms in figures) + " |")
            print(lines[-1], flush=True)
            plans.append(f"{label} {bbox}:\n{explain(stores['PostGIS'], bbox)}")
    lines.append(f"\nLoad average at the end (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    text = "\n".join(lines) + "\n\nEXPLAIN (ANALYZE, BUFFERS), layer units_web, pre2025:\n\n" + "\n\n".join(plans)
    (OUT / "postgis_bbox.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
