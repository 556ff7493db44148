import unicodedata

import pytest

from maison_geo import figures as fg
from maison_geo.indicators import KINDS, Catalogue

REQUIRED_KEYS = ["population", "households", "road_paved_to_centre", "road_widened_km",
                 "road_widened_routes", "ban_count", "ban_with_gate", "ban_gate_pct", "ban_with_sports",
                 "ban_sports_pct", "hh_gate_light", "hh_gate_light_pct", "hh_grid", "hh_grid_pct",
                 "hh_clean_water", "hh_clean_water_pct"]


def test_catalogue_has_every_required_key(catalogue):
    assert set(REQUIRED_KEYS) <= set(catalogue.keys())


def test_every_indicator_is_complete(catalogue):
    for ind in catalogue:
        assert ind.kind in KINDS
        assert ind.label_vi and ind.label_en and ind.source
        assert ind.higher_is_better in (True, False, None)
        if ind.kind == "percent" and not (ind.district_only or ind.reported_only):
            assert catalogue.get(ind.numerator) and catalogue.get(ind.denominator)
        if ind.target is not None:
            assert ind.target.source


def test_percent_without_parts_is_rejected(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"key": "x_pct", "label_vi": "x", "label_en": "x", "unit": "%", "unit_en": "%",'
                    ' "kind": "percent", "higher_is_better": true, "source": "s"}]', encoding="utf-8")
    with pytest.raises(ValueError, match="numerator"):
        Catalogue.load(path)


def test_catalogue_api_lists_it(client, catalogue):
    listed = client.get("/api/indicators").get_json()
    assert [i["key"] for i in listed] == catalogue.keys()
    gate = next(i for i in listed if i["key"] == "ban_gate_pct")
    assert (gate["numerator"], gate["denominator"]) == ("ban_with_gate", "ban_count")


@pytest.fixture(scope="module")
def authored():
    return fg.load_authored()


def test_census_2019_sums_to_the_district(authored):
    census = [f for f in authored if f.period == 2019 and f.status == "official"]
    assert sum(f.value for f in census if f.indicator == "population") == 163_881
    assert sum(f.value for f in census if f.indicator == "households") == 38_646
    assert len({f.code for f in census}) == 22


def test_district_report_figures(authored):
    report = {f.indicator: f for f in authored if f.level == fg.DISTRICT}
    expected = {"road_widened_routes": 213, "road_widened_km": 282, "ban_count": 291,
                "ban_with_gate": 137, "ban_with_sports": 237, "hh_gate_light": 17_280,
                "households": 39_283, "hh_grid_pct": 99.05, "hh_clean_water_urban_pct": 100,
                "hh_hygienic_water_rural_pct": 98, "road_paved_to_centre": 21}
    assert {k: report[k].value for k in expected} == expected
    assert report["road_paved_to_centre"].denominator == 21
    for fig in report.values():
        assert fig.status == "official" and fig.period == 2024 and "no date" in fig.note


def test_every_figure_has_status_source_and_nfc_text(authored):
    for fig in authored:
        assert fig.status in fg.STATUSES and fig.source
        assert fig.source == unicodedata.normalize("NFC", fig.source)


def test_news_facts_are_reported_with_their_date(authored):
    news = [f for f in authored if f.status == "reported"]
    assert {(f.code, f.indicator, f.value) for f in news} >= {
        ("04132", "ban_count", 11), ("04141", "ban_count", 15), ("04150", "hh_grid_pct", 100)}
    assert all("as of" in f.note and "http" in f.source for f in news)


def test_resolve_prefers_the_strongest_status():
    made = fg.Figure("pre2025", "unit", "04132", "ban_count", 2024, 12, "illustrative", "s")
    real = fg.Figure("pre2025", "unit", "04132", "ban_count", 2024, 11, "reported", "news")
    assert fg.resolve([made, real])[made.key] is real
    assert fg.resolve([real, made])[made.key] is real
    assert fg.weakest(["official", "illustrative", "reported"]) == "illustrative"
