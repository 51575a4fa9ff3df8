"""What a passport import says about a sheet, its rows and the accessions that exist, in
one place: each message is a registered code (``genebank.problems``) whose English template
is kept here under a name of its own, so the GUI words the code and the CLI prints the
English.
"""

from __future__ import annotations

from genebank import problems

TEMPLATES = problems.register({
    # The sheet as a whole.
    "sheet_empty": "the sheet is empty",
    "headings_below_top": "the column headings are on row {row}; the rows above it are not "
                          "imported",
    "columns_not_imported": "{count} column(s) are not imported: {columns}{more}",
    "no_identity_column": "no column holds the {label} ({code}), which finds or names every "
                          "accession; choose that column or add it",
    "nothing_but_identity": "the file has no column besides INSTCODE and ACCENUMB: there is "
                            "nothing to import or update",
    "update_only_columns": "no column for {codes}: the {new:,} row(s) for new accessions "
                           "({rows}) are refused (a new accession needs {codes}); the "
                           "{existing:,} for accessions that exist can update them",
    "new_lack_recommended": "no column for {codes}: {count:,} new accession(s) would have none "
                            "of them, and FAO WIEWS reporting uses them",
    # One row.
    "same_accession_twice": "the same accession as row {first} ({instcode} {accenumb})",
    "new_needs_column": "{label} is required for a new accession, and the file has no {code} "
                        "column; {accenumb} does not exist yet",
    "new_needs_column_unnamed": "{label} is required for a new accession, and the file has no "
                                "{code} column; this accession does not exist yet",
    "formula_value_used": "a formula: its last calculated value was used",
    "formula_without_value": "a formula with no calculated value in the file: read as empty "
                             "(open and save the file in a spreadsheet to calculate it)",
    "fao_column_empty": "column {column} ({field}) is empty on every row: FAO reporting "
                        "uses {label}",
    "dms_column_decimal": "column {column} ({field}) holds decimal degrees on all its {count:,} "
                          "row(s) ({rows}), and {field} is degrees, minutes and seconds: "
                          "match the column to {decimal_field} on the columns page",
    "coordinate_rounded": "column {column} ({field}): {count:,} value(s) have more than 6 "
                          "decimals, rounded to 6 decimals (about 0.1 m), e.g. {value} "
                          "stored as {rounded}",
    "r_missing_read_empty": "column {column} ({field}): {count:,} cell(s) hold NA ({rows}), "
                            "R's mark for a missing value: read as empty",
    # A warning repeated on many rows, said once for its column (io/column_notes).
    "name_with_code_rows": "{field} is filled beside {code} on {count:,} row(s) ({rows}): "
                           "each name is kept as written, beside its code (MCPD fills "
                           "{field} only when {code} is empty)",
    "collecting_site_for_bred_rows": "{field} holds collecting-site data on {count:,} row(s) "
                                     "of bred material (SAMPSTAT 400 to 600) ({rows}): kept "
                                     "as written; it applies only to collected material",
    "recommended_empty_rows": "{field} ({label}) is empty on {count:,} row(s) ({rows}): "
                              "those accessions are imported without it, and FAO WIEWS "
                              "reporting uses it",
    "storage_empty_rows": "{field} ({label}) is empty on {count:,} row(s) ({rows}): those "
                          "accessions are imported without a storage type, are not counted "
                          "for SDG 2.5.1 and appear in the worklist of missing FAO reporting "
                          "data",
    # A cell tidied into its canonical form.
    "escape_removed": "the apostrophe an export puts before '{first}' was removed: read as "
                      "'{value}'",
    "spreadsheet_date_read": "a spreadsheet date, read as {value}",
    "value_read_as": "'{value}' read as '{shown}'",
    "item_too_long": "too long: '{item}' has {length:,} characters (at most {limit:,} for "
                     "each one)",
    # Applying.
    "added_since_preview": "row {row}: not updated, {accenumb} was added by someone else after "
                           "the preview; their record is kept. Check the file again to update "
                           "it",
    "added_since_preview_skipped": "row {row}: skipped, {accenumb} exists already (added by "
                                   "someone else after the preview)",
    "edited_since_preview": "row {row}: not updated, {accenumb} was edited (or deleted) by "
                            "someone else after the preview; their edit is kept. Check the "
                            "file again to update it",
    # Judging an update against what is stored.
    "coordinate_converted": "{old} -> {new}: converted from the file's {source} {value}, so "
                            "that both forms of the coordinate agree",
    "coordinate_not_convertible": "{code} {value} disagrees with the stored {other} {stored:g} "
                                  "and is not precise to the second, so it cannot be "
                                  "converted to {other}: give {other} in the file too",
    "duplsite_kept": "DUPLSITE keeps {codes}: a safety duplicate sent there is on record (it "
                     "leaves DUPLSITE when the duplicate is withdrawn)",
    "identity_spelt": "{value} is the accession stored as {stored} (the same {code} but for "
                      "case, spaces or character width); the stored {code} keeps its spelling",
})

# The templates under the names the applying code uses.
ADDED_SINCE_PREVIEW = TEMPLATES["added_since_preview"]
ADDED_SINCE_PREVIEW_SKIPPED = TEMPLATES["added_since_preview_skipped"]
EDITED_SINCE_PREVIEW = TEMPLATES["edited_since_preview"]
