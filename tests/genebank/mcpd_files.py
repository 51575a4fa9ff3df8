"""MCPD files shaped as gene banks have them, generated quickly for the tests of bulk writes
and of several workstations (a CSV is written and read far faster than a workbook)."""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "SPAUTHOR", "CROPNAME", "ACCENAME",
           "ACQDATE", "ORIGCTY", "SAMPSTAT", "STORAGE", "MLSSTAT", "COLLSITE", "DECLATITUDE",
           "DECLONGITUDE", "ELEVATION", "COLLDATE", "COLLSRC", "DONORCODE", "DONORNUMB",
           "OTHERNUMB", "DUPLSITE", "REMARKS"]
GENERA = [("Triticum", "aestivum", "bread wheat"), ("Hordeum", "vulgare", "barley"),
          ("Sorghum", "bicolor", "sorghum"), ("Cicer", "arietinum", "chickpea")]
COUNTRIES = ["KAZ", "UZB", "TUR", "SEN", "MAR", "PAK"]


def write_mcpd_csv(path: Path, rows: int, *, prefix: str = "B", start: int = 0) -> Path:
    """``rows`` accessions of KAZ001 numbered ``{prefix}-0000000`` on, each with names,
    storage codes, other numbers, a safety duplicate site and remarks (child rows)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(start, start + rows):
            genus, species, crop = GENERA[i % 4]
            writer.writerow([
                "KAZ001", f"{prefix}-{i:07d}", genus, species, "L.", crop, f"Name {i % 977}",
                f"{1960 + i % 60}{1 + i % 12:02d}--", COUNTRIES[i % 6],
                [100, 300, 500][i % 3], "13;20" if i % 2 else "12", "1",
                f"{i % 50} km north of Almaty", f"{43.25 + i % 7:.4f}", "76.9000",
                850 + i % 400, f"{1960 + i % 60}0612", "26", "TUR001", f"D{i}",
                f":OLD-{i}", "NOR051", "COLLSRC:village"])
    return path
