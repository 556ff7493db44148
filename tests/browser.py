"""Real headless Chromium against the real server, with every host but localhost blocked."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = ("127.0.0.1", "localhost")
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(store_path, port, extra_env=None):
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "MAISON_STORE": str(store_path),
           **(extra_env or {})}
    process = subprocess.Popen([sys.executable, str(REPO / "server.py")], env=env, cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/indicators", timeout=2)
            return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode(errors="replace"))
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not answer within 30 s")


class Watch:
    """Records what a page asked of other hosts (and aborts it) and what it logged as errors."""

    def __init__(self, page):
        self.outside, self.errors = [], []
        page.route("**/*", self._route)
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _route(self, route):
        host = route.request.url.split("/")[2].rsplit(":", 1)[0].strip("[]")
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()


def wait_for_map(page, count=1):
    page.wait_for_function(
        f"(window.maisonMaps || []).length >= {count} && window.maisonMaps.every(s => s.ready)",
        timeout=20000)


def hover_unit(page, code):
    """Hover a point inside one unit's polygon (its centre may lie in a neighbour)."""
    point = page.evaluate("""code => {
        const state = window.maisonMap, layer = state.byCode[code];
        const map = state.map, poly = layer.getLatLngs ? layer : null;
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
