"""Print exports of a map: PDF (text with Vietnamese diacritics, fonts embedded), PNG at 300 dpi, SVG;
a stamp whenever a value shown is illustrative."""
import io
import shutil
import subprocess

import pytest
from PIL import Image

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def pdf_text(data, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_fonts(data, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


@needs_poppler
def test_pdf_of_an_illustrative_map_has_its_texts_legend_and_stamp(client, tmp_path):
    url = "/map?indicator=hh_grid_pct&period=2024&scheme=quantiles&k=5"
    response = client.get(url + "&format=pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert "SỐ LIỆU MINH HỌA" in text
    assert "Tỷ lệ hộ dùng điện lưới quốc gia" in text and "Chiềng Mai" in text and "TT Hát Lót" in text
    for cls in client.get(url + "&format=json").get_json()["classification"]["classes"]:
        assert cls["label"] in text
    assert "GADM 4.1" in text and "Nguồn số liệu" in text and "km" in text
    fonts = pdf_fonts(response.data, tmp_path)
    assert fonts and all("yes" == row[-5] for row in fonts), fonts  # the 'emb' column
    assert all("Type 3" not in " ".join(row) for row in fonts)


@needs_poppler
def test_official_figures_carry_no_stamp_and_english_is_english(client, tmp_path):
    census = pdf_text(client.get("/map?indicator=population&period=2019&format=pdf").data, tmp_path)
    assert "MINH HỌA" not in census and "Dân số" in census
    english = pdf_text(client.get("/map?indicator=ban_gate_pct&period=2024&format=pdf&lang=en").data, tmp_path)
    assert "ILLUSTRATIVE DATA" in english and "Share of villages with a gate" in english


def test_png_is_300_dpi_a4_landscape_by_default_and_a3_on_request(client):
    image = Image.open(io.BytesIO(client.get("/map?indicator=ban_gate_pct&format=png").data))
    assert image.size == (round(11.69 * 300), round(8.27 * 300))
    assert round(image.info["dpi"][0]) == 300
    small = Image.open(io.BytesIO(client.get("/map?indicator=ban_gate_pct&format=png&paper=a3&dpi=100").data))
    assert small.size == (round(16.54 * 100), round(11.69 * 100))


def test_svg_keeps_text_as_text(client):
    response = client.get("/map?indicator=hh_grid&format=svg")
    assert response.mimetype == "image/svg+xml"
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith("<?xml") and "<svg" in body and "Chiềng Mai" in body


def test_communes_without_data_are_hatched_on_paper_as_on_screen(client):
    rows = client.get("/map?indicator=poverty_rate_pct&format=json").get_json()["rows"]
    blank = sum(1 for r in rows if r["value"] is None)
    body = client.get("/map?indicator=poverty_rate_pct&format=svg").get_data(as_text=True)
    hatched = body.count("fill: url(#h")  # matplotlib's hatch patterns: the legend's swatch and each commune
    assert 0 < blank < len(rows) and hatched == blank + 1, (blank, hatched)


@pytest.mark.parametrize("query, param", [("format=png&dpi=1000", "dpi"), ("format=png&dpi=abc", "dpi"),
                                          ("format=png&dpi=10", "dpi"), ("format=pdf&paper=a5", "paper"),
                                          ("format=tiff", "format")])
def test_bad_print_options_are_refused_clearly(client, query, param):
    response = client.get(f"/map?indicator=ban_gate_pct&{query}")
    assert response.status_code == 400
    assert param in response.get_data(as_text=True)


def pdf_pages(data, tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@needs_poppler
def test_fact_sheet_is_one_a4_page_with_every_indicator_status_and_source(client, tmp_path):
    response = client.get("/communes/pre2025/04132?format=pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert pdf_pages(response.data, tmp_path) == 1
    text = pdf_text(response.data, tmp_path)
    profile = client.get("/communes/pre2025/04132?format=json").get_json()
    assert "Xã Chiềng Mai" in text and "SỐ LIỆU MINH HỌA" in text
    for row in profile["indicators"]:
        assert row["label"][:40] in text
    assert "minh họa" in text and "chính thức" in text and "GADM 4.1" in text
    assert all(row[-5] == "yes" for row in pdf_fonts(response.data, tmp_path))


@needs_poppler
def test_atlas_has_a_contents_page_and_one_page_per_mappable_indicator(client, store, catalogue, tmp_path):
    from maison_geo.values import FigureIndex
    response = client.get("/atlas?vintage=post2025&period=2024&lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    index = FigureIndex(store, catalogue, "post2025")  # legal statuses have no values after 2025
    mappable = [i for i in catalogue.mappable() if index.periods(i)]
    assert 0 < len(mappable) < len(catalogue.mappable())
    assert pdf_pages(response.data, tmp_path) == len(mappable) + 1
    text = pdf_text(response.data, tmp_path)
    assert "Contents" in text and "ILLUSTRATIVE DATA" in text
    for ind in mappable:
        assert ind.label_en[:40] in text
    assert client.get("/atlas?vintage=2030").status_code == 400
    assert client.get("/atlas?period=abc").status_code == 400
    assert "2019" in client.get("/atlas?period=1990&format=pdf&lang=en").get_data(as_text=True)
    assert client.get("/atlas?format=html").status_code == 400


def test_print_labels_never_overlap_and_repeated_names_are_qualified(store, catalogue):
    from maison_geo import static_map
    from maison_geo.labels import label_names
    from maison_geo.maps import build_view
    from maison_geo.values import indicator_values
    units = store.units("pre2025")
    names = label_names(zip(units.code, units.name, units.unit_type))
    assert names["04105"] == "TT Hát Lót" and names["04135"] == "Hát Lót"
    view = build_view(indicator_values(store, catalogue, "hh_grid_pct", 2024, "pre2025"), "quantiles", 5)
    for paper in static_map.PAPERS:
        fig = static_map.map_figure(view, units, ["GADM 4.1"], paper=paper)
        ax = fig.axes[0]
        renderer = fig.canvas.get_renderer()
        labels = [t for t in ax.texts if t.get_text() in names.values() and t.get_color() != "white"]
        boxes = [t.get_window_extent(renderer) for t in labels]
        assert len(labels) >= 18
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_on_a_small_page_labels_give_way_instead_of_overlapping(store):
    from maison_geo import static_map
    units = static_map.projected(store.units("pre2025"))
    fig = static_map.new_figure((3.2, 2.2))
    ax = fig.add_axes([0, 0, 1, 1])
    static_map.draw_units(ax, None, units, 1.0, label=False)
    placed = static_map.place_labels(ax, units, units.geometry.representative_point(), 1.0)
    boxes = [t.get_window_extent(fig.canvas.get_renderer()) for t in placed]
    assert 3 <= len(placed) < len(units)  # some gave way
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    biggest = units.sort_values("area_km2", ascending=False).name.iloc[0]
    assert biggest in {t.get_text() for t in placed}  # priority by area
