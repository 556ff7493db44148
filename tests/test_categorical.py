"""Published facts as categorical layers: catalogue kinds, carrying statuses forward, no aggregation."""
import pytest

from maison_geo.indicators import Catalogue, _parse
from maison_geo.values import FigureIndex, indicator_values, latest_value

REGION_III = {"04132", "04141", "04156", "04159", "04162"}  # Chiềng Mai, Chiềng Nơi, Chiềng Lương, Phiêng Pằn, Nà Ớt


def test_categorical_kind_has_ordered_labelled_categories(catalogue):
    ntm = catalogue.get("ntm_status")
    assert ntm.kind == "categorical" and ntm.qualitative
    assert [(c.key, c.label_vi) for c in ntm.categories] == [
        ("none", "Chưa đạt"), ("standard", "Đạt chuẩn nông thôn mới"), ("advanced", "Nông thôn mới nâng cao")]
    assert [c.key for c in catalogue.get("ethnic_area_class").categories] == ["I", "II", "III"]
    assert ntm.category(ntm.code_of("advanced")).label("en") == "Advanced new-rural standard"
    assert catalogue.get("poverty_rate_pct").kind == "percent"
    with pytest.raises(ValueError, match="categories"):
        _parse({"key": "x", "label_vi": "x", "label_en": "x", "unit": "", "unit_en": "", "kind": "categorical",
                "higher_is_better": None, "source": "s"})


def test_a_categorical_indicator_takes_no_numeric_target(catalogue):
    with pytest.raises(ValueError, match="categorical"):
        catalogue.with_targets({"ntm_status": {"value": 3, "year": 2025, "source": "s"}})


def test_poverty_standard_follows_the_period(catalogue):
    poverty = catalogue.get("poverty_rate_pct")
    assert poverty.standard(2020).key == "2016_2020"
    assert poverty.standard(2022).key == "2022_2025"
    assert poverty.standard(2010) is None


def test_api_ethnic_area_class_2024(client):
    data = client.get("/api/values?indicator=ethnic_area_class&period=2024").get_json()
    valued = {r["code"]: r for r in data["rows"] if r["value"] is not None}
    assert {c: r["value"] for c, r in valued.items()} == {**{c: "III" for c in REGION_III}, "04138": "I"}
    for row in valued.values():
        assert row["status"] == "reported" and row["source_url"].startswith("https://")
        assert row["rank"] is None
    assert data["district"]["value"] is None


def test_ethnic_class_holds_for_each_year_of_the_861_period(store, catalogue):
    table = indicator_values(store, catalogue, "ethnic_area_class", 2021)
    assert table.periods == [2021, 2022, 2023, 2024, 2025]
    assert {r.unit.code for r in table.rows if r.value is not None} == REGION_III | {"04138"}
    assert not any(r.carried_forward for r in table.rows)


def test_api_ntm_status_2024(client):
    rows = client.get("/api/values?indicator=ntm_status&period=2024").get_json()["rows"]
    valued = {r["code"]: r["value"] for r in rows if r["value"] is not None}
    assert valued == {"04120": "advanced", "04135": "advanced", "04108": "standard", "04136": "standard",
                      "04132": "standard", "04138": "standard"}


def test_a_status_is_carried_forward_and_flagged_so(store, catalogue):
    by_period = {p: {r.unit.code: r for r in indicator_values(store, catalogue, "ntm_status", p).rows}
                 for p in (2015, 2019, 2020, 2024)}
    chieng_ban = [by_period[p]["04120"] for p in (2015, 2019, 2020, 2024)]
    assert [r.category.key for r in chieng_ban] == ["standard", "standard", "advanced", "advanced"]
    assert [r.carried_forward for r in chieng_ban] == [False, True, False, True]
    assert chieng_ban[1].as_of == "2015" and chieng_ban[3].as_of == "2020-12-27"
    hat_lot = by_period[2024]["04135"]
    assert hat_lot.category.key == "advanced" and not hat_lot.carried_forward  # recognised 2024-12-28
    assert by_period[2019]["04132"].value is None  # Chiềng Mai only from 2024: never carried backwards
    data = by_period[2024]["04108"].to_dict()
    assert data["carried_forward"] is True and data["as_of"] == "2019" and data["value"] == "standard"


def test_a_later_recognition_replaces_the_carried_status(store, catalogue):
    index = FigureIndex(store, catalogue, "pre2025")
    assert index.get("unit", "04135", "ntm_status", 2023).value == 2  # standard since 2018, carried
    assert index.get("unit", "04135", "ntm_status", 2025).value == 3  # advanced since 2024, carried


def test_categorical_statuses_are_not_aggregated_into_2025_communes(store, catalogue, client):
    table = indicator_values(store, catalogue, "ntm_status", None, "post2025")
    assert table.not_aggregated and all(r.value is None for r in table.rows)
    assert table.periods == indicator_values(store, catalogue, "ntm_status", None, "pre2025").periods
    data = client.get("/api/values?indicator=ethnic_area_class&vintage=post2025").get_json()
    assert data["not_aggregated"] and "are not aggregated into the communes of 1 July 2025" in data["notice"]
    assert all(r["value"] is None for r in data["rows"])
    # counts are still summed: a bản count is not a legal status
    assert indicator_values(store, catalogue, "ban_count", 2024, "post2025").rows[0].value is not None


def test_latest_value_for_the_planner(store, catalogue):
    row = latest_value(store, catalogue, "ethnic_area_class", "04132")
    assert row.category.key == "III" and row.as_of == "2024-12"
    assert latest_value(store, catalogue, "poverty_rate_pct", "04141").value == 75
    assert latest_value(store, catalogue, "poverty_rate_pct", "04141").standard.key == "2022_2025"
    assert latest_value(store, catalogue, "ethnic_area_class", "04105") is None
    assert latest_value(store, catalogue, "ntm_status", "04108").carried_forward


def test_authored_categorical_figures_are_written_by_key(tmp_path):
    from maison_geo import figures as fg
    path = tmp_path / "f.csv"
    path.write_text("vintage,level,code,indicator,period,value,denominator,status,source,note,as_of\n"
                    "pre2025,unit,04108,ntm_status,2019,standard,,reported,src,,2019\n", encoding="utf-8")
    codes = fg.category_codes()
    [fig] = fg.read_csv(path, codes)
    assert fig.value == 2 and fig.as_of == "2019"
    fg.write_csv(tmp_path / "g.csv", [fig], codes)
    assert ",standard," in (tmp_path / "g.csv").read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(",standard,", ",gold,"), encoding="utf-8")
    with pytest.raises(ValueError, match="gold"):
        fg.read_csv(path, codes)


def test_catalogue_loads_from_json():
    assert {"ntm_status", "ethnic_area_class", "poverty_rate_pct", "ban_count"} <= set(Catalogue.load().keys())


def test_every_fact_label_and_status_word_is_translated():
    from babel.messages.pofile import read_po

    from maison_geo.facts import FACT_LABELS, STATUS_WORDS
    from maison_geo.i18n import TRANSLATIONS
    with open(TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po", "rb") as f:
        vi = read_po(f)
    missing = [t for t in [*FACT_LABELS.values(), *STATUS_WORDS.values()] if not (vi.get(t) and vi.get(t).string)]
    assert missing == []


# ---- imports and templates ------------------------------------------------------------------------

def _check(text):
    import csv
    from datetime import date

    from fixtures.entry import units

    from maison_geo import ingest, paths
    from maison_geo.ingest import Declaration
    with open(paths.GEODATA / "crosswalk_2025.csv", encoding="utf-8", newline="") as f:
        crosswalk = list(csv.DictReader(f))
    declared = Declaration(vintage="pre2025", period=2024, status="official", source="QĐ UBND tỉnh 12/2024")
    return ingest.validate(ingest.read_table(text.encode("utf-8")), declared, units(), Catalogue.load(),
                           None, crosswalk, date(2025, 12, 1))


def test_categories_are_read_by_key_or_label_in_any_case_with_or_without_diacritics():
    report = _check("Mã;Tên xã;ntm_status;ethnic_area_class\n"
                    "04108;Chiềng Sung;NONG THON MOI NANG CAO;khu vuc iii\n"
                    "04111;Mường Bằng;standard;Region I\n"
                    "04114;Chiềng Chăn;chưa đạt;II\n"
                    "04117;Mường Chanh;Advanced new-rural standard;Khu vực III (đặc biệt khó khăn)\n")
    assert report.ok, [p.message for p in report.errors]
    got = {(f.code, f.indicator): f.value for f in report.figures}
    assert got == {("04108", "ntm_status"): 3, ("04108", "ethnic_area_class"): 3,
                   ("04111", "ntm_status"): 2, ("04111", "ethnic_area_class"): 1,
                   ("04114", "ntm_status"): 1, ("04114", "ethnic_area_class"): 2,
                   ("04117", "ntm_status"): 3, ("04117", "ethnic_area_class"): 3}


def test_an_unknown_category_lists_the_valid_ones_in_the_ui_language():
    report = _check("Mã;Tên xã;ethnic_area_class\n04108;Chiềng Sung;khu vực 4\n")
    [bad] = [p for p in report.errors if p.code == "unknown_category"]
    assert (bad.row, bad.column) == (2, "C")
    assert bad.message == ("“khu vực 4” is not a category of Ethnic-minority area class (QĐ 861/QĐ-TTg): "
                           "write one of Region I; Region II; Region III (especially difficult).")
    vi = {"Ethnic-minority area class (QĐ 861/QĐ-TTg)": "Khu vực vùng đồng bào DTTS (QĐ 861/QĐ-TTg)",
          "Region I": "Khu vực I", "Region II": "Khu vực II",
          "Region III (especially difficult)": "Khu vực III (đặc biệt khó khăn)"}
    text = bad.render(lambda s: vi.get(s, s))
    assert "Khu vực I; Khu vực II; Khu vực III (đặc biệt khó khăn)" in text


def test_category_labels_in_the_translation_catalogue_match_the_indicator_catalogue():
    from babel.messages.pofile import read_po

    from maison_geo.i18n import TRANSLATIONS
    with open(TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po", "rb") as f:
        vi = read_po(f)
    for ind in Catalogue.load():
        for item in ([ind, *ind.categories] if ind.kind == "categorical" else []):
            assert vi.get(item.label_en) and vi.get(item.label_en).string == item.label_vi, item.label_en


def test_the_template_offers_the_categories_as_a_list():
    from io import BytesIO

    from fixtures.entry import units
    from openpyxl import load_workbook

    from maison_geo.ingest.template import template_xlsx
    book = load_workbook(BytesIO(template_xlsx(units()["pre2025"], Catalogue.load(), "pre2025", 2024)))
    sheet = book["Số liệu"]
    headers = [c.value for c in sheet[2]]
    column = next(i for i, h in enumerate(headers) if h and "[ntm_status]" in h)
    assert "Chưa đạt / Đạt chuẩn nông thôn mới / Nông thôn mới nâng cao" in headers[column]
    lists = [v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert '"Chưa đạt,Đạt chuẩn nông thôn mới,Nông thôn mới nâng cao"' in lists


def test_an_office_fills_a_status_without_a_published_fact_and_it_is_carried(store, tmp_path):
    from fixtures.entry import add_accounts, api_upload, make_app
    app = make_app(store, tmp_path)
    tokens = add_accounts(app)
    client = app.test_client()
    data = "Mã;Tên xã;Đạt chuẩn nông thôn mới\n04114;Chiềng Chăn;dat chuan nong thon moi\n".encode()
    response = api_upload(client, data, token=tokens["lan"], period=2023, status="official",
                          source="QĐ công nhận của UBND tỉnh, 2023")
    assert response.status_code == 201, response.get_json()
    rows = {r["code"]: r for r in client.get("/api/values?indicator=ntm_status&period=2024").get_json()["rows"]}
    assert rows["04114"]["value"] == "standard" and rows["04114"]["status"] == "official"
    assert rows["04114"]["carried_forward"] is True  # recognised in 2023, shown in 2024 as carried
    bad = "Mã;Tên xã;ethnic_area_class\n04114;Chiềng Chăn;vùng 4\n".encode()
    report = api_upload(app.test_client(), bad, token=tokens["lan"], period=2024, lang=None).get_json()["report"]
    message = next(e["message"] for e in report["errors"] if e["code"] == "unknown_category")
    assert message == ("“vùng 4” không phải là một loại của “Khu vực vùng đồng bào DTTS (QĐ 861/QĐ-TTg)”: hãy ghi "
                       "một trong các giá trị Khu vực I; Khu vực II; Khu vực III (đặc biệt khó khăn).")


# ---- maps of categories ---------------------------------------------------------------------------

def test_the_legend_of_a_status_map_lists_categories_with_counts_and_no_data(store, catalogue):
    from maison_geo import qualitative
    from maison_geo.maps import NO_DATA_COLOR
    table = indicator_values(store, catalogue, "ntm_status", 2024)
    view = qualitative.build_qualitative_view(table, "vi")
    assert [(e.label, e.count) for e in view.legend] == [
        ("Chưa đạt", 0), ("Đạt chuẩn nông thôn mới", 4), ("Nông thôn mới nâng cao", 2), ("No data", 16)]
    colors = [e.color for e in view.legend]
    assert len(set(colors)) == 4 and set(colors[:-1]) <= set(qualitative.OKABE_ITO) and colors[-1] == NO_DATA_COLOR
    assert view.styles["04120"]["fill"] == view.legend[2].color and view.styles["04105"]["fill"] == NO_DATA_COLOR
    tip = view.tooltips["04120"]
    assert "Nông thôn mới nâng cao" in tip and "27/12/2020" in tip and "baosonla.org.vn" in tip
    assert "carried forward" in tip  # recognised in 2020, shown in 2024


def test_yes_no_is_drawn_by_category_with_the_district_as_21_of_21(client):
    html = client.get("/map?indicator=road_paved_to_centre").get_data(as_text=True)
    legend = html[html.index('id="legend"'):html.index("</aside>")]
    assert "Có" in legend and "Không" in legend and "1 classes" not in legend and "1 lớp" not in legend
    assert "21/21 xã" in legend
    assert 'id="scheme"' not in html  # no classing schemes for categories
    data = client.get("/map?indicator=road_paved_to_centre&format=json&lang=en").get_json()
    assert data["classification"]["scheme"] == "categories"
    assert [(c["key"], c["count"]) for c in data["classification"]["classes"]] == [("yes", 21), ("no", 0)]
    assert data["classification"]["no_data"]["count"] == 0
    assert data["classification"]["not_applicable"] == 1  # the thị trấn: the indicator is for xã
    assert "Không áp dụng (chỉ cho xã) <span" in html.replace("\n", " ") or "Không áp dụng (chỉ cho xã)" in legend


def test_the_status_map_page_says_how_many_have_no_fact_and_the_2025_view_says_why_empty(client):
    html = client.get("/map?indicator=ethnic_area_class&period=2024").get_data(as_text=True)
    assert "16/22 xã chưa có thông tin được công bố" in html and 'id="scheme"' not in html
    after = client.get("/map?indicator=ethnic_area_class&vintage=post2025&lang=en").get_data(as_text=True)
    assert "not aggregated into the communes of 1 July 2025" in after
    assert "/eras?indicator=ethnic_area_class" in after


def test_poverty_maps_never_mix_the_two_standards(client):
    old = client.get("/map?indicator=poverty_rate_pct&period=2020&format=json").get_json()
    new = client.get("/map?indicator=poverty_rate_pct&period=2022&format=json").get_json()
    assert old["standard"] == "2016_2020" and new["standard"] == "2022_2025"
    assert {r["standard"] for r in old["rows"] if r["value"] is not None} == {"2016_2020"}
    html = client.get("/map?indicator=poverty_rate_pct&period=2020&lang=en").get_data(as_text=True)
    assert "All figures of this map use the 2016–2020 poverty standard" in html
    split = client.get("/split?indicator=poverty_rate_pct&lang=en").get_data(as_text=True)
    assert "each map keeps its own legend" in split and "shared-legend" not in split


def test_eras_shows_the_former_communes_statuses_inside_the_new_outlines(client):
    data = client.get("/eras?indicator=ntm_status&period=2024&format=json").get_json()
    mai_son = next(r for r in data["communes"] if r["code"] == "04105")
    statuses = {f["code"]: f["status"]["value"] for f in mai_son["former"]}
    assert statuses == {"04105": None, "04135": "advanced", "04138": "standard"}
    html = client.get("/eras?indicator=ntm_status&period=2024").get_data(as_text=True)
    assert "/api/units?vintage=post2025" in html and "Nông thôn mới nâng cao" in html
    assert client.get("/eras?indicator=ban_count").status_code == 400


def test_every_page_and_export_handles_a_categorical_indicator(client):
    for key in ("ntm_status", "ethnic_area_class", "poverty_rate_pct"):
        for vintage in ("pre2025", "post2025"):
            for fmt in ("html", "json", "csv", "xlsx", "geojson", "gpkg"):
                assert client.get(f"/map?indicator={key}&vintage={vintage}&format={fmt}").status_code == 200
            for fmt in ("html", "json", "csv", "xlsx"):
                assert client.get(f"/progress?indicator={key}&vintage={vintage}&format={fmt}").status_code == 200
    progress = client.get("/progress?indicator=ntm_status&format=json").get_json()
    assert progress["target"] is None and "no target" in progress["message"]
    csv_text = client.get("/map?indicator=ntm_status&period=2024&format=csv").get_data(as_text=True)
    assert "carried_forward" in csv_text.splitlines()[0] and ",advanced," in csv_text
    for fmt in ("html", "json", "csv", "xlsx"):
        assert client.get(f"/compare?codes=04120,04132&format={fmt}").status_code == 200
    assert client.get("/compare?codes=04105,04123&vintage=post2025").status_code == 200
    for fmt in ("html", "json", "csv"):
        assert client.get(f"/communes/pre2025/04120?format={fmt}").status_code == 200
        assert client.get(f"/communes/post2025/04105?format={fmt}").status_code == 200


# ---- facts in sentences -----------------------------------------------------------------------------

def test_dates_and_sentences_of_facts():
    from maison_geo.facts import date_text, raw_fact_line, short_source
    assert date_text("2024-12") == "Tháng 12/2024" and date_text("2024-12", "en") == "December 2024"
    assert date_text("2020-12-27") == "27/12/2020" and date_text("2015") == "2015"
    assert short_source('Báo Sơn La (English): "First specially difficult commune"') == "Báo Sơn La"
    assert short_source('Dân Việt / Trang trại Việt, 2022-08-07: "Giải pháp"') == "Dân Việt / Trang trại Việt"
    fact = {"indicator": "ban_count", "value": "11", "qualifier": "", "unit": "bản, tiểu khu", "as_of": "2024-12",
            "source_title": 'Báo Sơn La (English): "First..."', "source_url": "https://en.baosonla.org.vn/x"}
    line = raw_fact_line(fact)
    assert line.text == "Tháng 12/2024: Villages (bản, tiểu khu): 11 bản, tiểu khu — Báo Sơn La"
    assert line.url == "https://en.baosonla.org.vn/x"
    status = raw_fact_line({**fact, "indicator": "ntm_status", "value": "advanced", "as_of": "2020-12-27"})
    assert status.text == "27/12/2020: reached the advanced new-rural standard — Báo Sơn La"


def test_the_profile_says_facts_in_sentences_not_raw_lines(client):
    html = client.get("/communes/pre2025/04150").get_data(as_text=True)
    assert "hamlets_connected_to_grid_2021_12_30 =" not in html
    assert "30/12/2021: Số bản được nối lưới điện ngày 30/12/2021: 5 hamlets — QĐND" in html
    data = client.get("/communes/pre2025/04120?format=json&lang=en").get_json()
    ntm = next(r for r in data["indicators"] if r["indicator"] == "ntm_status")
    assert ntm["value"] == "advanced" and ntm["carried_forward"] is True
    assert ntm["fact"].startswith("Advanced new-rural standard since 27 December 2020 · Báo Sơn La")
    assert "2015: reached the new-rural standard — Báo Sơn La" in [f["sentence"] for f in data["facts"]]


def test_compare_shows_categories_with_their_fact_and_no_difference(client):
    data = client.get("/compare?codes=04120,04132&format=json&lang=en").get_json()
    ntm = [r for r in data["rows"] if r["indicator"] == "ntm_status"]
    assert [r["value"] for r in ntm] == ["advanced", "standard"] and {r["difference"] for r in ntm} == {None}
    assert ntm[1]["fact"].startswith("New-rural standard since 31 December 2024")
    ethnic = next(r for r in data["rows"] if r["indicator"] == "ethnic_area_class" and r["code"] == "04132")
    assert ethnic["fact"] == "December 2024: Region III (especially difficult) — Báo Sơn La (valid 2021–2025)"
    html = client.get("/compare?codes=04120,04132&lang=vi").get_data(as_text=True)
    assert "Nông thôn mới nâng cao từ 27/12/2020 · Báo Sơn La" in html
