"""The planner's workbook for the budget office: sheets Tóm tắt (summary), Theo xã (by commune), Hạng mục
(every item) and Giả định (unit costs, weights, sources, data status); money in a number format Excel
shows as đồng, and the illustrative stamp on every sheet when any input is illustrative."""
import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from ..planning import REASONS
from .tables import safe_cell

MONEY = '#,##0 "đ"'
COUNT = '#,##0'
DECIMAL = '#,##0.0'
BOLD = Font(bold=True)
STAMP = Font(bold=True, color="B8400F", size=14)
STAMP_FILL = PatternFill("solid", fgColor="FFF4E5")


def plan_workbook(result, _, name=None):
    """XLSX bytes of a plan (the dict of Plan.to_dict); `_` translates the labels."""
    book = Workbook()
    sheets = [("Tóm tắt", _summary), ("Theo xã", _by_commune), ("Hạng mục", _items), ("Giả định", _assumptions)]
    for index, (title, fill) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        if result.get("illustrative"):
            sheet.append([_("ILLUSTRATIVE DATA") + ": " + _("computed from illustrative per-commune figures, "
                                                             "not official ones")])
            sheet["A1"].font, sheet["A1"].fill = STAMP, STAMP_FILL
        fill(sheet, result, _, name)
        _widen(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(sheet, values, formats=None, bold=False):
    sheet.append([safe_cell(v) for v in values])
    for col, fmt in enumerate(formats or []):
        if fmt:
            sheet.cell(sheet.max_row, col + 1).number_format = fmt
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD


def _summary(sheet, result, _, name):
    s = result["summary"]
    _row(sheet, [_("Investment plan") + (f": {name}" if name else "")], bold=True)
    _row(sheet, [_("Era"), _(result["vintage"])])
    _row(sheet, [_("data year"), result["period"]])
    _row(sheet, [_("Budget"), s["budget_vnd"]], [None, MONEY])
    _row(sheet, [_("Spent"), s["milp"]["spend_vnd"]], [None, MONEY])
    _row(sheet, [_("Households benefiting"), s["milp"]["beneficiaries"]], [None, COUNT])
    _row(sheet, [_("Communes funded"), s.get("communes_funded"), s.get("communes")])
    _row(sheet, [_("Cost of closing every gap"), s["cost_to_close_all_vnd"]], [None, MONEY])
    sheet.append([])
    _row(sheet, [_("Intervention"), _("Funded"), _("Unit"), _("Households reached"), _("Communes"), _("Money")],
         bold=True)
    for i in result.get("by_intervention", []):
        _row(sheet, [i["label"], i["units"], i["unit"], i["beneficiaries"], i["communes"], i["spend_vnd"]],
             [None, DECIMAL, None, COUNT, None, MONEY])


def _by_commune(sheet, result, _, name):
    _row(sheet, [_("Code"), _("Commune"), _("Money"), _("Households benefiting"), _("Cost to close all gaps"),
                 _("Minimum"), _("Maximum"), _("Why"), _("illustrative")], bold=True)
    for c in result["communes"]:
        _row(sheet, [c["code"], c["name"], c["spend_vnd"], c["beneficiaries"], c["cost_to_close_vnd"],
                     c["min_spend_vnd"], c["max_spend_vnd"], _(REASONS.get(c.get("reason"), "")) if c.get("reason") else "", _("Yes") if c["illustrative"] else _("No")],
             [None, None, MONEY, COUNT, MONEY, MONEY, MONEY])


def _items(sheet, result, _, name):
    years = [y for y in result["years"] if y != "total"]
    _row(sheet, [_("Code"), _("Commune"), _("Intervention"), _("Gap"), _("Unit"), _("Unit cost"),
                 _("Cost to close"), _("Households if closed"), _("Units funded"), *years, _("Money"),
                 _("Households benefiting"), _("Status"), _("Source")], bold=True)
    for r in result["rows"]:
        _row(sheet, [r["code"], r["name"], r["label"], r["gap"], r["unit"], r["unit_cost_vnd"], r["cost_to_close_vnd"],
                     r["beneficiaries_if_closed"], r["units"], *(r["units_by_year"].get(y) for y in years),
                     r["spend_vnd"], r["beneficiaries"], _(r["status"]) if r["status"] else "", r["source"] or ""],
             [None, None, None, COUNT, None, MONEY, MONEY, COUNT, COUNT, *(COUNT for _y in years), MONEY, COUNT])


def _assumptions(sheet, result, _, name):
    weights = result["inputs"].get("benefit_weights", {})
    _row(sheet, [_("Intervention"), _("Unit cost"), _("Basis"), _("Note"), _("Benefit weight"), _("Basis"),
                 _("Note")], bold=True)
    for i in result["interventions"]:
        w = weights.get(i["key"], {})
        _row(sheet, [i["label_vi"] if _("Yes") == "Có" else i["label_en"], i["unit_cost_vnd"], _(i["basis"]),
                     i["basis_note"], w.get("weight"), _(w["basis"]) if w.get("basis") else "", w.get("note", "")],
             [None, MONEY, None, None, DECIMAL])
    sheet.append([])
    _row(sheet, [_("Data status")], bold=True)
    for notice in result.get("notices", []):
        _row(sheet, [notice])


def _widen(sheet):
    for column in sheet.columns:
        width = max((len(str(c.value)) for c in column if c.value is not None and c.row > 1), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
