"""A small streaming XLSX writer for the monthly export: rows go straight into the zip, in constant memory.

openpyxl (even write-only) and XlsxWriter spend 30–100 µs of Python per cell; the 10,000-employee export
has about 650k cells (issue 16: 23 s with openpyxl). Here a row is one string built from pieces prepared
once (the column letters, the style indexes), so a cell costs about a microsecond.

It writes what the export needs and nothing more: inline strings (no formula or URL guessing: text stays
text), numbers, booleans, dates, cell styles (bold, a solid fill, centred, a number format) defined before
the first sheet, column widths and frozen panes. Any reader of Office Open XML opens it (openpyxl in the tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
import re
from typing import IO, Any
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 does not allow (a control character in a pasted name would make the file unreadable).
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_EPOCH = date(1899, 12, 30)
MAX_ROWS, MAX_COLUMNS, MAX_TEXT = 1_048_576, 16_384, 32_767


def get_column_letter(column: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return ILLEGAL.sub("\ufffd", text)


class Style(int):
    """A cell style: its index in the workbook's cellXfs."""


class Workbook:
    """`with Workbook(output) as book:` define the styles, then write the sheets one after the other."""

    def __init__(self, output: str | IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._fonts = ['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
                       '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>']
        self._fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
        self._formats: list[str] = []
        self._xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
        self._sheets: list[str] = []
        self._open: Sheet | None = None
        self.date_style = self.style(number_format="yyyy-mm-dd")

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def style(self, *, bold: bool = False, fill: str | None = None, centre: bool = False,
              number_format: str | None = None) -> Style:
        """A cell style; `fill` is an RGB colour such as "FFF3CD" (a solid fill)."""
        if self._sheets:
            raise RuntimeError("define the styles before the first sheet")
        font = 1 if bold else 0
        fill_id = 0
        if fill is not None:
            self._fills.append(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{fill.upper()}"/>'
                               f'<bgColor indexed="64"/></patternFill></fill>')
            fill_id = len(self._fills) - 1
        format_id = 0
        if number_format is not None:
            self._formats.append(f'<numFmt numFmtId="{164 + len(self._formats)}" formatCode="{escape(number_format)}"/>')
            format_id = 163 + len(self._formats)
        xf = f'<xf numFmtId="{format_id}" fontId="{font}" fillId="{fill_id}" borderId="0" xfId="0"'
        xf += ' applyNumberFormat="1"' if format_id else ""
        xf += ' applyFont="1"' if font else ""
        xf += ' applyFill="1"' if fill_id else ""
        xf += ' applyAlignment="1"><alignment horizontal="center"/></xf>' if centre else "/>"
        self._xfs.append(xf)
        return Style(len(self._xfs) - 1)

    def sheet(self, title: str, *, widths: dict[int, float] | None = None, freeze: tuple[int, int] = (0, 0)) -> Sheet:
        """A new sheet (the previous one is finished). `widths`: {1-based column: width}; `freeze`: the number
        of rows and columns kept in view (openpyxl's freeze_panes "D3" is (2, 3))."""
        if self._open is not None:
            self._open.close()
        self._sheets.append(title[:31])
        self._open = Sheet(self, self._zip.open(f"xl/worksheets/sheet{len(self._sheets)}.xml", "w", force_zip64=True),
                           widths or {}, freeze, selected=len(self._sheets) == 1)
        return self._open

    def close(self) -> None:
        if self._zip.fp is None:
            return
        if self._open is not None:
            self._open.close()
            self._open = None
        count = len(self._sheets)
        write = self._zip.writestr
        write("[Content_Types].xml", HEADER + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for n in range(1, count + 1))
            + "</Types>"))
        write("_rels/.rels", HEADER + f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
              f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        write("xl/workbook.xml", HEADER + f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
              '<bookViews><workbookView/></bookViews><sheets>'
              + "".join(f'<sheet name="{escape(title)}" sheetId="{n}" r:id="rId{n}"/>'
                        for n, title in enumerate(self._sheets, start=1))
              + "</sheets></workbook>")
        write("xl/_rels/workbook.xml.rels", HEADER + f'<Relationships xmlns="{PACKAGE}">'
              + "".join(f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                        for n in range(1, count + 1))
              + f'<Relationship Id="rId{count + 1}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>')
        formats = f'<numFmts count="{len(self._formats)}">{"".join(self._formats)}</numFmts>' if self._formats else ""
        write("xl/styles.xml", HEADER + f'<styleSheet xmlns="{MAIN}">{formats}'
              f'<fonts count="{len(self._fonts)}">{"".join(self._fonts)}</fonts>'
              f'<fills count="{len(self._fills)}">{"".join(self._fills)}</fills>'
              '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              f'<cellXfs count="{len(self._xfs)}">{"".join(self._xfs)}</cellXfs>'
              '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
        self._zip.close()


class Sheet:
    """Rows are appended in order; a cell is a value, or (value, Style); None leaves the cell empty."""

    def __init__(self, book: Workbook, stream: IO[bytes], widths: dict[int, float], freeze: tuple[int, int],
                 *, selected: bool) -> None:
        self._book, self._stream, self._row = book, stream, 0
        self._letters: list[str] = []
        rows, columns = freeze
        view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "") + ">"
        if rows or columns:
            pane = "bottomRight" if rows and columns else ("bottomLeft" if rows else "topRight")
            split = (f' xSplit="{columns}"' if columns else "") + (f' ySplit="{rows}"' if rows else "")
            view += (f'<pane{split} topLeftCell="{get_column_letter(columns + 1)}{rows + 1}" activePane="{pane}" state="frozen"/>'
                     f'<selection pane="{pane}"/>')
        view += "</sheetView>"
        cols = "".join(f'<col min="{column}" max="{column}" width="{width}" customWidth="1"/>'
                       for column, width in sorted(widths.items()))
        self._stream.write((HEADER + f'<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheetViews>{view}</sheetViews>'
                            '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "")
                            + "<sheetData>").encode())

    def letters(self, count: int) -> list[str]:
        """The column letters A, B, … of the first `count` columns."""
        while len(self._letters) < count:
            self._letters.append(get_column_letter(len(self._letters) + 1))
        return self._letters

    def append(self, cells: Iterable[Any], templated: Iterable[tuple[str, str]] = ()) -> None:
        """One row: `cells` from column A on, then `templated` cells made by `template` (for a large grid
        of few distinct cells: a cell is then two prepared strings around the row number)."""
        cells = list(cells)
        self._row += 1
        if self._row > MAX_ROWS or len(cells) > MAX_COLUMNS:
            raise ValueError("too many rows or columns for a worksheet")
        row = str(self._row)
        letters = self.letters(len(cells))
        parts = [f'<row r="{row}">']
        for index, cell in enumerate(cells):
            value, style = cell if isinstance(cell, tuple) else (cell, None)
            text = self.cell_xml(value, style)
            if text:
                parts.append(f'<c r="{letters[index]}{row}"{text}</c>')
        for before, after in templated:
            if before:
                parts += (before, row, after)
        parts.append("</row>")
        self._stream.write("".join(parts).encode())

    def template(self, column: int, value: Any, style: Style | None = None) -> tuple[str, str]:
        """Cell `value` of column `column` (1-based) for `append(…, templated=…)`, in any row."""
        text = self.cell_xml(value, style)
        return (f'<c r="{self.letters(column)[column - 1]}', f'"{text}</c>') if text else ("", "")

    def cell_xml(self, value: Any, style: Style | None) -> str:
        """A cell's attributes and content after `<c r="…"` (empty: nothing to write)."""
        if isinstance(value, datetime):
            value = value.replace(tzinfo=None)
            days = (value - datetime(1899, 12, 30)).total_seconds() / 86400
            return f' s="{style if style is not None else self._book.date_style}"><v>{days!r}</v>'
        if isinstance(value, date):
            return f' s="{style if style is not None else self._book.date_style}"><v>{(value - EXCEL_EPOCH).days}</v>'
        styled = f' s="{style}"' if style is not None else ""
        if value is None or value == "":
            return f"{styled}>" if styled else ""
        if isinstance(value, bool):
            return f'{styled} t="b"><v>{int(value)}</v>'
        if isinstance(value, int):
            return f"{styled}><v>{value}</v>"
        if isinstance(value, Decimal):
            return f"{styled}><v>{format(value, 'f')}</v>" if value.is_finite() else self.cell_xml(str(value), style)
        if isinstance(value, float):
            return f"{styled}><v>{value!r}</v>" if value == value and abs(value) != float("inf") else (
                self.cell_xml(str(value), style))
        text = escape(str(value)[:MAX_TEXT])
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'{styled} t="inlineStr"><is><t{space}>{text}</t></is>'

    def close(self) -> None:
        if not self._stream.closed:
            self._stream.write(b"</sheetData></worksheet>")
            self._stream.close()
