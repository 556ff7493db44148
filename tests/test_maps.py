import json
import re
from dataclasses import replace

import pytest

from maison_geo import maps
from maison_geo.classify import classify
from maison_geo.errors import InvalidChoice
from maison_geo.formatting import rounded
from maison_geo.units import Unit
from maison_geo.values import ValueRow, ValueTable, indicator_values


def _table(indicator, values, status="official"):
    rows = [ValueRow(v, status=status if v is not None else None, source="s",
                     unit=Unit("pre2025", f"0{4105 + i}", f"X{i}", f"Xã X{i}", "xa"))
            for i, v in enumerate(values)]
    return ValueTable(indicator, "pre2025", 2024, [2024], rows, ValueRow())


def test_equal_values_make_one_class(catalogue):
    result = classify([5, 5, 5], "fisher_jenks", 5)
    assert result.k == 1 and result.bands[0].count == 3
    view = maps.build_view(_table(catalogue.get("ban_count"), [5, 5, 5]), "quantiles", 5)
    assert [e.label for e in view.legend] == ["5", "No data"]
    assert "nan" not in json.dumps([e.label for e in view.legend]).lower()


def test_all_missing_leaves_only_no_data(catalogue):
    view = maps.build_view(_table(catalogue.get("ban_count"), [None, None]), "quantiles", 4)
    assert view.classification.k == 0
    assert len(view.legend) == 1 and view.legend[0].no_data and view.legend[0].count == 2
    assert {s["fill"] for s in view.styles.values()} == {maps.NO_DATA_COLOR}


def test_one_commune(catalogue):
    view = maps.build_view(_table(catalogue.get("ban_count"), [7]), "equal_interval", 3)
    assert view.classification.k == 1 and view.legend[0].count == 1


def test_fewer_distinct_values_than_classes(catalogue):
    result = classify([1, 1, 2, 2, 3], "quantiles", 5)
    assert 1 <= result.k <= 3
    assert sum(b.count for b in result.bands) == 5
    assert all(b.upper >= b.lower for b in result.bands)


@pytest.mark.parametrize("scheme", ["quantiles", "equal_interval", "fisher_jenks"])
@pytest.mark.parametrize("k", [3, 4, 5])
def test_every_value_falls_in_one_class(store, catalogue, scheme, k):
    table = indicator_values(store, catalogue, "ban_gate_pct", 2024, "pre2025")
    values = [r.value for r in table.rows]
    result = classify(values, scheme, k, catalogue.get("ban_gate_pct"))
    assert result.k <= k and sum(b.count for b in result.bands) == 22
    for value in values:
        i = result.band_of(value)
        shown = rounded(value, result.decimals)
        assert result.bands[i].lower <= shown and (i == result.k - 1 or shown < result.bands[i].upper)


def test_target_scheme_anchors_on_100_percent_without_a_target(catalogue):
    result = classify([10, 60, 90, 100], "target", 4, catalogue.get("ban_gate_pct"))
    assert [(b.lower, b.upper, b.count) for b in result.bands] == [
        (0, 50, 1), (50, 80, 1), (80, 100, 1), (100, 100, 1)]
    assert result.anchor == 100 and not result.anchor_is_target


def test_target_scheme_is_refused_for_a_count_without_target(catalogue):
    with pytest.raises(InvalidChoice):
        classify([1, 2], "target", 4, catalogue.get("ban_count"))


def test_bad_scheme_or_k(catalogue):
    with pytest.raises(InvalidChoice):
        classify([1, 2, 3], "jenks", 3)
    with pytest.raises(InvalidChoice):
        classify([1, 2, 3], "quantiles", 9)


def test_ramp_is_reversed_when_lower_is_better(catalogue):
    better = catalogue.get("ban_gate_pct")
    worse = replace(better, higher_is_better=False)
    assert maps.ramp(worse, 5) == list(reversed(maps.ramp(better, 5)))
    assert maps.NO_DATA_COLOR not in maps.ramp(better, 5)


def test_legend_numbers_follow_the_language(catalogue):
    table = _table(catalogue.get("households"), [1234, 5678, 91011])
    vi = [e.label for e in maps.build_view(table, "equal_interval", 3, "vi").legend]
    en = [e.label for e in maps.build_view(table, "equal_interval", 3, "en").legend]
    assert vi[0].startswith("1.234") and en[0].startswith("1,234")


def fill_of(config, code):
    """The fill colour the page's script gives a unit, from the compact style table."""
    band = config["classOf"].get(code)
    return config["noData"] if band is None else config["palette"][band]


def _map_config(html):
    found = re.search(r"maisonChoropleth\([^,]+, (\{.*\})\);", html)
    assert found, "the map script is missing"
    return json.loads(found.group(1))


def test_rendered_html_carries_the_class_colours(client, catalogue):
    html = client.get("/map?indicator=ban_gate_pct&period=2024&scheme=quantiles&k=5").get_data(as_text=True)
    config = _map_config(html)
    ramp = maps.ramp(catalogue.get("ban_gate_pct"), 5)
    assert len(config["classOf"]) == 22
    fills = {fill_of(config, code) for code in config["classOf"]}
    assert fills <= set(ramp)
    for fill in fills:
        assert fill in html  # the legend swatches show the same colours


def test_no_data_communes_get_grey_and_their_own_legend_entry(client):
    html = client.get("/map?indicator=ban_count&period=2022").get_data(as_text=True)
    config = _map_config(html)
    codes = [r["code"] for r in client.get("/api/values?indicator=ban_count&period=2022").get_json()["rows"]]
    grey = [c for c in codes if fill_of(config, c) == maps.NO_DATA_COLOR]
    assert len(grey) == 21 and "04141" not in grey  # only Chiềng Nơi has a 2022 figure
    assert re.search(r'class="no-data".*?\(21 ', html, re.S)


def test_illustrative_values_are_marked_on_map_and_legend(client):
    html = client.get("/map?indicator=ban_gate_pct&period=2024").get_data(as_text=True)
    config = _map_config(html)
    assert config["banner"] and sorted(config["dashed"]) == sorted(config["classOf"])
    assert 'class="legend-note illustrative"' in html
    census = client.get("/map?indicator=population&period=2019").get_data(as_text=True)
    assert _map_config(census)["banner"] is None and "legend-note illustrative" not in census


def test_tooltip_escapes_names_and_sources(catalogue):
    evil = "<img src=x onerror=alert(1)>"
    row = ValueRow(5, status="reported", source=evil, unit=Unit("pre2025", "04105", evil, evil, "xa"))
    table = ValueTable(catalogue.get("ban_count"), "pre2025", 2024, [2024], [row], ValueRow())
    html = maps.tooltip_html(row, table)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_script_json_cannot_close_the_script():
    text = maps._script_json({"t": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and json.loads(text)["t"].startswith("</script>")


def test_tooltip_has_rank_parts_status_and_source(store, catalogue):
    table = indicator_values(store, catalogue, "ban_gate_pct", 2024, "pre2025")
    view = maps.build_view(table, "quantiles", 5, "vi")
    tip = view.tooltips["04132"]
    assert "Chiềng Mai" in tip and "81,8 %" in tip and "9 / 11" in tip and "/22" in tip
    assert "illustrative" in tip


def test_no_remote_asset_in_any_page(client):
    for url in ("/map", "/map?vintage=post2025", "/communes/pre2025/04132"):
        html = client.get(url).get_data(as_text=True)
        assets = re.findall(r'<(?:script|link|img|iframe)\b[^>]*?(?:src|href)="([^"]+)"', html)
        local = [a for a in assets if "leaflet" in a or a.startswith("/static/bundle/")]  # a bundle holds it
        assert any("leaflet" in a or b"Leaflet" in client.get(a).data for a in local), (url, assets)
        for src in assets:
            assert not src.startswith(("http://", "https://", "//")), (url, src)


def test_map_twins(client):
    data = client.get("/map?indicator=ban_gate_pct&period=2024&format=json").get_json()
    assert data["classification"]["k"] == 5 and len(data["rows"]) == 22
    assert all("color" in r and "class" in r for r in data["rows"])
    geo = client.get("/map?indicator=ban_gate_pct&period=2024&format=geojson")
    assert geo.mimetype == "application/geo+json"
    collection = json.loads(geo.data)
    assert len(collection["features"]) == 22 and collection["illustrative"] is True
    assert {f["properties"]["status"] for f in collection["features"]} == {"illustrative"}
    csv_text = client.get("/map?indicator=ban_gate_pct&period=2024&format=csv").get_data(as_text=True)
    assert csv_text.count("illustrative") >= 22


def test_profile_page_and_twins(client):
    html = client.get("/communes/pre2025/04132").get_data(as_text=True)
    assert "Xã Chiềng Mai" in html and 'id="profile-table"' in html
    data = client.get("/communes/pre2025/04132?format=json").get_json()
    keys = {r["indicator"] for r in data["indicators"]}
    assert {"population", "ban_gate_pct", "hh_grid_pct"} <= keys
    gate = next(r for r in data["indicators"] if r["indicator"] == "ban_count")
    assert gate["value"] == 11 and gate["status"] == "reported"
    assert client.get("/communes/pre2025/99999").status_code == 404
    assert client.get("/communes/1999/04132").status_code == 400


def test_a_small_geometry_is_inside_the_page_a_large_one_is_fetched_early(client, monkeypatch):
    html = client.get("/map?indicator=population&period=2019").get_data(as_text=True)
    config = _map_config(html)
    assert set(config["inline"]) == {config["geojson"], config["outline"]}
    for url, data in config["inline"].items():
        assert data == client.get(url).get_json()  # what the map would have fetched
        assert f'rel="preload" href="{url}"'.replace("&", "&amp;") not in html
    from maison_geo.web import geo
    monkeypatch.setattr(geo, "INLINE_BYTES", 1000)
    html = client.get("/map?indicator=population&period=2019&k=4").get_data(as_text=True)
    config = _map_config(html)
    assert config["inline"] == {}
    assert f'<link rel="preload" href="{config["geojson"]}" as="fetch" crossorigin>'.replace("&", "&amp;") in html


def test_map_geometry_carries_only_what_the_map_needs(client):
    html = client.get("/map?indicator=population&period=2019").get_data(as_text=True)
    config = _map_config(html)
    features = client.get(config["geojson"]).get_json()["features"]
    assert len(features) == 22 and set(features[0]["properties"]) == {"code", "name", "unit_type"}
    full = client.get("/api/units").get_json()["features"][0]["properties"]
    assert {"vintage", "full_name", "area_km2"} <= set(full)


def test_unknown_unit_property_is_refused_with_the_choices(client):
    response = client.get("/api/units?properties=code,colour")
    assert response.status_code == 400
    message = json.dumps(response.get_json(), ensure_ascii=False)
    assert "colour" in message and "full_name" in message


def test_no_data_units_get_no_server_tooltip(client):
    config = _map_config(client.get("/map?indicator=ban_count&period=2022").get_data(as_text=True))
    assert set(config["tooltips"]) == set(config["classOf"]) == {"04141"}
    assert config["unitTypes"]["thi_tran"] == "thị trấn"


def test_large_scopes_skip_the_outline_and_list_valued_rows_only(client, monkeypatch):
    from maison_geo.web import geo, pages
    monkeypatch.setattr(geo, "LABEL_LIMIT", 10)
    monkeypatch.setattr(pages, "TABLE_LIMIT", 10)
    html = client.get("/map?indicator=ban_count&period=2022").get_data(as_text=True)
    assert _map_config(html)["outline"] is None
    assert len(re.findall(r'<tr data-code="', html)) == 1 and 'data-code="04141"' in html
    assert 'class="table-note"' in html


def test_listed_rows_keep_the_best_ranked_valued_rows(catalogue):
    from maison_geo.web.pages import listed_rows
    table = _table(catalogue.get("ban_count"), [5, None, 9, 7, None])
    for rank, row in zip((3, None, 1, 2, None), table.rows):
        row.rank = rank
    assert listed_rows(table.rows, limit=10) == table.rows
    assert [r.value for r in listed_rows(table.rows, limit=2)] == [9, 7]
    assert [r.value for r in listed_rows(table.rows, limit=4)] == [9, 7, 5]
