"""Bulk import of units, people and past grades from CSV, XLSX or JSON rows. Pure: no I/O.

Ministries keep their staff lists in spreadsheets, so the reader is lenient
about the *container* (UTF-8 or Windows-1258 CSV, comma/semicolon/tab, title
rows above the header, Vietnamese or English column names with or without
diacritics, ``dd/mm/yyyy`` or ISO dates, Excel date cells) and strict about
the *content*: every value goes through the same command models and decision
functions as the HTTP API, so an imported row is refused for exactly the
reasons a command would be.

The pipeline, for one file, one module a step:

1. :mod:`.reading` — :func:`read_table`: bytes to rows of cells, with the
   sheet's row numbers, within the limits a hostile file meets;
2. :mod:`.columns` — :func:`parse_table`: find the header, map columns to
   fields, convert each cell with :mod:`.cells`; shape problems are collected
   per row;
3. :mod:`.planning` — :func:`plan`: decide each row against the current state
   (the tree, the people's states, loaded by the handler) and today's date.

The result, :class:`Plan`, lists every problem as ``{row, column, code,
message}`` and the events to append per stream. The handler appends all of
them in one transaction, or nothing when there is any problem.
"""

from __future__ import annotations

from .cells import (
    CellError,
    enum_converter,
    fold_key,
    to_bool,
    to_date,
    to_grade,
    to_id,
    to_sex,
    to_staff_category,
    to_subject,
    to_text,
    to_unit_kind,
    to_year,
)
from .columns import COLUMNS, Column, ImportKind, Problem, Row, Table, parse_table
from .planning import Plan, plan, referenced_ids, resolve_unit
from .reading import (
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_XLSX_PARTS,
    MAX_XLSX_UNCOMPRESSED,
    XLSX_MIME,
    ImportFileError,
    RawTable,
    UnsupportedFormat,
    check_workbook,
    decode_text,
    detect_format,
    read_csv,
    read_json_rows,
    read_table,
    read_xlsx,
)

__all__ = [
    "COLUMNS",
    "HEADER_SEARCH_ROWS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_XLSX_PARTS",
    "MAX_XLSX_UNCOMPRESSED",
    "XLSX_MIME",
    "CellError",
    "Column",
    "ImportFileError",
    "ImportKind",
    "Plan",
    "Problem",
    "RawTable",
    "Row",
    "Table",
    "UnsupportedFormat",
    "check_workbook",
    "decode_text",
    "detect_format",
    "enum_converter",
    "fold_key",
    "parse_table",
    "plan",
    "read_csv",
    "read_json_rows",
    "read_table",
    "read_xlsx",
    "referenced_ids",
    "resolve_unit",
    "to_bool",
    "to_date",
    "to_grade",
    "to_id",
    "to_sex",
    "to_staff_category",
    "to_subject",
    "to_text",
    "to_unit_kind",
    "to_year",
]
