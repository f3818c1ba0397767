"""Reports as tables, and a table as CSV or as an Excel workbook (bytes). No Flask here.

One Table feeds the page, the CSV and the workbook: cells hold plain values (numbers, text,
dates, None) and each column says how its values read (`kind`).
"""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Optional
from urllib.parse import quote

import xlsxwriter

TEXT, INT, RATE, NUMBER, DAY = "text", "int", "rate", "number", "day"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")   # what spreadsheets take for a formula
MAX_WIDTH = 50


@dataclass(frozen=True)
class Column:
    """A column: its code (for ids and JSON), its header, and how its values read."""
    key: str
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    """One report: a code, a title, columns, and rows of plain values."""
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]

    def column(self, key: str) -> list:
        """The values of the column `key`, top to bottom."""
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]


def cell_text(value, kind: str) -> str:
    """A value as the page and the CSV show it: rates as percentages, None as empty."""
    if value is None:
        return ""
    if kind == RATE:
        return f"{value * 100:.1f}%"
    if kind == NUMBER:
        return f"{value:.2f}"
    if kind == DAY and isinstance(value, date):
        return value.isoformat()
    return str(value)


def guarded(text: str) -> str:
    """Text that a spreadsheet will not run as a formula: a leading ' when it could."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(table: Table) -> bytes:
    """The table as CSV, UTF-8 with a BOM (so Excel reads the Chinese right), CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([guarded(c.label) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(value, c.kind) for value, c in zip(row, table.columns)])
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value, kind: str) -> str:
    """Text from the database is guarded; numbers we formatted (even negative) are not."""
    text = cell_text(value, kind)
    return guarded(text) if isinstance(value, str) else text


def to_xlsx(tables: list[Table]) -> bytes:
    """The tables as one workbook, a sheet each: bold headers, set widths, typed cells.

    Text goes in with write_string, so a cell starting with = is text, never a formula.
    """
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = {"header": book.add_format({"bold": True}), RATE: book.add_format(
        {"num_format": "0.0%"}), NUMBER: book.add_format({"num_format": "0.00"}),
        DAY: book.add_format({"num_format": "yyyy-mm-dd"})}
    for table in tables:
        sheet = book.add_worksheet(sheet_name(table.title, book.sheetnames))
        for col, column in enumerate(table.columns):
            sheet.write_string(0, col, column.label, formats["header"])
            sheet.set_column(col, col, _width(table, col))
        for row_number, row in enumerate(table.rows, start=1):
            for col, (value, column) in enumerate(zip(row, table.columns)):
                _write(sheet, row_number, col, value, column.kind, formats)
        sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def _write(sheet, row: int, col: int, value, kind: str, formats: dict) -> None:
    if value is None:
        sheet.write_blank(row, col, None)
    elif kind == DAY and isinstance(value, date):
        sheet.write_datetime(row, col, value, formats[DAY])
    elif kind in (INT, RATE, NUMBER) and isinstance(value, (int, float)):
        sheet.write_number(row, col, value, formats.get(kind))
    else:
        sheet.write_string(row, col, str(value))


def sheet_name(title: str, taken) -> str:
    """A valid, unused sheet name: no []:*?/\\, at most 31 characters."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"
    name, n = base, 1
    while name.lower() in {t.lower() for t in taken}:
        n += 1
        name = f"{base[:31 - len(str(n)) - 1]}_{n}"
    return name


def _width(table: Table, col: int) -> float:
    """Wide enough for the header and the longest cell; CJK characters count twice."""
    column = table.columns[col]
    texts = [column.label] + [cell_text(row[col], column.kind) for row in table.rows]
    return min(MAX_WIDTH, max(_display_width(t) for t in texts) + 2)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def attachment(filename: str, fallback: str) -> str:
    """A Content-Disposition value: an ASCII name for old clients, the UTF-8 one for the rest."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def find(tables: list[Table], key: str) -> Optional[Table]:
    """The table with code `key`, or None."""
    return next((t for t in tables if t.key == key), None)
