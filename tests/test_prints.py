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
    assert client.get("/atlas?format=html").status_code == 400
