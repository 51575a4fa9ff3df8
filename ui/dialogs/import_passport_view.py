"""What the one import wizard shows for passport data: what the passport import showed
before it became one wizard, namely what an update would change, old -> new (judged in the
core), the filters for accessions that exist, the choice to clear stored values for blank
cells (the rows judged again), the choice for accessions that exist, and the accessions
edited or added by someone else meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP as _noop
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QLabel, QRadioButton, QWidget
from sqlalchemy.orm import Session

from genebank import imports, mcpd
from genebank.imports import CheckReport, ReportRow
from genebank.io import genesys_rows
from genebank.io.passport_preview import IDENTITY, ImportPreview, PreviewRow, as_text
from genebank.mcpd.descriptors import BY_CODE, Kind
from genebank.passport import passport_existing
from genebank.passport.passport_import import OnExisting
from ui.dialogs.import_kind_views import KindView, _tr, problem_line
from ui.operations import Changed
from ui.views import shown_numbers, shown_values

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard

EDITED_SHOWN = 20  # accession numbers named on the last page; the import log lists every one

# The descriptors that hold a measured number (coordinates, elevation, uncertainty), shown in
# the system's regional format; codes (SAMPSTAT, COLLSRC...) stay as the standard writes them.
MEASURED = {Kind.LATITUDE_DECIMAL, Kind.LONGITUDE_DECIMAL, Kind.INTEGER, Kind.NUMBER}


def _shown(value: object, field: str = "") -> str:
    if value is None:
        return _tr("(empty)")
    descriptor = BY_CODE.get(field)
    if descriptor is not None and descriptor.kind in MEASURED \
            and isinstance(value, int | float) and not isinstance(value, bool):
        return shown_numbers.number(value)
    return shown_values.ltr(as_text(value))


def describe_row(row: PreviewRow) -> str:
    """What importing the passport row ``row`` would do, and its problems, as lines."""
    if row.existing_id is None and any(p.field == "ACCENUMB" and p.severity == "error"
                                       for p in row.problems):
        lines = [_tr("Row {0}: refused, see below").format(shown_numbers.count(row.row))]
    elif row.existing_id is None:
        lines = [_tr("Row {0}: a new accession").format(shown_numbers.count(row.row))]
    elif row.unchanged:
        lines = [_tr("Row {0}: exists, and the file holds it as stored; an update changes "
                     "nothing").format(shown_numbers.count(row.row))]
    else:
        lines = [_tr("Row {0}: exists; an update changes:").format(shown_numbers.count(row.row))]
        lines += [f"  {c.field}: {_shown(c.old, c.field)}  →  {_shown(c.new, c.field)}"
                  for c in row.changes]
    lines += [f"{p.severity.capitalize()} {problem_line(p)}" for p in row.problems]
    return "\n".join(lines)


class PassportView(KindView):
    changes = Changed(accessions=True, imports=True)
    filters = ((_noop("ImportKindViews", "Accessions that exist already"), "existing"),
               (_noop("ImportKindViews", "Accessions an update would change"), "changing"),
               (_noop("ImportKindViews", "Accessions the file holds as stored"), "unchanged"))

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        # The rows of the preview last asked about, by spreadsheet row (the preview itself
        # is kept, not its id: a new preview could be given a freed one's id).
        self._rows: tuple[ImportPreview | None, dict[int, PreviewRow]] = (None, {})

    def title(self) -> str:
        return _tr("Import accessions")

    def operation(self) -> str:
        return _tr("Importing accessions")

    def file_subtitle(self) -> str:
        return _tr("An MCPD spreadsheet (.xlsx, .xlsm, .xls, .ods), a Genesys download or a "
                   "text table (.csv, .tsv, .txt); title rows above the headings are skipped. "
                   "Nothing is written until the last step.")

    def fields(self) -> list[tuple[str, str]]:
        found = [(d.code, f"{d.code} – {d.label}") for d in mcpd.DESCRIPTORS]
        # The Genesys columns beyond MCPD that the import reads (genebank.io.genesys_rows).
        found += [(genesys_rows.FULLTAXA, f"{genesys_rows.FULLTAXA} – " + _tr(
                      "Full scientific name (Genesys), split when there is no genus column")),
                  (genesys_rows.HISTORIC, f"{genesys_rows.HISTORIC} – " + _tr(
                      "Historic: no longer held (Genesys)")),
                  (genesys_rows.AVAILABLE, f"{genesys_rows.AVAILABLE} – " + _tr(
                      "Available for distribution (Genesys)"))]
        return found

    def suggest(self, headers: Sequence[object]) -> dict[int, str]:
        suggested = super().suggest(headers)
        genesys_rows.genesys_columns([str(h or "") for h in headers], suggested)
        return suggested

    def still_needed(self, mapping: dict[int, str], headers: Sequence[object]) \
            -> tuple[str, bool]:
        codes = list(mapping.values())
        # A Genesys download's full scientific name gives the genus (genesys_rows splits it).
        given = {*codes, *(("GENUS", "SPECIES") if genesys_rows.FULLTAXA in codes else ())}
        absent = [code for code in mcpd.REQUIRED if code not in given and code not in IDENTITY]
        # Without them the file can still update the accessions that exist: said, not asked.
        new = _tr("Without {0}, rows for new accessions are refused; accessions that exist "
                  "can be updated.").format(self._named(absent)) if absent else ""
        if missing := [code for code in IDENTITY if code not in codes]:
            return "\n".join(t for t in (_tr("Choose the columns that hold: {0}.").format(
                self._named(missing)), new) if t), True
        return new, False

    @staticmethod
    def _named(codes: list[str]) -> str:
        return ", ".join(f"{mcpd.BY_CODE[code].label} ({code})" for code in codes)

    def uses_dates(self) -> bool:
        return True

    def identity(self) -> str:
        return _tr("Accession number")

    def problem(self, problem: Any) -> str:
        return problem_line(problem)

    def preview_row(self, report: CheckReport, row: ReportRow) -> PreviewRow | None:
        preview: ImportPreview = report.detail
        if self._rows[0] is not preview:
            self._rows = (preview, {r.row: r for r in preview.rows})
        return self._rows[1].get(row.row)

    def about_header(self) -> str:
        return _tr("Taxon")

    def about(self, report: CheckReport, row: ReportRow) -> str:
        found = self.preview_row(report, row)
        if found is None:
            return ""
        return shown_values.ltr(found.taxon or " ".join(
            str(found.values.get(k, "")) for k in ("GENUS", "SPECIES")).strip())

    def status(self, report: CheckReport, row: ReportRow) -> str:
        status = super().status(report, row)
        found = self.preview_row(report, row)
        if found is None or found.existing_id is None:
            return status
        if found.unchanged:
            return _tr("{0}, unchanged").format(status)
        return (_tr("{0}, 1 change") if len(found.changes) == 1 else
                _tr("{0}, {1} changes")).format(status, shown_numbers.count(len(found.changes)))

    def keep(self, report: CheckReport, row: ReportRow, key: str) -> bool:
        found = self.preview_row(report, row)
        if found is None:
            return False
        return {"existing": found.existing_id is not None, "changing": bool(found.changes),
                "unchanged": found.unchanged}.get(key, True)

    def details(self, report: CheckReport, row: ReportRow) -> str:
        found = self.preview_row(report, row)
        return describe_row(found) if found is not None else super().details(report, row)

    def details_hint(self) -> str:
        return _tr("Choose a row to see what importing it would do: for an accession that "
                   "exists, each value that would change (old → new).")

    def counts(self, report: CheckReport) -> str:
        c = report.counts
        text = _tr("{0} rows: {1} ready, {2} with warnings, {3} with errors; {4} exist "
                   "already").format(*(shown_numbers.count(c[k]) for k in (
                       "rows", "ok", "warning", "error", "existing")))
        if c["existing"]:
            text += " " + _tr("({0} would change, {1} unchanged)").format(
                shown_numbers.count(c["changing"]), shown_numbers.count(c["unchanged"]))
        if report.detail.clear_blank:
            text += "; " + (_tr("1 stored value would be cleared") if c["cleared"] == 1
                            else _tr("{0} stored values would be cleared").format(
                                shown_numbers.count(c["cleared"])))
        return text + "."

    def outcome(self, report: CheckReport) -> str:
        c = report.counts
        new = c["rows"] - c["existing"] - c["error"]
        if c["existing"]:
            return super().outcome(report)  # what happens to those is the choice above
        return _tr("1 new accession will be created") if new == 1 else _tr(
            "{0} new accessions will be created").format(shown_numbers.count(new))

    def rejudge_choice(self, page: QWidget) -> QCheckBox | None:
        box = QCheckBox(_tr(
            "For accessions that exist, a blank cell clears the stored value of its column "
            "(never INSTCODE, ACCENUMB or GENUS)"), page)
        box.setObjectName("clear_blank")
        box.setToolTip(_tr(
            "Unticked, an update changes only the descriptors whose cells are filled in and "
            "keeps every other stored value. Columns the file does not have are never "
            "cleared."))
        return box

    def rejudge_allowed(self, report: CheckReport) -> bool:
        return report.counts["existing"] > 0

    def judged_with(self, report: CheckReport) -> bool:
        return bool(report.detail.clear_blank)

    def judged_again(self, session: Session, report: CheckReport, chosen: bool) \
            -> CheckReport:
        return imports.passport_report(passport_existing.judged_again(
            session, report.detail, clear_blank=chosen))

    def add_options(self, page: QWidget) -> list[QWidget]:
        self.existing_label = QLabel(page)
        self.existing = QButtonGroup(page)
        found: list[QWidget] = [self.existing_label]
        for text, choice in ((_tr("Skip them (keep what the database has)"), OnExisting.SKIP),
                             (_tr("Update them with the filled cells only"), OnExisting.UPDATE),
                             (_tr("Stop: import nothing"), OnExisting.STOP)):
            button = QRadioButton(text, page)
            button.setProperty("choice", choice.value)
            self.existing.addButton(button)
            found.append(button)
        self.existing.buttons()[0].setChecked(True)
        return found

    def show_options(self, wizard: ImportWizard, report: CheckReport) -> None:
        existing, c = report.counts["existing"], report.counts
        self.existing_label.setText(
            _tr("1 accession in the file exists already (same institute code and number):")
            if existing == 1 else
            _tr("{0} accessions in the file exist already (same institute code and "
                "number):").format(shown_numbers.count(existing)))
        counts = [shown_numbers.count(c[k]) for k in ("changing", "unchanged", "cleared")]
        self.existing.buttons()[1].setText(
            _tr("Update them with the filled cells, and clear values for blank cells "
                "({0} to change, {1} unchanged, {2} cleared)").format(*counts)
            if report.detail.clear_blank else
            _tr("Update them with the filled cells only ({0} to change, {1} unchanged)")
            .format(*counts[:2]))
        for button in self.existing.buttons():
            button.setEnabled(existing > 0)
        for widget in (self.existing_label, *self.existing.buttons()):
            widget.setVisible(existing > 0)  # none exists: nothing to choose about them

    def on_existing(self) -> OnExisting:
        return OnExisting(self.existing.checkedButton().property("choice"))

    def options(self, wizard: ImportWizard) -> dict[str, Any]:
        return {"on_existing": self.on_existing(), "clear_blank": wizard.report.detail
                .clear_blank if wizard.report is not None else False}

    def summary(self, wizard: ImportWizard, result: imports.ApplyResult) -> str:
        return _tr("Done: {0}. This summary is kept in File > Import log.").format(
            result.line(shown_numbers.count))

    def retry_hint(self) -> str:
        # The core judges each row again as it writes it (passport_import.judged_at_write,
        # test_import records each test through the services).
        return _tr("Try again to import the same rows with the same choices (each row is "
                   "checked again as it is written), or go Back to change your choices.")

    def summary_details(self, result: imports.ApplyResult) -> str:
        return "\n".join([*result.detail.reasons, *result.detail.changes])

    def meanwhile(self, wizard: ImportWizard, result: imports.ApplyResult) -> tuple[str, str]:
        summary = result.detail
        edited_text = added_text = ""
        if edited := summary.edited_meanwhile:
            shown = ", ".join(edited[:EDITED_SHOWN]) + (", …" if len(edited) > EDITED_SHOWN
                                                         else "")
            edited_text = _tr(
                "1 accession was edited by someone else after the preview and was not "
                "updated: {0}. That edit is kept; check the file again to update it."
            ).format(shown) if len(edited) == 1 else _tr(
                "{0} accessions were edited by someone else after the preview and were not "
                "updated: {1}. Their edits are kept; check the file again to update them."
            ).format(shown_numbers.count(len(edited)), shown)
        if added := summary.added_meanwhile:
            shown = ", ".join(added[:EDITED_SHOWN]) + (", …" if len(added) > EDITED_SHOWN
                                                       else "")
            if self.on_existing() is OnExisting.UPDATE:
                added_text = _tr(
                    "1 accession was added by someone else after the preview and was not "
                    "updated: {0}. That record is kept; check the file again to update it."
                ).format(shown) if len(added) == 1 else _tr(
                    "{0} accessions were added by someone else after the preview and were "
                    "not updated: {1}. Their records are kept; check the file again to "
                    "update them.").format(shown_numbers.count(len(added)), shown)
            else:
                added_text = _tr(
                    "1 accession was added by someone else after the preview and was "
                    "skipped as existing: {0}.").format(shown) if len(added) == 1 else _tr(
                    "{0} accessions were added by someone else after the preview and were "
                    "skipped as existing: {1}.").format(shown_numbers.count(len(added)),
                                                        shown)
        return edited_text, added_text
