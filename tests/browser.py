"""Real headless Chromium against the real server, with every host but localhost blocked.

Used by tests/test_browser.py and benchmarks/run.py. Waiting is done by polling page.evaluate() from
Python, not page.wait_for_function(): the latter evaluates its predicate with eval() inside the page,
which the app's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import postgres

CHROMIUM = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else (shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = ("127.0.0.1", "localhost")
# Every URL except http(s)/ws(s) on a local host and data:/blob:. Given as a regex, the pattern is matched
# inside Playwright's driver, so local requests are not paused for a round trip through Python
# (which would add tens of ms to every request and skew the benchmark's timings).
NOT_LOCAL = re.compile(r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost)(?:[:/]|$)|data:|blob:)", re.I)
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(store_path, port, workdir):
    """The server's environment: this store, a private user-data file and secret key (nothing is written
    to instance/), reading open to everyone."""
    env = {key: value for key, value in os.environ.items() if key != "MAISON_LOGIN_REQUIRED"}
    env.update({"HOST": "127.0.0.1", "PORT": str(port), "MAISON_STORE": str(store_path),
                "MAISON_USERDATA": str(Path(workdir) / "userdata.sqlite"),
                "MAISON_PLANNING_DB": str(Path(workdir) / "planning.sqlite"),
                "MAISON_SECRET_KEY": "browser-tests-" + "0" * 32})
    if postgres.enabled() and postgres.TEMPLATE and str(store_path).startswith("postgresql://"):
        env["MAISON_DATABASE_URL"] = postgres.app_database()
    return env


class Server:
    """server.py in a subprocess on a free port; .url once it answers; .stop() ends it (only it)."""

    def __init__(self, store_path, timeout=60, env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._workdir = tempfile.TemporaryDirectory(prefix="maison-server-")
        self._log = open(Path(self._workdir.name) / "server.log", "w+b")
        env = {**server_env(store_path, self.port, self._workdir.name), **(env or {})}
        self.userdata_location = env.get("MAISON_DATABASE_URL") or env["MAISON_USERDATA"]
        self.process = subprocess.Popen([sys.executable, str(REPO / "server.py")], cwd=REPO, env=env,
                                        stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/indicators", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"server.py exited ({self.process.returncode}):\n{self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"server.py did not answer within {timeout} s:\n{self.log()}")
            time.sleep(0.2)

    @property
    def workdir(self):
        """The server's own folder: its log, and its SQLite files when it has no database URL."""
        return Path(self._workdir.name)

    def log(self):
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()
        self._workdir.cleanup()


def host_of(url):
    return (urlsplit(url).hostname or "").lower()


class Watch:
    """Records (and aborts) every request a page makes to a host other than localhost, and every error
    it logs (console.error, uncaught exceptions, failed loads)."""

    def __init__(self, page):
        self.outside, self.errors = [], []
        page.route(NOT_LOCAL, self._route)
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _route(self, route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or host_of(url) in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def check(self):
        assert self.outside == [], f"requests left localhost: {self.outside}"
        assert self.errors == [], f"errors in the page: {self.errors}"


def wait_until(page, expression, timeout=20.0, interval=0.05):
    """Poll a JS expression until it is truthy; returns its value. Fails with the expression on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for: {expression}")
        page.wait_for_timeout(interval * 1000)


def wait_for_map(page, count=1, timeout=20.0):
    """Until `count` maps on the page have drawn their polygons (window.maisonMaps[*].ready)."""
    wait_until(page, f"(window.maisonMaps || []).length >= {count} && window.maisonMaps.every(s => s.ready)",
               timeout)


def hover_unit(page, code):
    """Hover a point inside one unit's polygon (its centre may lie in a neighbour); returns the point."""
    point = page.evaluate("""code => {
        const state = window.maisonMap, layer = state.byCode[code];
        const map = state.map;
        const pt = map.latLngToContainerPoint(layer.getCenter());
        const box = map.getContainer().getBoundingClientRect();
        // walk a small spiral until the hit element is this layer's path
        for (let r = 0; r < 60; r += 3) {
          for (let a = 0; a < 6.3; a += 0.5) {
            const x = box.left + pt.x + r * Math.cos(a), y = box.top + pt.y + r * Math.sin(a);
            if (document.elementFromPoint(x, y) === layer._path) return [x, y];
          }
        }
        return null;
    }""", code)
    assert point, f"no visible point of {code}"
    page.mouse.move(*point)
    return point


def open_page(browser, url, viewport=None, **options):
    """A new page (its own context) on url, watched, once its map is drawn; close it with close()."""
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 768}, **options)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.watch = Watch(page)
    page.goto(url)
    wait_for_map(page)
    return page


def close(page):
    """Check the page kept to localhost and logged no error, then close it."""
    try:
        page.watch.check()
    finally:
        page.context.close()
