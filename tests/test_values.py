import pytest

from maison_geo.errors import InvalidChoice
from maison_geo.values import indicator_values

POST2025_POPULATION = {"04105": 45_734, "04108": 12_331, "04117": 10_240, "04123": 27_097,
                       "04132": 21_547, "04136": 12_209, "04144": 12_854, "04159": 21_869}


def test_percent_is_numerator_over_denominator(store, catalogue):
    table = indicator_values(store, catalogue, "ban_gate_pct", 2024, "pre2025")
    for row in table.rows:
        assert row.value == pytest.approx(100 * row.numerator / row.denominator)
        assert row.status == "illustrative"
    assert table.district.value == pytest.approx(100 * 137 / 291)
    assert table.district.status == "official"
    assert table.illustrative


def test_reported_figure_wins_over_illustrative(store, catalogue):
    rows = {r.unit.code: r for r in indicator_values(store, catalogue, "ban_count", 2024, "pre2025").rows}
    assert rows["04132"].status == "reported" and rows["04132"].value == 11
    assert rows["04108"].status == "illustrative"


def test_post2025_population_is_the_sum_of_former_communes(store, catalogue):
    table = indicator_values(store, catalogue, "population", 2019, "post2025")
    assert {r.unit.code: r.value for r in table.rows} == POST2025_POPULATION
    assert all(r.status == "official" for r in table.rows)
    assert table.district.value == 163_881


def test_post2025_percent_is_summed_parts_not_an_average(store, catalogue):
    old = {r.unit.code: r for r in indicator_values(store, catalogue, "ban_gate_pct", 2024, "pre2025").rows}
    new = {r.unit.code: r for r in indicator_values(store, catalogue, "ban_gate_pct", 2024, "post2025").rows}
    parts = ["04120", "04132", "04147", "04150", "04153"]  # → new Chiềng Mai
    num = sum(old[c].numerator for c in parts)
    den = sum(old[c].denominator for c in parts)
    assert new["04132"].value == pytest.approx(100 * num / den)
    assert new["04132"].value != pytest.approx(sum(old[c].value for c in parts) / len(parts))
    assert new["04132"].status == "illustrative"  # any illustrative part


def test_booleans_become_k_of_n_former_communes(store, catalogue):
    rows = {r.unit.code: r for r in indicator_values(store, catalogue, "road_paved_to_centre", 2024,
                                                      "post2025").rows}
    assert (rows["04132"].value, rows["04132"].denominator) == (5, 5)
    assert (rows["04105"].value, rows["04105"].denominator) == (2, 2)  # the thị trấn does not count


def test_figures_recorded_for_new_units_win(store, catalogue):
    rows = {r.unit.code: r for r in indicator_values(store, catalogue, "ban_count", 2025, "post2025").rows}
    assert rows["04136"].value == 20 and rows["04136"].status == "reported"


def test_published_district_percent_is_used_as_published(store, catalogue):
    table = indicator_values(store, catalogue, "hh_grid_pct", 2024, "pre2025")
    assert table.district.value == 99.05 and table.district.numerator is None


def test_default_period_has_the_most_communes(store, catalogue):
    assert indicator_values(store, catalogue, "ban_count", None, "pre2025").period == 2024
    assert indicator_values(store, catalogue, "population", None, "post2025").period == 2019


def test_invalid_period_names_the_valid_ones(store, catalogue):
    with pytest.raises(InvalidChoice) as err:
        indicator_values(store, catalogue, "population", 2024, "pre2025")
    assert err.value.choices == [2019]


def test_ranks_put_the_highest_first(store, catalogue):
    rows = indicator_values(store, catalogue, "population", 2019, "pre2025").rows
    top = min(rows, key=lambda r: r.rank)
    assert top.unit.code == "04138" and top.rank == 1  # Cò Nòi, 19,083 people


class WithoutFigures:
    """The store without any figure of one indicator."""

    def __init__(self, store, key):
        self._store, self._key = store, key

    def __getattr__(self, name):
        return getattr(self._store, name)

    def figures(self, vintage=None):
        return [f for f in self._store.figures(vintage) if f.indicator != self._key]


@pytest.mark.parametrize("period", [None, 2024, "abc"])
def test_no_period_at_all_says_so(store, catalogue, period):
    with pytest.raises(InvalidChoice) as err:
        indicator_values(WithoutFigures(store, "ban_count"), catalogue, "ban_count", period, "pre2025")
    message = str(err.value)
    assert err.value.choices == [] and "(none)" not in message and "choose one of" not in message
    assert "no value of period is available for ban_count in era pre2025" in message


def test_an_invalid_choice_without_choices_gives_its_reason():
    assert str(InvalidChoice("budget", "x", [], "a number is needed")) == "budget='x' is not valid: a number is needed"
    assert str(InvalidChoice("period", None, [])) == "no value of period is available"
    assert str(InvalidChoice("k", 9, [3, 4, 5])) == "k=9 is not valid; choose one of: 3, 4, 5"
