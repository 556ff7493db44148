"""The workbook offices fill in: one era and year, a row per commune, a column per indicator, checked
cells, instructions in Vietnamese and a hidden sheet naming the era and the year."""
import io

from .. import eras
from ..units import UNIT_TYPES
from .header import column_letter
from .read import META_SHEET

DATA_SHEET = "Số liệu"
HELP_SHEET = "Hướng dẫn"


def template_indicators(catalogue):
    """The indicators an office fills in: every per-commune one except the shares computed from others."""
    return [i for i in catalogue.mappable() if not (i.kind == "percent" and i.numerator)]


def template_header(ind):
    if ind.kind == "boolean":
        return f"{ind.label_vi} (1 = có, 0 = không) [{ind.key}]"
    if ind.kind == "categorical":
        return f"{ind.label_vi} ({' / '.join(c.label_vi for c in ind.categories)}) [{ind.key}]"
    unit = f" ({ind.unit})" if ind.unit else ""
    return f"{ind.label_vi}{unit} [{ind.key}]"


def era_label(units, vintage):
    """The era and its units in Vietnamese: 'trước 1/7/2025 (22 xã, thị trấn)'."""
    types = {u.unit_type for u in units}
    kinds = ", ".join(word.lower() for key, word in UNIT_TYPES.items() if key in types)
    return f"{eras.era(vintage).label_vi.lower()} ({len(units)} {kinds})"


def template_xlsx(units, catalogue, vintage, period, place=None):
    """The workbook for one era and year: a row per commune, a column per indicator, checked cells,
    instructions in Vietnamese and a hidden sheet naming the era and the year; place: the scope's
    label (by default the default scope's)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    indicators = template_indicators(catalogue)
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    title = f"Số liệu năm {period} — thời kỳ {era_label(units, vintage)} [{vintage}]"
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
    headers = ["Mã (code)", "Tên xã (name)", "Loại (unit type)"] + [template_header(i) for i in indicators]
    grey = PatternFill("solid", fgColor="DDDDDD")
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=2, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first, last = 3, 2 + len(units)
    for offset, unit in enumerate(units):
        row = first + offset
        code = sheet.cell(row=row, column=1, value=unit.code)
        code.number_format = "@"
        sheet.cell(row=row, column=2, value=unit.name)
        sheet.cell(row=row, column=3, value=UNIT_TYPES.get(unit.unit_type, unit.unit_type))
        for col in (1, 2, 3):
            sheet.cell(row=row, column=col).fill = grey
        for index, ind in enumerate(indicators):
            if ind.applies_to and unit.unit_type not in ind.applies_to:
                cell = sheet.cell(row=row, column=4 + index)
                cell.fill = grey
                types = ", ".join(UNIT_TYPES[t] for t in ind.applies_to)
                cell.comment = Comment(f"Chỉ tiêu này chỉ áp dụng cho {types}; để trống.", "maison-geo")
    for index, ind in enumerate(indicators):
        col = 4 + index
        letter = column_letter(col - 1)
        rule = _validation(ind, DataValidation)
        sheet.add_data_validation(rule)
        rule.add(f"{letter}{first}:{letter}{max(last, first)}")
        sheet.column_dimensions[letter].width = 18
    sheet.column_dimensions["A"].width = 9
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 11
    sheet.row_dimensions[2].height = 60
    sheet.freeze_panes = "D3"

    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 110
    lines = _instructions(indicators, vintage, period, era_label(units, vintage),
                          place or eras.scope(eras.DEFAULT_SCOPE).label)
    for number, line in enumerate(lines, start=1):
        cell = help_sheet.cell(row=number, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if number == 1:
            cell.font = Font(bold=True, size=13)

    meta = book.create_sheet(META_SHEET)
    for number, (key, value) in enumerate((("vintage", vintage), ("period", period), ("template", 1)), start=1):
        meta.cell(row=number, column=1, value=key)
        meta.cell(row=number, column=2, value=value)
    meta.sheet_state = "hidden"
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validation(ind, DataValidation):
    common = {"allow_blank": True, "showErrorMessage": True, "showInputMessage": True,
              "errorTitle": "Giá trị không hợp lệ", "promptTitle": ind.label_vi[:32]}
    if ind.kind == "count":
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                              error="Nhập một số nguyên không âm.", prompt="Số nguyên ≥ 0", **common)
    if ind.kind == "length_km":
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                              error="Nhập một số không âm (km).", prompt="Số ≥ 0 (km)", **common)
    if ind.kind == "percent":
        return DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                              error="Nhập một tỷ lệ từ 0 đến 100.", prompt="0 – 100 (%)", **common)
    if ind.kind == "categorical":  # a drop-down of the Vietnamese labels; keys and English labels also pass
        labels = [c.label_vi for c in ind.categories]
        return DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                              error="Chọn một trong: " + "; ".join(labels) + ".",
                              prompt="Chọn trong danh sách"[:255], **common)
    return DataValidation(type="whole", operator="between", formula1="0", formula2="1",
                          error="Nhập 1 (có) hoặc 0 (không).", prompt="1 = có, 0 = không", **common)


def _instructions(indicators, vintage, period, label, place):
    lines = [
        f"Hướng dẫn nhập số liệu cấp xã — maison-geo, {place}",
        f"Mẫu này dành cho năm {period}, thời kỳ {label} (mã thời kỳ: {vintage}).",
        "",
        "1. Nhập số liệu vào trang “Số liệu”: mỗi dòng là một xã/thị trấn, mỗi cột là một chỉ tiêu. "
        "Không sửa các cột Mã, Tên xã, Loại (tô xám) và không sửa dòng tiêu đề.",
        "2. Ô để trống nghĩa là không có số liệu; ô trống không làm thay đổi số liệu hiện có.",
        "3. Số đếm (hộ, bản, tuyến, người) là số nguyên không âm. Chiều dài tính bằng km, có thể có phần "
        "thập phân (dùng dấu phẩy hoặc dấu chấm theo cài đặt của Excel).",
        "4. Chỉ tiêu có/không: nhập 1 (có) hoặc 0 (không).",
        "5. Các tỷ lệ (%) được tính tự động từ số bản, số hộ; không cần nhập (trừ tỷ lệ hộ nghèo: nhập theo "
        "chuẩn nghèo đang áp dụng cho năm đó — chuẩn nghèo đa chiều 2022–2025 từ năm 2021, chuẩn 2016–2020 "
        "trước đó).",
        "5b. Chỉ tiêu phân loại (nông thôn mới, khu vực I/II/III): chọn trong danh sách; cũng nhận mã "
        "(standard, III...) hoặc tên tiếng Anh, không phân biệt hoa thường, có dấu hay không dấu. Chỉ nhập "
        "tình trạng đã có quyết định công nhận.",
        "6. Ô tô xám trong cột chỉ tiêu: chỉ tiêu không áp dụng cho đơn vị đó (ví dụ thị trấn); để trống.",
        "7. Lưu tệp dạng .xlsx (hoặc CSV UTF-8) rồi tải lên trang “Nhập số liệu”. Khi tải lên, chọn tình "
        "trạng số liệu (chính thức hoặc báo cáo) và ghi rõ nguồn (văn bản, ngày).",
        "8. Hệ thống kiểm tra từng ô trước khi ghi: mọi lỗi được báo kèm số dòng và cột. Không có gì được "
        "ghi khi còn lỗi. Mỗi lần nhập là một phiên bản; phiên bản cũ vẫn được lưu và có thể khôi phục.",
        "",
        "Các chỉ tiêu trong mẫu:",
    ]
    for ind in indicators:
        unit = f" — đơn vị: {ind.unit}" if ind.unit else ""
        lines.append(f"• {ind.label_vi} [{ind.key}]{unit}")
    return lines
