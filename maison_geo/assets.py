"""Every JS/CSS asset served by the app from packaged sources: folium's CDN lists are replaced once, here."""
from pathlib import Path

import folium
import xstatic.pkg.jquery
import xstatic.pkg.leaflet

VENDOR = {"leaflet": Path(xstatic.pkg.leaflet.BASE_DIR), "jquery": Path(xstatic.pkg.jquery.BASE_DIR),
          # not on PyPI: vendored from npm (topojson-client 3.1.0, ISC), with its licence
          "topojson-client": Path(__file__).parent / "vendor" / "topojson-client"}
PREFIX = "/static/vendor"
LICENCES = {"leaflet": "BSD-2-Clause (Leaflet " + xstatic.pkg.leaflet.VERSION + ")",
            "jquery": "MIT (jQuery " + xstatic.pkg.jquery.VERSION + ")",
            "topojson-client": "ISC (topojson-client 3.1.0)"}


def local_js():
    """Leaflet only: nothing on our pages uses jQuery (it stays served, for the explore() benchmark)."""
    return [("leaflet", f"{PREFIX}/leaflet/leaflet.js")]


def local_css():
    return [("leaflet_css", f"{PREFIX}/leaflet/leaflet.css"), ("maison_map_css", "/static/map.css")]


def use_local_assets():
    """Point folium at the app's own copies; drop the assets a plain choropleth does not need."""
    folium.Map.default_js = local_js()
    folium.Map.default_css = local_css()
    for cls in _subclasses(folium.MacroElement):
        for attr in ("default_js", "default_css"):
            listed = cls.__dict__.get(attr)
            if listed and cls is not folium.Map:
                setattr(cls, attr, [(name, url) for name, url in listed if not _remote(url)])


def _remote(url):
    return url.startswith(("http://", "https://", "//"))


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
