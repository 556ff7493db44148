"""Counts and lengths are drawn as circles scaled by area, with the rate one click away."""
import math
import re

import pytest

from maison_geo import symbols
from maison_geo.indicators import Catalogue

COUNTS = [i.key for i in Catalogue.load().mappable() if i.kind in ("count", "length_km")]


@pytest.mark.parametrize("key", COUNTS)
def test_counts_default_to_circles_scaled_by_area(client, key):
    data = client.get(f"/map?indicator={key}&format=json").get_json()
    scale = data["classification"]
    assert scale["scheme"] == "proportional" and scale["scaled_by"] == "area" and scale["classes"] == []
    valued = [r for r in data["rows"] if r["value"]]
    assert valued and all(r["class"] is None for r in data["rows"])
    largest = max(r["value"] for r in valued)
    for row in valued:
        assert row["radius_px"] == pytest.approx(scale["max_radius_px"] * math.sqrt(row["value"] / largest), abs=0.01)
    assert 2 <= len(scale["references"]) <= 3 or len(valued) == 1
    assert [r["value"] for r in scale["references"]] == sorted((r["value"] for r in scale["references"]), reverse=True)


def test_a_count_links_to_its_rate_and_the_rate_back(client):
    page = client.get("/map?indicator=hh_grid").get_data(as_text=True)
    assert "indicator=hh_grid_pct" in re.search(r'class="legend-switch"><a href="([^"]+)"', page).group(1)
    assert 'class="legend-circles"' in page and page.count('class="ref-circle"') in (2, 3)
    rate = client.get("/map?indicator=hh_grid_pct").get_data(as_text=True)
    assert "indicator=hh_grid&" in re.search(r'class="legend-switch"><a href="([^"]+)"', rate).group(1).replace("&amp;", "&") + "&"


def test_a_count_can_still_be_classed_and_a_rate_never_circled(client):
    classed = client.get("/map?indicator=population&symbol=choropleth&format=json").get_json()
    assert classed["classification"]["scheme"] == "quantiles"
    response = client.get("/map?indicator=hh_grid_pct&symbol=circles")
    assert response.status_code == 400 and "symbol" in response.get_data(as_text=True)


def test_reference_values_are_round_and_below_the_largest():
    assert symbols.reference_values(16931) == [10000, 5000, 1000]
    assert symbols.reference_values(7) == [5, 2]
    assert symbols.radius(0, 10) == 0 and symbols.radius(10, 10) == symbols.MAX_RADIUS_PX
    assert symbols.radius(2.5, 10) == pytest.approx(symbols.MAX_RADIUS_PX / 2)
