"""Workbooks for tests, written as Excel or LibreOffice save them (openpyxl writes the same
cell types): one helper instead of a copy in every test module."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import openpyxl


def workbook(path: Path, sheets: Mapping[str, Iterable[Sequence[object]]], *,
             setup: Callable[[openpyxl.Workbook], object] | None = None) -> Path:
    """``path`` written with one sheet for each item of ``sheets`` (its name: its rows, in
    order); ``setup``, if given, changes the workbook before it is saved (its date system,
    a formula...)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    if setup is not None:
        setup(book)
    book.save(path)
    return path
