"""What a passport import says about updating accessions that exist, in one place.

Each message is a template with named parameters, so that a later translation can turn it
into a code plus values without hunting through the reading and applying code.
"""

from __future__ import annotations

# The sheet as a whole.
NO_IDENTITY_COLUMN = ("no column holds the {label} ({code}), which finds or names every "
                      "accession; choose that column or add it")
NOTHING_BUT_IDENTITY = ("the file has no column besides INSTCODE and ACCENUMB: there is "
                        "nothing to import or update")
UPDATE_ONLY_COLUMNS = ("no column for {codes}: rows for accessions that exist can update "
                       "them, rows for new accessions are refused (a new accession needs "
                       "{codes})")
NEW_LACK_RECOMMENDED = ("no column for {codes}: {count:,} new accession(s) would have none of "
                        "them, and FAO WIEWS reporting uses them")

# One row.
NEW_NEEDS_COLUMN = ("{label} is required for a new accession, and the file has no {code} "
                    "column; {accenumb} does not exist yet")
ESCAPE_REMOVED = ("the apostrophe an export puts before '{first}' was removed: read as "
                  "'{value}'")

# Applying.
ADDED_SINCE_PREVIEW = ("row {row}: not updated, {accenumb} was added by someone else after the "
                       "preview; their record is kept. Check the file again to update it")
ADDED_SINCE_PREVIEW_SKIPPED = ("row {row}: skipped, {accenumb} exists already (added by someone "
                               "else after the preview)")
EDITED_SINCE_PREVIEW = ("row {row}: not updated, {accenumb} was edited (or deleted) by someone "
                        "else after the preview; their edit is kept. Check the file again to "
                        "update it")

# Judging an update against what is stored.
COORDINATE_CONVERTED = ("{old} -> {new}: converted from the file's {source} {value}, so that "
                        "both forms of the coordinate agree")
COORDINATE_NOT_CONVERTIBLE = ("{code} {value} disagrees with the stored {other} {stored} and "
                              "is not precise to the second, so it cannot be converted to "
                              "{other}: give {other} in the file too")
DUPLSITE_KEPT = ("DUPLSITE keeps {codes}: a safety duplicate sent there is on record (it "
                 "leaves DUPLSITE when the duplicate is withdrawn)")
IDENTITY_SPELT = ("{value} is the accession stored as {stored} (the same {code} but for case, "
                  "spaces or character width); the stored {code} keeps its spelling")
