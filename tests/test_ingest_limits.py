"""Uploads that are too big or broken (issue 16, findings 2 and 9): reading stops at a limit it names,
errors stop at a bounded count, and a broken CSV or an ambiguous number says what and where."""
import pytest
from fixtures.entry import xlsx
from test_ingest import check, problem

from maison_geo import ingest
from maison_geo.ingest import Unreadable, read_table


def unreadable(data):
    with pytest.raises(Unreadable) as raised:
        read_table(data)
    return raised.value.problem


def test_a_wide_workbook_stops_at_the_cell_limit_and_names_it():
    rows = [["Mã", "Tên xã"] + [f"c{i}" for i in range(198)]] + [[4105, "Hát Lót"] + [1] * 198] * 3000
    found = unreadable(xlsx(rows))
    assert found.code == "too_many_cells" and str(ingest.MAX_CELLS) in found.message


def test_a_long_csv_stops_at_the_cell_limit():
    header = ";".join(["Mã", "Tên xã"] + [f"c{i}" for i in range(100)])
    line = ";".join(["04105", "Hát Lót"] + ["1"] * 100)
    found = unreadable((header + "\n" + "\n".join([line] * 5000)).encode())
    assert found.code == "too_many_cells" and str(ingest.MAX_CELLS) in found.message


def test_errors_stop_at_a_bounded_count():
    text = "Mã;Tên xã;Số hộ\n" + "\n".join(f"04105;Hát Lót;x{i}" for i in range(3 * ingest.MAX_ERRORS))
    report = check(text)
    assert len(report.errors) == ingest.MAX_ERRORS + 1
    stop = problem(report, "too_many_errors")
    assert str(ingest.MAX_ERRORS) in stop.message and stop.row


def test_a_csv_field_of_3_mb_is_named_with_its_line():
    data = ("Mã;Tên xã;Số hộ\n04105;Hát Lót;5\n04108;" + "x" * 3_000_000 + ";6\n").encode()
    found = unreadable(data)
    assert found.code == "field_too_large" and found.params["row"] == "3"
    assert "workbook" not in found.message


def test_an_unterminated_quote_is_named_with_its_line():
    data = 'Mã;Tên xã;Số hộ\n04105;Hát Lót;5\n04108;"Chiềng Sung;6\n04150;Chiềng Kheo;7\n'.encode()
    found = unreadable(data)
    assert found.code == "unterminated_quote" and found.params["row"] == "3"


def test_an_ambiguous_decimal_in_a_length_is_a_warning_naming_the_cell():
    report = check("Mã;Tên xã;Chiều dài đường được mở rộng (km)\n04105;Hát Lót;1.500\n")
    warning = problem(report, "ambiguous_decimal")
    assert warning.severity == "warning" and (warning.row, warning.column) == (2, "C")
    assert "1.500" in warning.message and "1500" in warning.message and "1.5" in warning.message


def test_thousands_in_a_count_or_with_evidence_are_not_ambiguous():
    counts = check("Mã;Tên xã;Số hộ\n04105;Hát Lót;5.300\n")
    assert not [p for p in counts.warnings if p.code == "ambiguous_decimal"]
    evidence = check("Mã;Tên xã;Chiều dài đường được mở rộng (km)\n04105;Hát Lót;1.500\n04108;Chiềng Sung;2,5\n")
    assert not [p for p in evidence.warnings if p.code == "ambiguous_decimal"]
