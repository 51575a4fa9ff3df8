"""Hostile spreadsheet files built by hand, and a child process that reads files under a
memory limit, so that a reader that tries to allocate gigabytes kills the child, not the
test run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
    '<sheets><sheet name="MCPD" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>ACCENUMB</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>GENUS</t></is></c></row>')


def sheet_xml(rows: str, *, dimension: str = "A1:B2", root: str = "worksheet",
              prefix: str = "") -> str:
    """A worksheet part around ``rows`` (the XML inside ``<sheetData>``)."""
    xmlns = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<{prefix}{root} {xmlns}><{prefix}dimension ref="{dimension}"/>'
            f'<{prefix}sheetData>{rows}</{prefix}sheetData></{prefix}{root}>')


def write_workbook(path: Path, sheet: str | bytes, *, parts: dict[str, str | bytes] | None
                   = None) -> Path:
    """A minimal .xlsx (as small as a hostile one is) whose only sheet is ``sheet``."""
    members: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": WORKBOOK, "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet, **(parts or {})}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def replace_parts(path: Path, target: Path, parts: dict[str, bytes]) -> Path:
    """A copy of the workbook at ``path`` with some parts replaced or added."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members.update(parts)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


CHILD = r"""
import json, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from genebank.io import spreadsheet
for path in sys.argv[2:]:
    print(json.dumps({"start": path}), flush=True)
    try:
        sheet = spreadsheet.read_sheet(path)
        result = {"path": path, "rows": len(sheet.rows)}
    except spreadsheet.UnreadableFile as error:
        result = {"path": path, "code": error.code, "message": str(error),
                  "params": {k: str(v) for k, v in error.params.items()}}
    print(json.dumps(result), flush=True)
"""


def read_in_child(paths: list[Path], *, memory: int = 1024**3, timeout: float = 120) \
        -> dict[str, dict[str, object]]:
    """Read each file with ``read_sheet`` in one child process whose address space is
    limited to ``memory`` bytes; the result of each by its path. A child that dies fails
    with the file it was reading and how it died."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(memory), *map(str, paths)], capture_output=True,
        text=True, timeout=timeout, env={**os.environ, "RUST_BACKTRACE": "0"})
    results: dict[str, dict[str, object]] = {}
    reading = None
    for line in result.stdout.splitlines():
        entry = json.loads(line)
        if "start" in entry:
            reading = entry["start"]
        else:
            results[entry["path"]] = entry
            reading = None
    if result.returncode != 0 or reading is not None:
        raise AssertionError(
            f"the reader died on {reading} (exit {result.returncode}): "
            f"{result.stderr.strip().splitlines()[:3]}")
    return results
