"""Reading and checking uploads, without Flask: every bad-input class with the message it gets."""
import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from fixtures.entry import units, xlsx

from maison_geo import ingest, paths
from maison_geo.figures import Figure
from maison_geo.indicators import Catalogue
from maison_geo.ingest import Declaration

CATALOGUE = Catalogue.load()
UNITS = units()
TODAY = date(2025, 12, 1)
DECLARED = Declaration(vintage="pre2025", period=2024, status="official", source="Báo cáo UBND huyện 12/2024")
with open(paths.GEODATA / "crosswalk_2025.csv", encoding="utf-8", newline="") as f:
    CROSSWALK = list(csv.DictReader(f))


def check(data, declared=DECLARED, encoding="utf-8", lookup=None):
    if isinstance(data, str):
        data = data.encode(encoding)
    return ingest.validate(ingest.read_table(data), declared, UNITS, CATALOGUE, lookup, CROSSWALK, TODAY)


def declared(**changes):
    fields = {"vintage": "pre2025", "period": 2024, "status": "official", "source": "Báo cáo"}
    fields.update(changes)
    return Declaration(**fields)


def problem(report, code):
    found = [p for p in report.errors + report.warnings if p.code == code]
    assert found, f"no {code} in {[p.message for p in report.errors + report.warnings]}"
    return found[0]


def values(report):
    return {(f.code, f.indicator, f.period): f.value for f in report.figures}


# ---- what offices really send ---------------------------------------------------------------------

def test_utf8_bom_semicolons_decimal_comma_and_thousands_dots():
    text = ("\ufeffMã;Tên xã;Số hộ;Chiều dài đường được mở rộng (km)\n"
            "04105;Hát Lót;5.300;1,5\n"
            "04108;Chiềng Sung;1.234;12\n")
    report = check(text)
    assert report.ok, [p.message for p in report.errors]
    assert (report.encoding, report.delimiter, report.layout, report.decimal) == ("utf-8-sig", ";", "wide", "comma")
    assert values(report) == {("04105", "households", 2024): 5300, ("04105", "road_widened_km", 2024): 1.5,
                              ("04108", "households", 2024): 1234, ("04108", "road_widened_km", 2024): 12}


def test_utf16_excel_unicode_text_tab_separated():
    text = "Mã\tTên xã\tSố hộ\tTỷ lệ hộ dùng điện lưới quốc gia\r\n04150\tChiềng Kheo\t1.296\t99,05\r\n"
    data = "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    report = check(data)
    assert report.ok, [p.message for p in report.errors]
    assert report.encoding == "utf-16" and report.delimiter == "\t"
    assert values(report) == {("04150", "households", 2024): 1296, ("04150", "hh_grid_pct", 2024): 99.05}


def test_utf16_without_bom_and_windows_1258():
    text = "code\tname\thouseholds\n04132\tChiềng Mai\t1296\n"
    assert check(text.encode("utf-16-le")).ok
    # Windows-1258 writes Ớ as Ơ + a combining acute accent
    legacy = check("code;name;households\n;N\u00e0 \u01a0\u0301t;800\n".encode("cp1258"))
    assert legacy.ok and legacy.encoding == "windows-1258"
    assert values(legacy) == {("04162", "households", 2024): 800}
    assert problem(legacy, "not_utf8").severity == "warning"


def test_english_decimal_point_file_and_quoted_decimal_comma():
    report = check('code,name,road_widened_km,households\n04105,Hát Lót,2.5,"5,300"\n')
    assert report.decimal == "dot" and values(report)[("04105", "road_widened_km", 2024)] == 2.5
    assert values(report)[("04105", "households", 2024)] == 5300
    quoted = check('code,name,road_widened_km\n04105,Hát Lót,"1,5"\n')
    assert quoted.decimal == "comma" and values(quoted)[("04105", "road_widened_km", 2024)] == 1.5


def test_unquoted_decimal_comma_in_a_comma_file_is_explained():
    report = check("code,name,road_widened_km\n04105,Hát Lót,1,5\n")
    found = problem(report, "too_many_fields")
    assert (found.row, found.column) == (2, "D")
    assert "decimal comma" in found.message and "quotes" in found.message


def test_excel_sep_line_title_rows_and_total_row():
    text = ("sep=;\n"
            "BÁO CÁO SỐ LIỆU CÁC XÃ NĂM 2024;;\n"
            ";;\n"
            "STT;Xã;Số hộ\n"
            "1;Chiềng Mung;2.100\n"
            "2;Mường Bon;1.900\n"
            ";Tổng cộng;4.000\n")
    report = check(text)
    assert report.ok, [p.message for p in report.errors]
    assert values(report) == {("04123", "households", 2024): 2100, ("04126", "households", 2024): 1900}
    total = problem(report, "total_row")
    assert total.severity == "warning" and total.row == 7


def test_long_layout_with_names_labels_and_periods():
    text = ("xã;chỉ tiêu;năm;giá trị;ghi chú\n"
            "Mương Tranh;Số bản có cổng bản;2023;7;theo báo cáo quý IV\n"
            "Nà Pó;ban_count;2024;14;\n"
            "Chiềng Chăn;Paved road to the commune centre;2024;có;\n")
    report = check(text, declared(period=None))
    assert report.ok, [p.message for p in report.errors]
    assert report.layout == "long"
    assert values(report) == {("04117", "ban_with_gate", 2023): 7, ("04136", "ban_count", 2024): 14,
                              ("04114", "road_paved_to_centre", 2024): 1}
    note = next(f.note for f in report.figures if f.code == "04117")
    assert note == "theo báo cáo quý IV"


def test_xlsx_numbers_codes_as_numbers_and_unit_type_column():
    data = xlsx([["Mã", "Tên", "Loại", "Số hộ", "Chiều dài đường được mở rộng"],
                 [4105, "Hát Lót", "Thị trấn", 5300, 2.25],
                 [None, "Hát Lót", "Xã", 3100.0, None]])
    report = check(data)
    assert report.ok, [p.message for p in report.errors]
    assert report.kind == "xlsx"
    assert values(report) == {("04105", "households", 2024): 5300, ("04105", "road_widened_km", 2024): 2.25,
                              ("04135", "households", 2024): 3100}


# ---- every bad-input class, with row and column --------------------------------------------------

def test_the_ambiguous_hat_lot_names_both_candidates():
    report = check("Tên xã;Số hộ\nHát Lót;5.300\n")
    found = problem(report, "ambiguous_name")
    assert (found.row, found.column, found.header) == (2, "A", "Tên xã")
    assert "Thị trấn Hát Lót (04105)" in found.message and "Xã Hát Lót (04135)" in found.message
    assert not report.ok and not report.figures
    assert values(check("Tên xã;Số hộ\nTT. Hát Lót;5.300\nxã Hát Lót;3.100\n")) == {
        ("04105", "households", 2024): 5300, ("04135", "households", 2024): 3100}


def test_unknown_commune_gets_the_closest_suggestions():
    found = problem(check("Tên xã;Số hộ\nChieng Mug;100\n"), "unknown_commune")
    assert (found.row, found.column) == (2, "A")
    assert found.message.startswith("No commune is called “Chieng Mug”.")
    assert "Did you mean: Chiềng Mung" in found.message


def test_unknown_code_and_code_that_contradicts_the_name():
    report = check("Mã;Tên xã;Số hộ\n09999;;10\n04108;Chiềng Mai;10\n")
    assert problem(report, "unknown_code").row == 2
    mismatch = problem(report, "code_name_mismatch")
    assert (mismatch.row, mismatch.column) == (3, "B") and "04108 is Xã Chiềng Sung" in mismatch.message


def test_a_unit_outside_the_era_is_rejected_with_where_it_went():
    report = check("Mã;Số hộ\n04111;10\n", declared(vintage="post2025"))
    found = problem(report, "unit_not_in_vintage")
    assert (found.row, found.column) == (2, "A")
    assert "era pre2025, not of era post2025" in found.message
    assert "Since 1 July 2025 it is part of" in found.message
    named = problem(check("Xã;Số hộ\nNà Bó;10\n", declared(vintage="post2025")), "unit_not_in_vintage")
    assert "Tà Hộc (04136)" in named.message


def test_duplicate_rows():
    report = check("Mã;Số hộ\n04108;1.400\n04120;900\n04108;1.450\n04120;900\n")
    dup = problem(report, "duplicate_row")
    assert (dup.row, dup.column) == (4, "B") and "also given in row 2" in dup.message
    same = problem(report, "duplicate_same")
    assert same.severity == "warning" and same.row == 5


def test_text_where_a_number_belongs():
    for cell in ("khoảng 300", "#DIV/0!", "12a", "1.2.3,4,5"):
        found = problem(check(f"Mã;Số hộ\n04108;{cell}\n"), "not_a_number")
        assert (found.row, found.column, found.header) == (2, "B", "Số hộ")
        assert found.message == f"“{cell}” is text where a number belongs."
    dated = problem(check(xlsx([["Mã", "Số hộ"], ["04108", datetime(2024, 3, 1)]])), "date_not_number")
    assert (dated.row, dated.column) == (2, "B")


def test_negative_counts_and_fractions_of_a_count():
    report = check("Mã;Số hộ;Số bản/tiểu khu;Chiều dài đường được mở rộng\n04108;-5;2,5;-1\n")
    assert problem(report, "negative_count").column == "B"
    assert problem(report, "negative_count").message == "“-5”: a count cannot be negative."
    assert problem(report, "not_whole").column == "C"
    assert problem(report, "negative_value").column == "D"


def test_percent_outside_0_to_100():
    report = check("code;indicator;value\n04150;hh_grid_pct;105\n04150;ban_gate_pct;-1\n")
    found = [p for p in report.errors if p.code == "percent_out_of_range"]
    assert [(p.row, p.column) for p in found] == [(2, "C"), (3, "C")]
    assert found[0].message == "“105”: a percentage must be between 0 and 100."


def test_numerator_above_denominator():
    report = check("Mã;Số bản/tiểu khu;Số bản có cổng bản\n04132;11;12\n")
    found = problem(report, "numerator_above_denominator")
    assert (found.row, found.column) == (2, "C")
    assert "Villages with a village gate (“12”) is above Villages (bản/tiểu khu) (11)" in found.message
    assert found.params["numerator"] == "ban_with_gate"  # scripts keep the key
    long = problem(check("code;indicator;value;denominator\n04132;road_paved_to_centre;3;2\n"),
                   "numerator_above_denominator")
    assert long.row == 2


def test_unknown_indicator_in_a_header_and_in_a_row():
    wide = problem(check("Mã;Số trâu bò;Số hộ\n04108;40;1400\n"), "unknown_indicator")
    assert (wide.row, wide.column, wide.header) == (1, "B", "Số trâu bò")
    long = problem(check("code;indicator;value\n04108;households_total;1400\n"), "unknown_indicator")
    assert (long.row, long.column) == (2, "B") and "Did you mean: households" in long.message


def test_district_only_indicator_is_refused_per_commune():
    found = problem(check("code;indicator;value\n04108;hh_clean_water_urban_pct;100\n"), "district_only")
    assert found.row == 2


def test_period_out_of_range_and_not_a_year():
    assert problem(check("Mã;Số hộ\n04108;10\n", declared(period=1999)), "period_out_of_range").message == \
        "Year “1999” is outside 2000–2025."
    report = check("code;indicator;period;value\n04108;households;2100;10\n04108;households;năm ngoái;10\n",
                   declared(period=None))
    assert (problem(report, "period_out_of_range").row, problem(report, "period_out_of_range").column) == (2, "C")
    assert problem(report, "bad_period").row == 3
    assert problem(check("Mã;Số hộ\n04108;10\n", declared(period=None)), "missing_period")
    blank = problem(check("Mã;Năm;Số hộ\n04108;2024;10\n04120;;12\n", declared(period=None)), "missing_period")
    assert (blank.row, blank.column) == (3, "B")


def test_vintage_mismatch_between_the_template_and_the_upload():
    data = ingest.template_xlsx(UNITS["pre2025"], CATALOGUE, "pre2025", 2024)
    report = check(data, declared(vintage="post2025", period=None))
    found = problem(report, "vintage_mismatch")
    assert "file is for era “pre2025” but the upload is for era post2025" in found.message
    column = problem(check("code;indicator;vintage;value\n04108;households;post2025;10\n"), "vintage_mismatch")
    assert (column.row, column.column) == (2, "C")
    period = problem(check(data, declared(vintage=None, period=2023)), "period_mismatch")
    assert "2024" in period.message and "2023" in period.message


def test_indicator_that_does_not_apply_to_a_thi_tran():
    found = problem(check("Mã;Có đường nhựa/bê tông đến trung tâm xã\n04105;1\n"), "not_applicable")
    assert found.column == "B" and "Thị trấn Hát Lót" in found.message


def test_declaration_problems():
    report = check("Mã;Số hộ\n04108;10\n", declared(status="illustrative", source=" "))
    assert {"bad_status", "missing_source"} <= {p.code for p in report.errors}
    assert problem(check("Mã;Số hộ\n04108;10\n", declared(vintage="1990")), "bad_vintage")
    assert problem(check("Mã;Số hộ\n04108;10\n", declared(source="x" * 1001)), "too_long")


def test_nothing_to_import_and_no_header():
    assert problem(check("Mã;Số hộ\n04108;\n04120;-\n"), "no_values")
    assert problem(check("a;b;c\n1;2;3\n"), "no_header").message.startswith("No header row was found")


# ---- files that are not tables ----------------------------------------------------------------------

def zip_with(parts, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize("data, code, words", [
    (b"", "empty_file", "empty"),
    (b"PK\x03\x04this is not really a zip file at all", "bad_xlsx", "could not be read"),
    (ingest.OLE2 + b"\x00" * 600, "encrypted_or_xls", "without a password"),
    (zip_with({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "not_xlsx", ".xlsx"),
    (zip_with({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<broken"}), "bad_xlsx", "save it again"),
    (zip_with({"xl/workbook.xml": "<w/>", "xl/worksheets/sheet1.xml": b"0" * (80 * 1024 * 1024)}),
     "zip_bomb", "far more data"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "not_text", "binary"),
])
def test_unreadable_files_get_a_clear_error(data, code, words):
    with pytest.raises(ingest.Unreadable) as caught:
        ingest.read_table(data)
    assert caught.value.problem.code == code and words in caught.value.problem.message


def test_a_damaged_xlsx_cut_in_half():
    whole = xlsx([["Mã", "Số hộ"], ["04108", 10]])
    with pytest.raises(ingest.Unreadable) as caught:
        ingest.read_table(whole[: len(whole) // 2])
    assert caught.value.problem.code == "bad_xlsx"


# ---- checks against the current figures -----------------------------------------------------------

def test_far_from_the_previous_period_is_a_warning_not_an_error():
    before = {("unit", "04105", "households", 2019): Figure("pre2025", "unit", "04105", "households", 2019,
                                                              4998, "official", "census")}
    report = check("Mã;Số hộ\n04105;50.000\n04108;1.500\n", lookup=lambda *key: before.get(key))
    assert report.ok
    found = problem(report, "far_from_previous")
    assert found.severity == "warning" and (found.row, found.column) == (2, "B")
    assert "“50000” is far from 4998 in 2019" in found.message


def test_preview_of_changes_against_current_values():
    current = {("unit", "04105", "households", 2024): Figure("pre2025", "unit", "04105", "households", 2024,
                                                               5264, "illustrative", "demo"),
               ("unit", "04108", "households", 2024): Figure("pre2025", "unit", "04108", "households", 2024,
                                                               1522, "illustrative", "demo")}
    report = check("Mã;Số hộ;Số bản/tiểu khu\n04105;5.300;10\n04108;1.522;\n", lookup=lambda *k: current.get(k))
    changes = {(c["code"], c["indicator"]): c for c in report.changes}
    assert changes[("04105", "households")]["change"] == "changed"
    assert changes[("04105", "households")]["current"] == 5264 and changes[("04105", "households")]["value"] == 5300
    assert changes[("04108", "households")]["change"] == "same"
    assert changes[("04105", "ban_count")]["change"] == "new"
    assert report.counts()["changed"] == 1 and report.counts()["new"] == 1


def test_report_json_has_row_column_and_message():
    body = check("Tên xã;Số hộ\nHát Lót;5.300\n").to_dict()
    assert body["ok"] is False
    error = body["errors"][0]
    assert {"severity", "code", "row", "column", "header", "value", "message", "params"} <= set(error)
    assert error["row"] == 2 and error["column"] == "A" and error["code"] == "ambiguous_name"


def test_check_against_the_store(store, catalogue):
    report = ingest.check("Mã;Số hộ\n04132;1.300\n".encode(), "a.csv", DECLARED, store, catalogue)
    assert report.ok and report.sha256 and report.file_name == "a.csv"
    change = report.changes[0]
    assert change["current"] == 1296 and change["current_status"] == "reported"


# ---- the template -------------------------------------------------------------------------------------

def test_template_has_every_commune_indicator_units_validation_and_instructions():
    from openpyxl import load_workbook
    data = ingest.template_xlsx(UNITS["post2025"], CATALOGUE, "post2025", 2025)
    book = load_workbook(io.BytesIO(data))
    sheet = book[ingest.DATA_SHEET]
    header = [c.value for c in sheet[2]]
    assert header[:3] == ["Mã (code)", "Tên xã (name)", "Loại (unit type)"]
    assert "Số hộ (hộ) [households]" in header and "Chiều dài đường được mở rộng (km) [road_widened_km]" in header
    assert not any("ban_gate_pct" in h for h in header)  # computed shares are not asked for
    codes = [sheet.cell(row=r, column=1).value for r in range(3, 3 + 8)]
    assert codes == [u.code for u in UNITS["post2025"]]
    assert len(sheet.data_validations.dataValidation) == len(header) - 3
    assert {v.type for v in sheet.data_validations.dataValidation} == {"whole", "decimal", "list"}  # list: categories
    instructions = " ".join(c.value or "" for c in book[ingest.HELP_SHEET]["A"])
    assert "Hướng dẫn nhập số liệu" in instructions and "năm 2025" in instructions
    assert book[ingest.META_SHEET].sheet_state == "hidden"


def test_a_filled_template_comes_back_with_its_era_and_year():
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(ingest.template_xlsx(UNITS["pre2025"], CATALOGUE, "pre2025", 2023)))
    sheet = book[ingest.DATA_SHEET]
    sheet["E3"] = 5000           # households, Hát Lót (thị trấn)
    sheet["F4"] = "có"           # paved road, Chiềng Sung
    out = io.BytesIO()
    book.save(out)
    report = check(out.getvalue(), declared(vintage=None, period=None))
    assert report.ok, [p.message for p in report.errors]
    assert (report.vintage, report.period, report.sheet) == ("pre2025", 2023, ingest.DATA_SHEET)
    assert values(report) == {("04105", "households", 2023): 5000, ("04108", "road_paved_to_centre", 2023): 1}


@pytest.mark.parametrize("text, convention, number", [
    ("1.234,5", "comma", 1234.5), ("1,234.5", "dot", 1234.5), ("16.931", "comma", 16931),
    ("99,05 %", "comma", 99.05), ("1 234", "comma", 1234), ("−3", "comma", -3), ("12", "dot", 12),
    ("1.23", "comma", None), ("abc", "comma", None), ("1,2,3", "dot", None),
])
def test_parse_number(text, convention, number):
    assert ingest.parse_number(text, convention) == number
