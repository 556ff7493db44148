from collections import defaultdict

import pytest

from maison_geo import figures as fg
from maison_geo import illustrative
from maison_geo.paths import GEODATA


@pytest.fixture(scope="module")
def demo():
    by = defaultdict(dict)
    for fig in fg.read_csv(GEODATA / "figures" / "illustrative_2024.csv"):
        assert fig.status == "illustrative" and fig.period == 2024 and "illustrative" in fig.note
        by[fig.indicator][fig.code] = fig.value
    return by


@pytest.mark.parametrize("key, total", [("households", 39_283), ("ban_count", 291),
                                        ("ban_with_gate", 137), ("ban_with_sports", 237),
                                        ("hh_gate_light", 17_280), ("road_widened_routes", 213),
                                        ("road_widened_km", 282), ("hh_grid", round(39_283 * 0.9905))])
def test_counts_sum_exactly_to_the_district(demo, key, total):
    assert len(demo[key]) == 22
    assert sum(demo[key].values()) == total


def test_every_reported_count_of_2024_is_kept_and_the_22_still_sum_to_291(demo, store, catalogue):
    from maison_geo.values import indicator_values
    reported = [f for f in fg.load_authored() if f.status == "reported" and f.indicator == "ban_count"
                and f.vintage == "pre2025" and f.period == 2024]
    assert {f.code: f.value for f in reported} == {"04132": 11, "04135": 16, "04138": 29}
    for fig in reported:
        assert demo["ban_count"][fig.code] == fig.value, fig.code
    shown = indicator_values(store, catalogue, "ban_count", 2024, "pre2025").rows
    assert {r.unit.code: r.status for r in shown if r.unit.code in ("04132", "04135", "04138")} == \
        {"04132": "reported", "04135": "reported", "04138": "reported"}
    assert sum(r.value for r in shown) == 291


def test_real_commune_facts_are_kept(demo):
    assert demo["ban_count"]["04132"] == 11 and demo["ban_count"]["04141"] == 15
    assert demo["households"]["04132"] == 1296
    assert demo["hh_grid"]["04150"] == demo["households"]["04150"]  # Chiềng Kheo 100 %
    assert demo["road_widened_km"]["04132"] == 22
    assert demo["ban_with_gate"]["04132"] >= 9
    assert demo["ban_count"]["04136"] + demo["ban_count"]["04165"] == 20  # new Tà Hộc, 2025
    assert demo["ban_count"]["04136"] == 13 and demo["ban_count"]["04159"] == 19  # Nà Bó 2020, Phiêng Pằn 2021


def test_clean_water_matches_urban_100_and_rural_98(demo):
    urban = demo["hh_clean_water"]["04105"]
    assert urban == demo["households"]["04105"]
    rural_hh = sum(v for c, v in demo["households"].items() if c != "04105")
    rural = sum(v for c, v in demo["hh_clean_water"].items() if c != "04105")
    assert rural == round(rural_hh * 0.98)


@pytest.mark.parametrize("num, den", [("ban_with_gate", "ban_count"), ("ban_with_sports", "ban_count"),
                                      ("hh_gate_light", "households"), ("hh_grid", "households"),
                                      ("hh_clean_water", "households"),
                                      ("road_widened_routes", "road_widened_km")])
def test_numerators_never_exceed_denominators(demo, num, den):
    for code, value in demo[num].items():
        assert 0 <= value <= demo[den][code], (num, code)


def test_the_committed_file_is_what_the_seeded_script_makes(demo):
    remade = defaultdict(dict)
    for fig in illustrative.build_figures():
        remade[fig.indicator][fig.code] = fig.value
    assert remade == demo


def test_apportion_respects_bounds_and_total():
    parts = illustrative.apportion(10, [1, 1, 1], lower=[0, 5, 0], upper=[1, 9, 9])
    assert sum(parts) == 10 and parts[0] <= 1 and parts[1] >= 5
    assert illustrative.apportion(7, [1, 2, 4]) == [1, 2, 4]
    with pytest.raises(ValueError):
        illustrative.apportion(10, [1, 1], upper=[3, 3])
