"""What a workbook file must pass before any reader parses it: the container checks.

Files from outside are checked before a parser sees them: an encrypted workbook, a zip
bomb (huge expansion), a part stored twice, or an XML bomb (a document type declaration
anywhere in any part, which spreadsheets never need) is refused at once, with bounded
memory. The sheet to be read is then measured by a streaming scan
(:mod:`genebank.io.sheet_extent`) before calamine builds its grid of cells, which a single
cell at XFD1048576 would make 550 GB.

That scan is the one pass over the sheet's XML before calamine: whoever needs something
else from the XML (the formula and percentage cells, :mod:`genebank.io.cell_marks`) is
given the same pieces meanwhile, rather than inflating the sheet once more.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from genebank.io import sheet_extent
from genebank.io.sheet_extent import PieceReader, SheetRefused
from genebank.io.unreadable import UnreadableFile, damaged, sheet_refused

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 200
SCAN_CHUNK_BYTES = 1 << 20
WORKSHEET_FOLDER = "xl/worksheets/"  # scanned by ``sheet_extent`` when a sheet is read


def check_workbook_container(path: Path) -> None:
    """Refuse a file that is no workbook, expands too far, holds a part twice, or declares
    a DOCTYPE outside its worksheets (those are scanned when read). An encrypted .xlsx is
    an OLE compound file, not a zip: :mod:`genebank.io.xls_container` refuses it."""
    if not zipfile.is_zipfile(path):
        raise UnreadableFile("not_a_workbook", file=path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(path, archive, skip_folder=WORKSHEET_FOLDER)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error,
            NotImplementedError, ValueError) as error:
        raise damaged(path, error) from None


def check_zip(path: Path, archive: zipfile.ZipFile, *, skip: tuple[str, ...] = (),
              skip_folder: str | None = None) -> None:
    """The checks of any zip a spreadsheet comes in (.xlsx, .xlsm, .ods): no part twice, no
    bomb, no DOCTYPE or ENTITY in a part, bar those its sheet scan reads (``skip``, or
    those under ``skip_folder``)."""
    _check_sizes(path, archive)
    for info in archive.infolist():
        if info.filename in skip or (skip_folder and info.filename.startswith(skip_folder)):
            continue
        if _declares_doctype(archive, info):
            raise UnreadableFile("file_doctype", file=path.name, part=info.filename)


def _check_sizes(path: Path, archive: zipfile.ZipFile) -> None:
    total = 0
    names: set[str] = set()
    for info in archive.infolist():
        if info.filename in names:
            raise UnreadableFile("duplicate_part", file=path.name, part=info.filename)
        names.add(info.filename)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (info.file_size > 10_000_000
                                              and ratio > MAX_COMPRESSION_RATIO):
            raise UnreadableFile("zip_bomb", file=path.name)


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _declares_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a DOCTYPE or ENTITY declaration appears anywhere in the part (read a megabyte
    at a time, with an overlap so that one cut in two is found)."""
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(SCAN_CHUNK_BYTES):
            data = tail + chunk
            if b"!" in data and _DOCTYPE.search(data):
                return True
            tail = data[-16:]
    return False


def member_chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """A part's bytes, inflated ``SCAN_CHUNK_BYTES`` at a time."""
    with archive.open(part) as stream:
        while chunk := stream.read(SCAN_CHUNK_BYTES):
            yield chunk


def sheet_parts(archive: zipfile.ZipFile, sheet: str) -> list[str]:
    """Every part of the archive a reader could take for the sheet named ``sheet``: the
    relationship's target as written, with and without ``xl/`` and a leading ``/``, in any
    letter case. Usually one; the scan measures them all, so that no reading of the path
    by calamine escapes it."""
    try:
        workbook = parse_xml(archive.read("xl/workbook.xml"))
        rels = parse_xml(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return []
    if workbook is None or rels is None:
        return []
    ids = {value for element in workbook.iter() if local(element.tag) == "sheet"
           and element.get("name") == sheet
           for key, value in element.attrib.items() if local(key) == "id"}
    targets = [element.get("Target", "") for element in rels.iter()
               if local(element.tag) == "Relationship" and element.get("Id") in ids]
    candidates = set()
    for target in targets:
        target = target.replace("\\", "/")
        bare = target.lstrip("/")
        for name in (target, bare, f"xl/{bare}", posixpath.normpath(f"xl/{bare}"),
                     posixpath.normpath(bare)):
            candidates.add(name.lower())
    return [name for name in archive.namelist() if name.lower() in candidates]


def measure_sheet(path: Path, archive: zipfile.ZipFile, sheet: str,
                  marks: PieceReader | None = None) -> list[str]:
    """Scan every part that may be the sheet; refuse it past the limits. Returns the parts,
    the one calamine reads first. ``marks`` reads that first part's XML in the same pass."""
    parts = sheet_parts(archive, sheet)
    if not parts:
        raise damaged(path, f"no part holds sheet '{sheet}'")
    for index, part in enumerate(parts):
        try:
            sheet_extent.sheet_extent(lambda part=part: member_chunks(archive, part),
                                      marks if index == 0 else None)
        except SheetRefused as refusal:
            raise sheet_refused(path, sheet, refusal) from None
    return parts


def measure_piece(path: Path, sheet: str, xml: bytes,
                  marks: PieceReader | None = None) -> None:
    """Refuse a sheet's XML held whole (the top of a sheet, cut for a preview)."""
    try:
        sheet_extent.sheet_extent(lambda: [xml], marks)
    except SheetRefused as refusal:
        raise sheet_refused(path, sheet, refusal) from None


def parse_xml(data: bytes) -> ElementTree.Element | None:
    """A small XML part (DOCTYPE refused before): None when it does not parse, in any of
    the ways a damaged part fails (bad syntax, an unknown encoding)."""
    try:
        return ElementTree.fromstring(data)
    except (ElementTree.ParseError, LookupError, ValueError, UnicodeError):
        return None


def local(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rsplit("}", 1)[-1]
