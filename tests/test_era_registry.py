"""The eras and scopes are data (geodata/eras.json, geodata/scopes.json): the registry reads them, and no
module names an era, the district's code or its name outside the registry."""
import ast
import csv
import json
import re
from dataclasses import replace

import pytest

from maison_geo import eras, paths
from maison_geo.errors import InvalidChoice
from maison_geo.units import load_register

PACKAGE = paths.REPO / "maison_geo"
REGISTRY = PACKAGE / "eras.py"
TRANSLATED = {"_", "N_", "gettext", "ngettext", "lazy_gettext"}  # msgids are translations, not code
FORBIDDEN = (re.compile(r"\b(pre|post)2025\b"), re.compile(r"^(125|22|8)$"), re.compile(r"huyện mai sơn", re.I),
             re.compile(r"\b(22|8) (xã|communes?|former communes|units)\b"))


# ---- no era, district code or district name in the code -------------------------------------------------

def _docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                yield first.value


def _translated(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in TRANSLATED:
            for arg in node.args:
                yield from ast.walk(arg)


def literals_in(source):
    """[(line, text)] of the string constants that name an era, the district or its unit counts."""
    tree = ast.parse(source)
    skipped = {id(n) for n in (*_docstrings(tree), *_translated(tree))}
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
                  and any(p.search(node.value) for p in FORBIDDEN))


def test_the_literal_finder_finds_what_it_must_and_only_that():
    assert literals_in('x = "pre2025"\n') == [(1, "pre2025")]
    assert literals_in('f(vintage="post2025")\ncode = "125"\n') == [(1, "post2025"), (2, "125")]
    assert literals_in('name = "Huyện Mai Sơn (cũ)"\nlabel = f"{era} (8 xã)"\n') == [
        (1, "Huyện Mai Sơn (cũ)"), (2, " (8 xã)")]
    assert literals_in('"""The pre2025 units."""\ndef f():\n    """22 communes"""\n'
                       'x = _("the 22 communes (pre2025)")\ny = N_("post2025")\nsize = 8\n') == []


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py") if p != REGISTRY and "vendor" not in p.parts),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_names_an_era_or_the_district_outside_the_registry(path):
    assert literals_in(path.read_text(encoding="utf-8")) == []


# ---- the registry ----------------------------------------------------------------------------------------

def test_eras_in_order_with_their_neighbours():
    assert eras.keys() == ("pre2025", "post2025")
    old, new = eras.eras()
    assert eras.default_era() is old
    assert (eras.previous(old), eras.previous(new), eras.following(old), eras.following("post2025")) == (
        None, old, new, None)
    assert (eras.other(old), eras.other(new)) == (new, old)
    assert old.end == new.start == eras.reform_date() == "2025-07-01"
    assert (old.label("vi"), new.label("en")) == ("Trước 1/7/2025", "From 1 July 2025")


def test_an_unknown_era_is_an_invalid_choice_naming_the_eras():
    with pytest.raises(InvalidChoice) as raised:
        eras.era("2020")
    assert raised.value.choices == ["pre2025", "post2025"]


def test_each_era_has_its_register_its_boundary_source_and_its_crosswalk():
    with open(paths.GEODATA / "sources.json", encoding="utf-8") as f:
        sources = json.load(f)
    for era in eras.eras():
        assert sources[era.boundary_source]["vintage"] == era.key
        assert eras.by_source(era.boundary_source) is era
        assert load_register(era.key)
    old, new = eras.eras()
    assert old.crosswalk is None
    with open(paths.GEODATA / new.crosswalk, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["old_code"] for r in rows} == {u.code for u in load_register(old.key)}
    assert {r["new_code"] for r in rows} == {u.code for u in load_register(new.key)}
    assert {r["effective_date"] for r in rows} == {new.start}


@pytest.mark.parametrize("word, key", [("truoc 1/7/2025", "pre2025"), ("pre", "pre2025"),
                                       ("sau sap nhap", "post2025"), ("tu 1/7/2025", "post2025"), ("2020", None)])
def test_how_people_write_an_era(word, key):
    found = eras.from_word(word)
    assert (found.key if found else None) == key


def test_an_era_column_in_words_is_read_as_its_era():
    from test_ingest import check, declared
    report = check("code;indicator;vintage;value\n04108;households;sau 1/7/2025;10\n", declared(vintage="post2025"))
    assert not [p for p in report.errors if p.code == "vintage_mismatch"]
    report = check("code;indicator;vintage;value\n04108;households;sau 1/7/2025;10\n", declared())
    assert [p for p in report.errors if p.code == "vintage_mismatch"]


def test_the_scopes_their_parent_unit_and_their_counts():
    mai_son = eras.scope("mai_son")
    assert (mai_son.parent.level, mai_son.parent_code) == ("district", "125")
    assert (mai_son.parent_name("pre2025"), mai_son.parent_name("post2025")) == ("Huyện Mai Sơn", "Huyện Mai Sơn (cũ)")
    assert {e.key: mai_son.expected(e.key) for e in eras.eras()} == {e.key: len(load_register(e.key)) for e in eras.eras()}
    assert eras.scope("vietnam").parent is None and eras.scope("vietnam").parent_name("pre2025") == ""
    assert eras.scope(eras.DEFAULT_SCOPE) is mai_son
    with pytest.raises(ValueError, match="mai_son, son_la, vietnam"):
        eras.scope("hanoi")


def test_the_registry_is_read_from_the_geodata_it_is_given(geodata_copy):
    path = geodata_copy / "eras.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["eras"].append({**data["eras"][-1], "key": "post2030", "start": "2030-01-01",
                         "crosswalk": "crosswalk_2030.csv"})
    data["eras"][1]["end"] = "2030-01-01"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert eras.keys(geodata_copy) == ("pre2025", "post2025", "post2030")
    assert eras.following("post2025", geodata_copy).key == "post2030"
    assert eras.reform_date(geodata_copy) == "2030-01-01"
    assert eras.keys() == ("pre2025", "post2025")


def test_the_template_names_the_era_and_its_units():
    from maison_geo.ingest import era_label
    assert era_label(load_register("pre2025"), "pre2025") == "trước 1/7/2025 (22 xã, thị trấn)"
    assert era_label(load_register("post2025"), "post2025") == "từ 1/7/2025 (8 xã)"


# ---- what code does with it ------------------------------------------------------------------------------

def test_figures_are_aggregated_along_the_registry_crosswalk(store, catalogue, monkeypatch):
    from maison_geo.figures import UNIT
    from maison_geo.values import FigureIndex
    assert FigureIndex(store, catalogue, "post2025").get(UNIT, "04105", "population", 2019).value == 45_734
    without = tuple(replace(e, crosswalk=None) for e in eras.eras())
    monkeypatch.setattr(eras, "eras", lambda geodata=None: without)
    assert FigureIndex(store, catalogue, "post2025").get(UNIT, "04105", "population", 2019) is None


def test_the_district_row_is_the_scope_parent(store, catalogue, monkeypatch):
    from maison_geo.values import FigureIndex, indicator_values
    district = indicator_values(store, catalogue, "ban_gate_pct", 2024, "pre2025").district
    assert district.value == pytest.approx(100 * 137 / 291) and district.status == "official"
    monkeypatch.setattr(eras, "scope_of", lambda store: eras.scope("vietnam"))
    index = FigureIndex(store, catalogue, "pre2025")  # not the cached one, made for the store's own scope
    district = indicator_values(store, catalogue, "ban_gate_pct", 2024, "pre2025", index=index).district
    assert district.status == "illustrative"  # no parent unit: the sum of the communes' figures


@pytest.mark.parametrize("vintage, name", [("pre2025", "Huyện Mai Sơn"), ("post2025", "Huyện Mai Sơn (cũ)")])
def test_the_csv_names_the_parent_unit_of_the_era(client, vintage, name):
    text = client.get(f"/api/values?indicator=population&period=2019&vintage={vintage}&format=csv").get_data(
        as_text=True)
    district = [r for r in csv.DictReader(text.lstrip("\ufeff").splitlines()) if r["level"] == "district"]
    assert [r["name"] for r in district] == [name]


@pytest.mark.parametrize("lang, old, new", [("vi", "Trước 1/7/2025 (22 xã)", "Từ 1/7/2025 (8 xã)"),
                                            ("en", "Before 1 July 2025 (22 communes)", "From 1 July 2025 (8 communes)")])
def test_the_era_choices_carry_the_registry_labels(client, lang, old, new):
    html = client.get(f"/map?lang={lang}").get_data(as_text=True)
    assert f'<option value="pre2025" selected>{old}</option>' in html
    assert f'<option value="post2025">{new}</option>' in html
    profile = client.get(f"/communes/post2025/04136?lang={lang}").get_data(as_text=True)
    assert f"(04136, {new})" in profile


def test_only_the_crosswalk_rows_into_an_era_lead_into_it():
    rows = [{"old_code": "1", "new_code": "2", "effective_date": "2025-07-01"},
            {"old_code": "2", "new_code": "3", "effective_date": "2030-01-01"}, {"old_code": "4", "new_code": "5"}]
    assert [r["old_code"] for r in eras.crosswalk_into("post2025", rows)] == ["1", "4"]
    assert eras.crosswalk_into("pre2025", rows) == [rows[2]]  # no start: only undated rows


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(default="post2030"), "default 'post2030'"),
    (lambda d: d["eras"].append(d["eras"][0]), "with default"),
    (lambda d: d["eras"][0].update(end="2025-06-30"), "pre2025 ends 2025-06-30 but post2025 begins 2025-07-01")])
def test_a_registry_that_does_not_hold_together_is_refused(geodata_copy, change, message):
    from maison_geo.errors import DataError
    path = geodata_copy / "eras.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        eras.eras(geodata_copy)
