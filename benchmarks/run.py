"""Map page size and speed against GeoDataFrame.explore(), on the same units and values, in one run.

For Mai Sơn (22 units, MAISON_SCOPE=mai_son), all of Sơn La (204, son_la) and all of Vietnam
(11,163, vietnam), all from the same GADM file, it measures:

  build   the data step for that scope (wall time, peak memory of the process),
  server  time to produce the map page: cold (first request of a fresh app) and the median of warm
          requests, in-process (Flask test client) and over HTTP from the real server (waitress,
          gzip); the first (uncached) answers of the geometry and outline URLs the page fetches,
  bytes   what Chromium transferred on a first load (empty cache) of the map page: the HTML and every
          request it made, as CDP Network.loadingFinished encodedDataLength (compressed body plus
          headers); total, and without the cacheable static assets (/static/..., /vendor/...),
  draw    navigation start -> polygons drawn in headless Chromium (median of --draws loads, ours and
          explore() in turn): ours when its polygons are first on the page, plus two animation
          frames (the frame that paints them): the first view written into the page as SVG
          (first_view.py) when it has one, else the 'maison:map-drawn' event (units and outline on
          the interactive map); "interactive map drawn" is always the latter, "map ready" the
          'maison:map-ready' event (labels, search, legend and keyboard follow that paint);
          explore() when its SVG paths number the units, plus two frames;

and the same for GeoDataFrame.explore() of the same units (web geometry, as /api/units serves it) and
the same values (taken from the page's own twin /map?format=geojson): explore(column="value",
scheme="quantiles", k=5). explore()'s HTML points at CDNs; Leaflet and jQuery are rewritten to the local
XStatic copies the app also uses, the other assets (Bootstrap, Font Awesome, awesome-markers, d3) are
dropped because they cannot be fetched here. Without d3 explore()'s legend cannot be drawn, so it is
called with legend=False: that makes its page lighter, never heavier. Its page and assets are gzipped
once (level 6, as the app's GeoJSON) and served by a small local static server. Every request to a
host other than 127.0.0.1 is aborted and counted; there must be none.

    make benchmark      # or: .venv/bin/python benchmarks/run.py [--scopes mai_son son_la vietnam]

Stores are built into benchmarks/out/<scope>.gpkg; results go to benchmarks/out/results.json and
benchmarks/out/results.md (the table); benchmarks/RESULTS.md records a run and what it means.
"""
import argparse
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from browser import CHROMIUM, CHROMIUM_ARGS, Server, Watch  # noqa: E402

SCOPES = {"mai_son": 22, "son_la": 204, "vietnam": 11163}
INDICATOR, PERIOD, SCHEME, K = "population", 2019, "quantiles", 5
MAP_QUERY = f"indicator={INDICATOR}&period={PERIOD}&vintage=pre2025&scheme={SCHEME}&k={K}&symbol=choropleth"
GZIP_LEVEL = 6
TARGET_KB_MAI_SON = 150
TARGET_LESS_BYTES, TARGET_FASTER = 5, 3

# Marks navigation-relative times in window.__bench; mode "event" (ours) or "paths" (explore()).
DRAWN_SCRIPT = """
(() => {
  const mode = %(mode)s, expected = %(expected)d;
  const bench = window.__bench = {};
  const mark = key => { if (!(key in bench)) bench[key] = performance.now(); };
  // The frame that paints the polygons has been painted when the next frame begins: from an event
  // (a task), two animation frames on; from a poll that found them in a frame's callbacks, one.
  const after = (key, frames) => requestAnimationFrame(() => frames > 1 ? after(key, frames - 1) : mark(key));
  if (mode === "event") {
    const interactive = () => { after("interactive", 2); after("drawn", 2); };
    document.addEventListener("maison:map-drawn", interactive);
    document.addEventListener("maison:map-ready", () => { mark("ready"); interactive(); });  // a page without map-drawn
    const firstView = () => {  // the SVG first view, once all its units are parsed
      const units = document.querySelectorAll(".first-view path.unit").length;
      if (units >= expected) { window.__firstViewUnits = units; mark("first_view"); after("drawn", 1); }
      else if (!("drawn" in bench) && !("interactive" in bench)) { requestAnimationFrame(firstView); }
    };
    requestAnimationFrame(firstView);
  } else {
    const poll = () => {
      if (document.querySelectorAll("path.leaflet-interactive").length >= expected) { mark("ready"); after("drawn", 1); }
      else { requestAnimationFrame(poll); }
    };
    requestAnimationFrame(poll);
  }
})();
"""


# ---------------------------------------------------------------- data step

def build_store(scope):
    """Run the data step (forced: a full rebuild) for one scope; (path, seconds, peak RSS MB, store MB)."""
    path = OUT / f"{scope}.gpkg"
    env = {**os.environ, "MAISON_SCOPE": scope, "MAISON_STORE": str(path)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "maison_geo", "data", "--force"], env=env, cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"data step for {scope} failed:\n{output.decode(errors='replace')}")
    return path, seconds, usage.ru_maxrss / 1024, path.stat().st_size / 1e6


# ---------------------------------------------------------------- server side

TEST_CLIENT_SCRIPT = """
import json, statistics, sys, time
from maison_geo import create_app
store, url, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
started = time.perf_counter()
client = create_app({"STORE_PATH": store}).test_client()
response = client.get(url)
cold = time.perf_counter() - started
assert response.status_code == 200, response.status_code
warm = []
for _ in range(runs):
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    warm.append(time.perf_counter() - started)
print(json.dumps([cold, statistics.median(warm)]))
"""


def test_client_times(store_path, runs):
    """Map page through the Flask test client: (cold seconds incl. making the app, median warm seconds).
    In a child process: create_app() points folium's asset lists at the app's own copies, process-wide,
    which would change what explore() writes here."""
    done = subprocess.run([sys.executable, "-c", TEST_CLIENT_SCRIPT, str(store_path), f"/map?{MAP_QUERY}",
                           str(runs)], cwd=REPO, capture_output=True, text=True, check=True)
    cold, warm = json.loads(done.stdout.strip().splitlines()[-1])
    return cold, warm


def http_get(url):
    """(seconds to the last byte, body bytes as sent) of one GET asking for gzip."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        body = response.read()
        assert response.status == 200, (url, response.status)
    return time.perf_counter() - started, len(body)


def map_fetches(page_url):
    """The geometry and outline URLs the map page's script fetches first (outline None when it has
    none): the overview where there is one. Asking for them here also fills the server's caches, so
    no draw below pays for computing them."""
    with urllib.request.urlopen(page_url, timeout=300) as response:
        html = response.read().decode("utf-8")
    config = json.loads(re.search(r"maisonChoropleth\([^,]+, (\{.*\})\);", html).group(1))
    return config["overview"] or config["geojson"], config["outline"]


# ---------------------------------------------------------------- explore()

def explore_page(base_url, units):
    """explore() of the units and values the map page shows (from its own GeoJSON twin)."""
    import geopandas as gpd
    with urllib.request.urlopen(f"{base_url}/map?{MAP_QUERY}&format=geojson", timeout=300) as response:
        collection = json.load(response)
    frame = gpd.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326")
    # what our tooltip says: name, value, rank, status, source
    frame = frame[["code", "name", "full_name", "unit_type", "value", "rank", "status", "source", "geometry"]]
    assert len(frame) == units, (len(frame), units)
    valued = int(frame["value"].notna().sum())
    times, html = [], None
    for _ in range(1 if units > 1000 else 3):
        started = time.perf_counter()
        fmap = frame.explore(column="value", scheme=SCHEME, k=min(K, max(valued, 1)), cmap="Purples",
                             tiles=None, legend=False, missing_kwds={"color": "#d4d4d4"})
        html = fmap.get_root().render()
        times.append(time.perf_counter() - started)
    return html, statistics.median(times), valued


def localise(html):
    """Point explore()'s Leaflet and jQuery at local copies; drop the other CDN assets."""
    kept, dropped = [], []

    def swap(match):
        tag, url = match.group(0), match.group(1)
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        local = {"leaflet.js": "/vendor/leaflet/leaflet.js", "leaflet.css": "/vendor/leaflet/leaflet.css",
                 "jquery-3.7.1.min.js": "/vendor/jquery/jquery.min.js"}.get(name)
        if local is None:
            dropped.append(url)
            return ""
        kept.append(url)
        return tag.replace(url, local)

    html = re.sub(r'<script src="(https?://[^"]+)"></script>', swap, html)
    html = re.sub(r'<link rel="stylesheet" href="(https?://[^"]+)"\s*/?>', swap, html)
    assert len(kept) == 3, kept
    remote = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert not remote, remote
    return html, dropped


class GzipStaticServer:
    """Serves a folder, sending the file's precompressed .gz twin when the client accepts gzip
    (like nginx's gzip_static): the server does not compress per request."""

    def __init__(self, root):
        root = Path(root)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = (root / urlsplit(self.path).path.lstrip("/")).resolve()
                if root.resolve() not in path.parents or not path.is_file():
                    self.send_error(404)
                    return
                kind = {".html": "text/html; charset=utf-8", ".js": "application/javascript",
                        ".css": "text/css"}.get(path.suffix, "application/octet-stream")
                packed = path.with_name(path.name + ".gz")
                use_gzip = "gzip" in self.headers.get("Accept-Encoding", "") and packed.is_file()
                body = (packed if use_gzip else path).read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Vary", "Accept-Encoding")
                if use_gzip:
                    self.send_header("Content-Encoding", "gzip")
                if "/vendor/" in self.path:
                    self.send_header("Cache-Control", "public, max-age=31536000")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def write_gzipped(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, GZIP_LEVEL, mtime=0))


def explore_site(root, pages):
    """The explore() pages and the two vendor packages, each with its .gz twin."""
    from maison_geo.assets import VENDOR
    for package, files in {"leaflet": ["leaflet.js", "leaflet.css"], "jquery": ["jquery.min.js"]}.items():
        for name in files:
            write_gzipped(root / "vendor" / package / name, (VENDOR[package] / name).read_bytes())
    for name, html in pages.items():
        write_gzipped(root / "page" / f"{name}.html", html.encode("utf-8"))


# ---------------------------------------------------------------- Chromium

def is_static(url):
    path = urlsplit(url).path
    return path.startswith(("/static/", "/vendor/"))


# --slow-link: a slow mobile connection, every request alike (CDP Network.emulateNetworkConditions)
SLOW_LINK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}


def load(browser, url, expected, mode, timeout, link=None):
    """One first load (fresh context, empty cache): bytes by request, draw time, checks."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    page.add_init_script(DRAWN_SCRIPT % {"mode": json.dumps(mode), "expected": expected})
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if link:
        cdp.send("Network.emulateNetworkConditions", link)
    urls, encoded, decoded, failed = {}, {}, {}, []
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.dataReceived",
           lambda e: decoded.__setitem__(e["requestId"], decoded.get(e["requestId"], 0) + e["dataLength"]))
    cdp.on("Network.loadingFinished", lambda e: encoded.__setitem__(e["requestId"], e["encodedDataLength"]))
    # (the favicon request is cancelled when the context closes: not a failure of the page)
    cdp.on("Network.loadingFailed", lambda e: failed.append((urls.get(e["requestId"]), e.get("errorText")))
           if not urls.get(e["requestId"], "").endswith("/favicon.ico") else None)
    try:
        page.goto(url, wait_until="commit", timeout=timeout * 1000)
        deadline = time.monotonic() + timeout
        bench = {}
        while time.monotonic() < deadline:
            bench = page.evaluate("window.__bench || {}")
            if "drawn" in bench:
                break
            time.sleep(0.05)
        drawn = bench.get("drawn")
        if drawn is not None:
            first_view = "first_view" in bench
            counted = page.evaluate("""([mode, firstView]) => firstView ? window.__firstViewUnits
                : mode === "event" ? window.maisonMap.drawn
                : document.querySelectorAll("path.leaflet-interactive").length""", [mode, first_view])
            assert counted == expected, (url, counted, expected)
            page.wait_for_load_state("load", timeout=timeout * 1000)
            while mode == "event" and not page.evaluate("window.maisonMap && window.maisonMap.ready") \
                    and time.monotonic() < deadline:
                time.sleep(0.05)  # the interactive map, labels, search and keyboard follow the first paint
            assert page.evaluate("window.maisonMap.drawn") == expected if mode == "event" else True
            page.wait_for_timeout(300)  # late requests (none expected) are counted too
            bench = page.evaluate("window.__bench || {}")
        navigation = page.evaluate("""() => { const n = performance.getEntriesByType("navigation")[0];
            return n ? {ttfb: n.responseStart, html: n.responseEnd, dcl: n.domContentLoadedEventEnd} : {}; }""")
        assert not watch.outside, f"requests left localhost: {watch.outside}"
        requests = sorted(({"url": urls.get(rid, "?"), "encoded": size, "decoded": decoded.get(rid, 0)}
                           for rid, size in encoded.items()), key=lambda r: -r["encoded"])
        return {"drawn_s": None if drawn is None else drawn / 1000,
                "ready_s": None if bench.get("ready") is None else bench["ready"] / 1000,
                "interactive_s": None if bench.get("interactive") is None else bench["interactive"] / 1000,
                "first_view": first_view if drawn is not None else False,
                "ttfb_s": (navigation.get("ttfb") or 0) / 1000, "html_s": (navigation.get("html") or 0) / 1000,
                "dcl_s": (navigation.get("dcl") or 0) / 1000, "requests": requests,
                "bytes": sum(r["encoded"] for r in requests),
                "bytes_no_static": sum(r["encoded"] for r in requests if not is_static(r["url"])),
                "decoded": sum(r["decoded"] for r in requests),
                "errors": watch.errors, "failed": failed, "outside": watch.outside}
    finally:
        context.close()


def interleaved_loads(browser, pages, expected, runs, timeout, link=None):
    """`runs` first loads of each (url, mode) page, in turn (ours, explore(), ours, ...), so that the
    load of a shared machine weighs alike on both; a summary per page (see summary)."""
    results = [[] for _ in pages]
    for _ in range(runs):
        for found, (url, mode) in zip(results, pages):
            found.append(load(browser, url, expected, mode, timeout, link))
        if any(found[-1]["drawn_s"] is None for found in results):
            break  # timed out: one more try would only cost another timeout
    return [summary(found) for found in results]


def summary(results):
    """Bytes of the first load, median draw time (None if any timed out)."""
    first = dict(results[0])
    draws = [r["drawn_s"] for r in results]
    first["draws_s"] = draws
    first["drawn_s"] = None if None in draws else statistics.median(draws)
    for key in ("ready_s", "interactive_s"):
        found = [r[key] for r in results if r[key] is not None]
        first[key] = statistics.median(found) if len(found) == len(results) else None
    first["interactive_draws_s"] = [r["interactive_s"] for r in results]
    first["first_view"] = all(r["first_view"] for r in results)
    return first


# ---------------------------------------------------------------- one scope

def measure(scope, browser, args, log):
    units = SCOPES[scope]
    row = {"scope": scope, "units": units}
    store_path, row["build_s"], row["build_peak_mb"], row["store_mb"] = build_store(scope)
    log(f"{scope}: data step {row['build_s']:.1f} s, peak {row['build_peak_mb']:.0f} MB")
    row["tc_cold_s"], row["tc_warm_s"] = test_client_times(store_path, args.runs)
    server = Server(store_path, timeout=120)
    try:
        base = server.url
        row["http_cold_s"], _ = http_get(f"{base}/map?{MAP_QUERY}")
        geometry, outline = map_fetches(f"{base}/map?{MAP_QUERY}")
        row["api_units_cold_s"], row["api_units_gz_bytes"] = http_get(base + geometry)
        row["api_outline_cold_s"], row["api_outline_gz_bytes"] = http_get(base + outline) if outline else (None, 0)
        row["http_warm_s"] = statistics.median(http_get(f"{base}/map?{MAP_QUERY}")[0] for _ in range(args.runs))
        log(f"{scope}: /map {row['http_warm_s'] * 1000:.0f} ms warm over HTTP")
        html, row["explore_make_s"], row["valued"] = explore_page(base, units)
        html, dropped = localise(html)
        (OUT / f"explore_{scope}.html").write_text(html, encoding="utf-8")
        root = Path(tempfile.mkdtemp(prefix=f"explore-{scope}-", dir=OUT))
        try:
            explore_site(root, {scope: html})
            static = GzipStaticServer(root)
            try:
                ours, ref = interleaved_loads(browser, [(f"{base}/map?{MAP_QUERY}", "event"),
                                                        (f"{static.url}/page/{scope}.html", "paths")],
                                              units, args.draws, args.timeout,
                                              SLOW_LINK if args.slow_link else None)
            finally:
                static.stop()
        finally:
            shutil.rmtree(root)
    finally:
        server.stop()
    log(f"{scope}: ours {ours['bytes'] / 1024:.0f} KB, drawn at {ours['drawn_s']} s")
    log(f"{scope}: explore() {ref['bytes'] / 1024:.0f} KB, drawn at {ref['drawn_s']} s")
    row["ours"], row["explore"], row["explore_dropped_assets"] = ours, ref, dropped
    return row


# ---------------------------------------------------------------- report

def kb(n):
    return f"{n / 1024:,.1f}"


def ratio(a, b):
    return None if not a or not b else a / b


def fmt_s(value, timeout):
    return f"> {timeout:.0f}" if value is None else f"{value:.2f}"


def table(rows, timeout):
    by = {r["scope"]: r for r in rows}
    cols = [s for s in SCOPES if s in by]
    lines = ["| | " + " | ".join(f"{s} ({SCOPES[s]:,} units)" for s in cols) + " |",
             "|---|" + "---|" * len(cols)]

    def add(label, get):
        lines.append(f"| {label} | " + " | ".join(get(by[s]) for s in cols) + " |")

    add("data step: wall s / peak MB / store MB",
        lambda r: f"{r['build_s']:.1f} / {r['build_peak_mb']:.0f} / {r['store_mb']:.1f}")
    add("**ours** /map server ms, test client cold (incl. app start) / warm median",
        lambda r: f"{r['tc_cold_s'] * 1000:,.0f} / {r['tc_warm_s'] * 1000:,.0f}")
    add("**ours** /map server ms over HTTP (gzip) cold / warm median",
        lambda r: f"{r['http_cold_s'] * 1000:,.0f} / {r['http_warm_s'] * 1000:,.0f}")
    add("**ours** first geometry, outline ms (uncached; '–': the page fetches no outline)",
        lambda r: f"{r['api_units_cold_s'] * 1000:,.0f}, "
                  + ("–" if r["api_outline_cold_s"] is None else f"{r['api_outline_cold_s'] * 1000:,.0f}"))
    add("**explore()** make + render HTML ms (median)", lambda r: f"{r['explore_make_s'] * 1000:,.0f}")
    add("**ours** KB transferred, all / without static", lambda r: f"{kb(r['ours']['bytes'])} / {kb(r['ours']['bytes_no_static'])}")
    add("**explore()** KB transferred, all / without static",
        lambda r: f"{kb(r['explore']['bytes'])} / {kb(r['explore']['bytes_no_static'])}")
    add("ours KB uncompressed (all)", lambda r: kb(r["ours"]["decoded"]))
    add("explore() KB uncompressed (all)", lambda r: kb(r["explore"]["decoded"]))
    add("**ours** draw s (nav start → drawn; median)",
        lambda r: fmt_s(r["ours"]["drawn_s"], timeout) + (" (first view, SVG)" if r["ours"].get("first_view") else ""))
    add("ours, interactive map drawn s (median)", lambda r: fmt_s(r["ours"]["interactive_s"], timeout))
    add("**explore()** draw s (nav start → drawn; median)", lambda r: fmt_s(r["explore"]["drawn_s"], timeout))
    add("ours, first load: HTML first byte / DOMContentLoaded / map ready s",
        lambda r: f"{r['ours']['ttfb_s']:.2f} / {r['ours']['dcl_s']:.2f} / {fmt_s(r['ours']['ready_s'], timeout)}")
    add("explore(), first load: HTML first byte / DOMContentLoaded s",
        lambda r: f"{r['explore']['ttfb_s']:.2f} / {r['explore']['dcl_s']:.2f}")
    add("**ours / explore(), bytes all**", lambda r: f"{ratio(r['ours']['bytes'], r['explore']['bytes']):.2f}")
    add("**ours / explore(), bytes without static**",
        lambda r: f"{ratio(r['ours']['bytes_no_static'], r['explore']['bytes_no_static']):.2f}")

    def speed(r):
        value = ratio(r["ours"]["drawn_s"], r["explore"]["drawn_s"])
        if value is None:
            return f"< {r['ours']['drawn_s'] / timeout:.2f}" if r["ours"]["drawn_s"] else "n/a"
        return f"{value:.2f}"
    add("**ours / explore(), draw time**", speed)
    add("ours / explore(), interactive map drawn", lambda r: f"{ratio(r['ours']['interactive_s'], r['explore']['drawn_s']):.2f}"
        if r["ours"]["interactive_s"] and r["explore"]["drawn_s"] else "n/a")
    return "\n".join(lines)


def targets(rows, timeout):
    by = {r["scope"]: r for r in rows}
    out = []
    if "mai_son" in by:
        size = by["mai_son"]["ours"]["bytes_no_static"] / 1024
        out.append(f"- Mai Sơn first load without cached static assets < {TARGET_KB_MAI_SON} KB gzip: "
                   f"{size:.1f} KB → {'MET' if size < TARGET_KB_MAI_SON else 'MISSED'}")
    if "vietnam" in by:
        r = by["vietnam"]
        less = ratio(r["explore"]["bytes"], r["ours"]["bytes"])
        less_ns = ratio(r["explore"]["bytes_no_static"], r["ours"]["bytes_no_static"])
        out.append(f"- Vietnam: ≥ {TARGET_LESS_BYTES}× less transferred than explore() (ours/explore ≤ "
                   f"{1 / TARGET_LESS_BYTES:.2f}): {less:.2f}× less, i.e. ours/explore {1 / less:.2f} "
                   f"(without static {1 / less_ns:.2f}) → "
                   f"{'MET' if min(less, less_ns) >= TARGET_LESS_BYTES else 'MISSED'}")
        faster = ratio(r["explore"]["drawn_s"], r["ours"]["drawn_s"])
        if faster is None and r["ours"]["drawn_s"]:
            bound = timeout / r["ours"]["drawn_s"]
            verdict = "MET" if bound >= TARGET_FASTER else "unknown (explore() timed out)"
            out.append(f"- Vietnam: ≥ {TARGET_FASTER}× faster to draw: > {bound:.1f}× (explore() timed out) → {verdict}")
        else:
            out.append(f"- Vietnam: ≥ {TARGET_FASTER}× faster to draw than explore() (ours/explore ≤ "
                       f"{1 / TARGET_FASTER:.2f}): "
                       + ("n/a" if faster is None else f"{faster:.2f}× as fast, i.e. ours/explore {1 / faster:.2f}")
                       + f" → {'MET' if faster and faster >= TARGET_FASTER else 'MISSED'}")
    return "\n".join(out)


def machine(browser_version):
    memory = "?"
    try:
        kb_total = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        memory = f"{kb_total / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": memory, "chromium": browser_version,
            "python": platform.python_version(), "os": platform.platform()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scopes", nargs="+", default=list(SCOPES), choices=list(SCOPES))
    parser.add_argument("--runs", type=int, default=7, help="warm server requests per median (default 7)")
    parser.add_argument("--draws", type=int, default=5, help="first loads per median draw time (default 5)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds one page may take to draw")
    parser.add_argument("--slow-link", action="store_true",
                        help="load the pages over an emulated slow mobile link: 150 ms latency, 1.6 Mbit/s down")
    parser.add_argument("--report", action="store_true", help="only print the table of the last results.json")
    args = parser.parse_args()
    if args.report:
        result = json.loads((OUT / "results.json").read_text())
        print(render(result, result.get("timeout", args.timeout)))
        return
    if not os.path.exists(CHROMIUM):
        sys.exit(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    OUT.mkdir(exist_ok=True)
    # the in-process app must not write into instance/ nor need a login
    scratch = tempfile.mkdtemp(prefix="bench-", dir=OUT)
    os.environ.update({"MAISON_USERDATA": str(Path(scratch) / "userdata.sqlite"),
                       "MAISON_SECRET_KEY": "benchmark-" + "0" * 32})
    os.environ.pop("MAISON_LOGIN_REQUIRED", None)
    started = time.perf_counter()
    log = lambda text: print(f"[{time.perf_counter() - started:6.1f} s] {text}", flush=True)  # noqa: E731
    from playwright.sync_api import sync_playwright
    rows = []
    try:
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for scope in args.scopes:
                    rows.append(measure(scope, browser, args, log))
                version = browser.version
            finally:
                browser.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(version),
              "command": " ".join([".venv/bin/python", "benchmarks/run.py", *sys.argv[1:]]),
              "indicator": INDICATOR, "period": PERIOD, "scheme": SCHEME, "k": K,
              "timeout": args.timeout, "total_s": time.perf_counter() - started, "rows": rows}
    (OUT / "results.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    report = render(result, args.timeout)
    (OUT / "results.md").write_text(report)
    print("\n" + report)


def render(result, timeout):
    rows = result["rows"]
    m = result["machine"]
    report = (f"{result['date']} · {m['nproc']} CPUs ({m['cpu']}) · {m['memory']} · Chromium {m['chromium']} · "
              f"Python {m['python']} · {m['os']} · `{result.get('command', '')}` · total {result['total_s']:.0f} s\n\n"
              f"{table(rows, timeout)}\n\n{targets(rows, timeout)}\n")
    for row in rows:
        for who in ("ours", "explore"):
            if row[who]["errors"] or row[who]["failed"]:
                report += f"\n{row['scope']} {who}: errors {row[who]['errors']} failed {row[who]['failed']}"
    return report


if __name__ == "__main__":
    main()
