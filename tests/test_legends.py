"""Legends that cannot be misread: for every mappable indicator × scheme × k × era, what the table,
tooltip and exports show for a value falls inside the class whose limits the legend shows."""
import html as htmllib
import re

import pytest

from maison_geo.classify import CLASSED_KINDS, SCHEMES
from maison_geo.indicators import Catalogue

NUMBER = {"vi": r"\d{1,3}(?:\.\d{3})*(?:,\d+)?", "en": r"\d{1,3}(?:,\d{3})*(?:\.\d+)?"}


def _read(text, lang):
    found = re.search(NUMBER[lang], text).group()
    return float(found.replace(".", "").replace(",", ".")) if lang == "vi" else float(found.replace(",", ""))


def _limits(label, lang):
    """(lower, upper or None, decimals) as the label shows them."""
    numbers = re.findall(NUMBER[lang], label)
    decimal = "," if lang == "vi" else "."
    places = {len(n.split(decimal)[1]) if decimal in n else 0 for n in numbers}
    assert len(places) == 1, f"one precision in {label!r}"
    values = [_read(n, lang) for n in numbers]
    if label.startswith("≥"):
        return values[0], None, places.pop()
    if "< " in label:
        return values[0], values[1], places.pop()
    assert len(values) == 1
    return values[0], values[0], places.pop()


def _category_text(text, lang):
    """The legend label of a shown yes/no or category: 'k/n' of former communes reads yes, no or partly."""
    parts = re.fullmatch(r"(\d+)/(\d+)", text)
    if not parts:
        return text
    done, of = map(int, parts.groups())
    yes, no, partly = ("Có", "Không", "Một số xã cũ") if lang == "vi" else ("Yes", "No", "Some former communes")
    return yes if done == of else no if done == 0 else partly


def _views():
    for ind in Catalogue.load().mappable():
        for vintage in ("pre2025", "post2025"):
            for scheme in SCHEMES:
                if scheme == "target" and ind.kind != "percent" and not ind.target:
                    continue
                for k in (3, 4, 5):
                    yield ind.key, ind.kind, vintage, scheme, k


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_shown_value_falls_in_its_shown_class(client, lang):
    checked = 0
    for key, kind, vintage, scheme, k in _views():
        url = f"/map?indicator={key}&vintage={vintage}&scheme={scheme}&k={k}&lang={lang}&symbol=choropleth"
        data = client.get(url + "&format=json").get_json()
        classes = data["classification"]["classes"]
        labels = [c["label"] for c in classes]
        where = f"{url}: {labels}"
        assert len(set(labels)) == len(labels), where
        class_of_text = {}
        for row in data["rows"]:
            if row["value"] is None:
                assert row["class"] is None and row["value_text"] == "–", where
                continue
            text, cls = row["value_text"], row["class"]
            assert class_of_text.setdefault(text, cls) == cls, f"{where}: {text} in two classes"
            if kind not in CLASSED_KINDS:
                assert labels[cls] == _category_text(text, lang), where
                continue
            shown = _read(text, lang)
            lower, upper, places = _limits(labels[cls], lang)
            decimal = "," if lang == "vi" else "."
            assert (len(re.search(NUMBER[lang], text).group().split(decimal)) > 1) == (places > 0), where
            assert lower <= shown and (upper is None or shown < upper or lower == upper), f"{where}: {text}"
            checked += 1
        if kind in CLASSED_KINDS and classes:
            bounds = [_limits(label, lang) for label in labels]
            step = 10 ** -bounds[0][2]
            for lower, upper, _ in bounds:
                assert upper is None or upper == lower or upper - lower >= step - 1e-9, where
            if scheme != "target":
                assert len(classes) <= len(class_of_text), f"{where}: more classes than shown values"
            assert [c["lower"] for c in classes] == sorted(c["lower"] for c in classes), where
        if kind in CLASSED_KINDS and len(classes) > 1:
            assert labels[-1].startswith("≥ ") and " – < " in labels[0], where
    assert checked > 1000


def test_the_page_shows_the_json_twins_labels_and_value_texts(client):
    url = "/map?indicator=hh_grid_pct&vintage=post2025&scheme=quantiles&k=5"
    page = htmllib.unescape(client.get(url).get_data(as_text=True))
    data = client.get(url + "&format=json").get_json()
    for cls in data["classification"]["classes"]:
        assert f'<span class="range">{cls["label"]}</span>' in page
    for row in data["rows"]:
        assert row["value_text"] in page


def test_close_values_that_read_the_same_share_a_class(catalogue):
    from maison_geo import maps
    from tests.test_maps import _table
    table = _table(catalogue.get("hh_grid_pct"), [98.01, 98.04, 99.08, 99.09, 99.091, 98.5, 98.7, 99.6])
    view = maps.build_view(table, "quantiles", 5, "vi")
    by_text = {}
    for code, text in view.value_texts.items():
        assert by_text.setdefault(text, view.styles[code]["band"]) == view.styles[code]["band"]
    labels = [e.label for e in view.legend[:-1]]
    assert labels[0].startswith("98,0 – < ") and labels[-1].startswith("≥ ")
    assert all(not re.search(r",\d\d", label) for label in labels)  # one decimal throughout


def test_yes_no_is_never_classed(client):
    data = client.get("/map?indicator=road_paved_to_centre&format=json").get_json()
    labels = [c["label"] for c in data["classification"]["classes"]]
    assert data["classification"]["scheme"] == "categories"
    assert "1 classes" not in client.get("/map?indicator=road_paved_to_centre").get_data(as_text=True)
    assert all(not re.search(r"\d", label) or "/" in label for label in labels)
