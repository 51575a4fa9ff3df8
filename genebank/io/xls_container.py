"""What an Excel 97-2003 workbook (.xls) must pass before calamine parses it.

An .xls file is an OLE compound file (CFB: a small file system of sectors chained by a
table) holding a "Workbook" stream of BIFF records. calamine reads every sheet of it when it
opens the file and builds each sheet's grid from its first to its last cell, so a file of a
few kilobytes with cells at A1 and IV65536 (or, past what Excel writes, at column 65535)
asks for gigabytes. This module reads the compound file itself, with every chain and size
bounded by the file, finds the Workbook stream, refuses an encrypted workbook (a FILEPASS
record, or an encrypted .xlsx, which is a compound file too), and walks the BIFF records of
every sheet once: the rectangle each sheet's cells span is measured against the same limits
as an .xlsx sheet (:mod:`genebank.io.sheet_extent`), and the cells that hold formulas and
those shown as percentages are noted on the way (calamine gives neither: Excel shows 6.5 %
and stores 0.065).

The walk is plain Python over the records, one step per cell: about a second for 65,535
rows of 26 columns (see bench/), paid only for .xls files.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from genebank.io import sheet_extent
from genebank.io.cell_marks import PERCENT_FORMAT_IDS, _is_percent_format
from genebank.io.sheet_extent import Extent, SheetRefused
from genebank.io.unreadable import UnreadableFile, damaged, sheet_refused

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_XLS_BYTES = 256 * 1024**2  # Excel 97's own files stay far below; a CFB limit is 2 GB
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_MAX_REGULAR = 0xFFFFFFFA
_HEADER = struct.Struct("<8s16sHHHHH6sIIIIIIIII")
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_RECORD = struct.Struct("<HH")
_RECORD_CELL = struct.Struct("<HHHHH")
_BOUNDSHEET = struct.Struct("<IBB")

# BIFF record types
_BOF, _EOF, _FILEPASS, _BOUNDSHEET_ID, _FORMAT, _XF = 0x0809, 0x000A, 0x002F, 0x0085, 0x041E, 0x00E0
_FORMULAS = frozenset({0x0006, 0x0406, 0x0206})
_MULRK, _MULBLANK = 0x00BD, 0x00BE
# Every record a reader takes a cell from (BIFF2 to BIFF8): row, column and XF first.
_CELLS = frozenset({0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0201, 0x0203,
                    0x0204, 0x0205, 0x0206, 0x027E, 0x00FD, 0x00D6, 0x0406})
_BIFF_GRID = (65_536, 256)  # what Excel 97-2003 writes; a cell past it is refused


@dataclass(slots=True)
class XlsSheet:
    """One sheet as the records say: its name, whether it is a worksheet and visible, the
    rectangle of its cells and its formula and percentage cells, (row, column) 1-based."""

    name: str
    worksheet: bool
    visible: bool
    extent: Extent = field(default_factory=Extent)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    percents: set[tuple[int, int]] = field(default_factory=set)


def inspect_xls(path: Path, *, measure: bool = True) -> list[XlsSheet]:
    """The sheets of the .xls at ``path``, every one measured; refused with a coded
    :class:`UnreadableFile` when the file is damaged, encrypted or a sheet is too large.
    Without ``measure``, only the workbook's list of sheets is read (for a file page that
    lists them at once, leaving calamine unopened)."""
    size = path.stat().st_size
    if size > MAX_XLS_BYTES:
        raise UnreadableFile("workbook_too_large", file=path.name,
                             megabytes=size / 1024**2,
                             limit_megabytes=MAX_XLS_BYTES // 1024**2)
    data = path.read_bytes()
    try:
        streams = _CompoundFile(path, data).streams()
    except (struct.error, IndexError, ValueError) as error:
        raise damaged(path, error) from None
    names = {name.lower() for name in streams}
    if {"encryptioninfo", "encryptedpackage"} & names:
        raise UnreadableFile("encrypted", file=path.name)
    stream = streams.get("Workbook") or streams.get("Book")
    if stream is None:
        stream = next((s for n, s in streams.items() if n.lower() in ("workbook", "book")),
                      None)
    if stream is None:
        raise UnreadableFile("not_a_workbook", file=path.name)
    try:
        return _read_biff(path, stream, measure)
    except (struct.error, IndexError) as error:
        raise damaged(path, error) from None


class _CompoundFile:
    """The streams of a compound file held in memory, every chain bounded and checked."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        if len(data) < 512:
            raise damaged(self.path, "shorter than a compound file's header")
        (magic, _clsid, _minor, _major, order, shift, mini_shift, _reserved, _directories,
         self.fat_sectors, self.first_directory, _signature, self.cutoff,
         self.first_mini_fat, self.mini_fat_sectors, self.first_difat,
         self.difat_sectors) = _HEADER.unpack_from(data)
        if magic != OLE_MAGIC or order != 0xFFFE or shift not in (9, 12) or mini_shift != 6:
            raise damaged(self.path, "not a valid compound file header")
        self.data = data
        self.sector = 1 << shift
        self.sectors = (len(data) - self.sector) // self.sector + 1
        self.fat = self._fat()

    def _offset(self, sector: int) -> int:
        """Where a whole sector starts; a sector cut short (a file cut in transfer) is
        refused, so that no row is lost without a word."""
        if (sector + 2) * self.sector > len(self.data):
            raise damaged(self.path, f"sector {sector} lies past the end of the file")
        return (sector + 1) * self.sector

    def _fat(self) -> list[int]:
        difat = list(struct.unpack_from("<109I", self.data, 76))
        sector, seen = self.first_difat, set()
        while sector < _MAX_REGULAR and len(difat) < self.fat_sectors:
            if sector in seen:
                raise damaged(self.path, "the sector table's chain loops")
            seen.add(sector)
            start = self._offset(sector)
            count = self.sector // 4 - 1
            difat += struct.unpack_from(f"<{count}I", self.data, start)
            sector = _U32.unpack_from(self.data, start + count * 4)[0]
        if self.fat_sectors > self.sectors:
            raise damaged(self.path, "more table sectors than the file has")
        fat: list[int] = []
        per = self.sector // 4
        for sector in difat[:self.fat_sectors]:
            if sector >= _MAX_REGULAR:
                break
            fat += struct.unpack_from(f"<{per}I", self.data, self._offset(sector))
        return fat

    def _chain(self, start: int, table: list[int], limit: int) -> list[int]:
        chain: list[int] = []
        sector = start
        while sector != _END_OF_CHAIN:
            if sector >= len(table) or len(chain) >= limit:
                raise damaged(self.path, "a sector chain leaves the file or loops")
            chain.append(sector)
            sector = table[sector]
        return chain

    def _read(self, start: int, size: int | None = None) -> bytes:
        chain = self._chain(start, self.fat, self.sectors)
        data = b"".join(self.data[self._offset(s):self._offset(s) + self.sector]
                        for s in chain)
        if size is not None:
            if size > len(data):
                raise damaged(self.path, "a stream is longer than its sectors")
            data = data[:size]
        return data

    def streams(self) -> dict[str, bytes]:
        """Every stream of the file by name (the Workbook stream is what a reader needs)."""
        directory = self._read(self.first_directory)
        entries = []
        for at in range(0, len(directory) - 127, 128):
            length = _U16.unpack_from(directory, at + 64)[0]
            kind = directory[at + 66]
            start, size = struct.unpack_from("<IQ", directory, at + 116)
            if self.sector == 512:
                size &= 0xFFFFFFFF
            name = directory[at:at + max(0, min(length, 64) - 2)].decode("utf-16-le",
                                                                         "replace")
            entries.append((name, kind, start, size))
        if not entries or entries[0][1] != 5:
            raise damaged(self.path, "no root entry in the directory")
        root = entries[0]
        mini_stream: bytes | None = None
        mini_fat: list[int] | None = None
        found: dict[str, bytes] = {}
        for name, kind, start, size in entries[1:]:
            if kind != 2 or name in found:
                continue
            if size > len(self.data):
                raise damaged(self.path, f"stream '{name}' is longer than the file")
            if size < self.cutoff:
                if mini_stream is None:
                    mini_stream = self._read(root[2], root[3]) if root[3] else b""
                    raw = self._read(self.first_mini_fat) if self.mini_fat_sectors else b""
                    mini_fat = list(struct.unpack(f"<{len(raw) // 4}I", raw[:len(raw) // 4
                                                                              * 4]))
                assert mini_fat is not None
                chain = self._chain(start, mini_fat, len(mini_fat)) if size else []
                data = b"".join(mini_stream[s * 64:s * 64 + 64] for s in chain)
                if size > len(data):
                    raise damaged(self.path, f"stream '{name}' is longer than its sectors")
                found[name] = data[:size]
            else:
                found[name] = self._read(start, size)
        return found


def _read_biff(path: Path, stream: bytes, measure: bool = True) -> list[XlsSheet]:
    record, length = _RECORD.unpack_from(stream, 0)
    if record != _BOF and record not in (0x0009, 0x0209, 0x0409):
        raise damaged(path, "the Workbook stream does not start with a BOF record")
    if record != _BOF:
        raise UnreadableFile("xls_too_old", file=path.name)
    biff8 = _U16.unpack_from(stream, 4)[0] >= 0x0600
    formats: dict[int, str] = {}
    xf_formats: list[int] = []
    bounds: list[tuple[int, XlsSheet]] = []
    position = 4 + length
    end = len(stream)
    while position + 4 <= end:
        record, length = _RECORD.unpack_from(stream, position)
        body = position + 4
        position = body + length
        if record == _EOF:
            break
        if record == _FILEPASS:
            raise UnreadableFile("encrypted", file=path.name)
        if record == _XF and length >= 4:
            xf_formats.append(_U16.unpack_from(stream, body + 2)[0])
        elif record == _FORMAT and length >= 3:
            formats[_U16.unpack_from(stream, body)[0]] = _format_text(
                stream[body + 2:body + length], biff8)
        elif record == _BOUNDSHEET_ID and length >= 8:
            offset, state, kind = _BOUNDSHEET.unpack_from(stream, body)
            name = _sheet_name(stream[body + 6:body + length], biff8)
            bounds.append((offset, XlsSheet(name, kind == 0, state & 3 == 0)))
    if not measure:
        return [sheet for _offset, sheet in bounds]
    percent_formats = {i for i, text in formats.items() if _is_percent_format(text)}
    percent_formats |= PERCENT_FORMAT_IDS
    percent_xfs = frozenset(i for i, f in enumerate(xf_formats) if f in percent_formats)
    budget = 4 * len(stream) + 65_536  # a sheet's records are walked once
    padded = stream + bytes(10)  # a record at the very end unpacks as a cell's 10 bytes too
    for offset, sheet in bounds:
        if sheet.worksheet:
            budget -= _walk_sheet(path, padded, offset, sheet, percent_xfs, budget)
            try:
                _check(sheet.extent)
            except SheetRefused as refusal:
                raise sheet_refused(path, sheet.name, refusal) from None
    return [sheet for _offset, sheet in bounds]


def _check(extent: Extent) -> None:
    """The rectangle from A1 to the last cell, against Excel 97's grid and the cell limit."""
    whole = Extent()
    if extent.last_row:
        whole.add(1, 1)
        whole.add(extent.last_row, extent.last_column)
    if whole.last_row > _BIFF_GRID[0] or whole.last_column > _BIFF_GRID[1]:
        raise SheetRefused("cell_beyond_grid",
                           cell=f"{sheet_extent.column_letters(whole.last_column)}"
                                f"{whole.last_row}",
                           last_cell=f"{sheet_extent.column_letters(_BIFF_GRID[1])}"
                                     f"{_BIFF_GRID[0]}")
    sheet_extent.check_extent(whole)


def _walk_sheet(path: Path, stream: bytes, offset: int, sheet: XlsSheet,
                percent_xfs: frozenset[int], budget: int) -> int:
    """Walk one sheet's records from its BOF to its EOF; returns the bytes walked."""
    if offset + 14 > len(stream) or _RECORD.unpack_from(stream, offset)[0] not in (
            _BOF, 0x0009, 0x0209, 0x0409):
        raise damaged(path, f"sheet '{sheet.name}' does not start where the workbook says")
    position = offset + 4 + _RECORD.unpack_from(stream, offset)[1]
    end = min(len(stream) - 10, offset + budget)
    if end <= position:
        raise damaged(path, "the sheets' records overlap too often")
    last_row = last_column = 0
    formulas, percents = sheet.formulas, sheet.percents
    unpack = _RECORD_CELL.unpack_from  # a record's type and length, a cell's row, column, XF
    cells, formula_records = _CELLS, _FORMULAS
    depth = 0  # a chart inside a sheet has its own BOF ... EOF
    last_start = end - 4
    while position <= last_start:
        record, length, row, column, xf = unpack(stream, position)
        position += 4 + length
        if record in cells:
            if length < 6:
                continue
            if row >= last_row:
                last_row = row + 1
            if column >= last_column:
                last_column = column + 1
            if record in formula_records:
                formulas.add((row + 1, column + 1))
            if xf in percent_xfs:
                percents.add((row + 1, column + 1))
        elif record in (_MULRK, _MULBLANK):
            step = 6 if record == _MULRK else 2
            count = (length - 6) // step
            if count <= 0:
                continue
            if row >= last_row:
                last_row = row + 1
            if column + count > last_column:
                last_column = column + count
            if percent_xfs:
                body = position - length
                for index in range(count):
                    if _U16.unpack_from(stream, body + 4 + index * step)[0] in percent_xfs:
                        percents.add((row + 1, column + index + 1))
        elif record == _BOF or record in (0x0009, 0x0209, 0x0409):
            depth += 1
        elif record == _EOF:
            if not depth:
                break
            depth -= 1
    else:
        if end < len(stream) - 10:  # stopped by the budget, not by the sheet's end
            raise damaged(path, "the sheets' records overlap too often")
    if last_row:
        sheet.extent.add(1, 1)
        sheet.extent.add(last_row, last_column)
    return position - offset


def _format_text(body: bytes, biff8: bool) -> str:
    """A FORMAT record's number format (after its index)."""
    if biff8:
        if len(body) < 3:
            return ""
        count, flags = _U16.unpack_from(body)[0], body[2]
        raw = body[3:3 + count * (2 if flags & 1 else 1)]
        return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
    return body[1:1 + body[0]].decode("cp1252", "replace") if body else ""


def _sheet_name(body: bytes, biff8: bool) -> str:
    if not body:
        return ""
    count = body[0]
    if biff8 and len(body) >= 2:
        wide = body[1] & 1
        return body[2:2 + count * (2 if wide else 1)].decode(
            "utf-16-le" if wide else "latin-1", "replace")
    return body[1:1 + count].decode("cp1252", "replace")
