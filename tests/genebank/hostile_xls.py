"""Excel 97-2003 workbooks built by hand, record by record: an OLE compound file holding a
Workbook stream of BIFF8 records, as small as a hostile one is. Only what a reader needs:
a BOF, cell formats, one BOUNDSHEET per sheet, then each sheet's cells."""

from __future__ import annotations

import struct

FREE, END, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
SECTOR = 512


def record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def bof(sheet: bool) -> bytes:
    return record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010 if sheet else 0x0005,
                                      0x0DBB, 0x07CC, 0, 0x0006))


def number(row: int, column: int, value: float, xf: int = 15) -> bytes:
    return record(0x0203, struct.pack("<HHHd", row, column, xf, value))


def formula(row: int, column: int, value: float, xf: int = 15) -> bytes:
    """A FORMULA record with its cached number and the expression ``1+1``."""
    expression = b"\x1e\x01\x00\x1e\x01\x00\x03"
    return record(0x0006, struct.pack("<HHHdHI", row, column, xf, value, 0, 0)
                  + struct.pack("<H", len(expression)) + expression)


def workbook_stream(sheets: dict[str, list[bytes]], *, filepass: bool = False,
                    percent_xf: bool = False, hidden: frozenset[str] = frozenset()) -> bytes:
    """The Workbook stream: globals (16 style XFs and one cell XF, number 15; with
    ``percent_xf`` a 16th cell XF, number 16, of format "0.0%"), then each sheet's cells."""
    formats = record(0x041E, struct.pack("<HHB", 164, 4, 0) + b"0.0%")
    xfs = b"".join(record(0x00E0, struct.pack("<HH", 0, 0) + b"\x00" * 16)
                   for _ in range(16))
    if percent_xf:
        xfs += record(0x00E0, struct.pack("<HH", 0, 164) + b"\x00" * 16)
    head = bof(False) + (record(0x002F, b"\x00\x00" + b"\x00" * 52) if filepass else b"")
    head += formats + xfs
    bound = [len(name) for name in sheets]
    bounds_size = sum(4 + 8 + n for n in bound)
    offset = len(head) + bounds_size + 4  # after the BOUNDSHEETs and the globals' EOF
    bodies, bounds = [], b""
    for name, cells in sheets.items():
        body = bof(True) + b"".join(cells) + record(0x000A)
        bounds += record(0x0085, struct.pack("<IBBBB", offset, int(name in hidden), 0,
                                             len(name), 0)
                         + name.encode("latin-1"))
        bodies.append(body)
        offset += len(body)
    stream = head + bounds + record(0x000A) + b"".join(bodies)
    return stream + b"\x00" * max(0, 4096 - len(stream))  # kept out of the mini stream


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file (version 3, 512-byte sectors) holding ``streams``, each at least
    4,096 bytes long (so that no mini stream is needed)."""
    data_sectors: list[bytes] = []
    fat = [FAT_SECTOR, END]  # sector 0: the table; sector 1: the directory
    entries = [_entry("Root Entry", 5, END, 0, child=1 if streams else FREE)]
    for index, (name, content) in enumerate(streams.items(), start=1):
        assert len(content) >= 4096, "a stream this small belongs in the mini stream"
        first = 2 + len(data_sectors)
        count = -(-len(content) // SECTOR)
        for number_ in range(count):
            data_sectors.append(content[number_ * SECTOR:(number_ + 1) * SECTOR]
                                .ljust(SECTOR, b"\x00"))
            fat.append(first + number_ + 1 if number_ < count - 1 else END)
        entries.append(_entry(name, 2, first, len(content),
                              right=index + 1 if index < len(streams) else FREE))
    assert len(fat) <= SECTOR // 4 and len(entries) <= 4
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                         b"\x00" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\x00" * 6, 0, 1, 1, 0, 4096,
                         END, 0, END, 0)
    header += struct.pack("<109I", 0, *([FREE] * 108))
    table = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREE] * (SECTOR // 4 - len(fat))))
    directory = b"".join(entries).ljust(SECTOR, b"\x00")
    return header + table + directory + b"".join(data_sectors)


def _entry(name: str, kind: int, start: int, size: int, *, child: int = FREE,
           right: int = FREE) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le")
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", FREE, right, child) + b"\x00" * 16
            + struct.pack("<IQQ", 0, 0, 0) + struct.pack("<IQ", start, size))


def xls(sheets: dict[str, list[bytes]], **options: object) -> bytes:
    """A whole .xls file's bytes."""
    return compound_file({"Workbook": workbook_stream(sheets, **options)})  # type: ignore[arg-type]
