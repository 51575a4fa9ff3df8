"""What the one import wizard shows differently for each kind of import
(:data:`genebank.imports.KINDS`): its words, the fields offered for the columns, what a
mapping still needs, the check page's extra filters and details pane, its options, and its
summary. The pages (``import_*_page``) ask a :class:`KindView` and never test the kind
themselves, so a new kind of import is a new view here and nothing else in the GUI.

Passport data's view is :mod:`ui.dialogs.import_passport_view`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP as _noop
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QPushButton,
    QWidget,
)
from sqlalchemy.orm import Session

from genebank import imports
from genebank.imports import CheckReport, ReportRow, RowStatus
from genebank.io import headings, test_sheet
from genebank.io.files import FileNotWritten
from ui import file_dialogs, messages, operations
from ui.operations import Changed
from ui.views import shown_numbers, shown_values

if TYPE_CHECKING:
    from ui.dialogs.import_file_page import FilePage
    from ui.dialogs.import_wizard import ImportWizard

ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a5a00;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportKindViews", text)


def problem_line(problem: Any, field: str | None = None) -> str:
    """One cell's problem as the check page words it: field (column letter): message.
    ``field``: the field's name as the person knows it (by default its code)."""
    field = problem.field or "" if field is None else field
    where = f"{field}{f' ({problem.column})' if problem.column else ''}"
    return f"{where}: {messages.problem_text(problem)}" if where else \
        messages.problem_text(problem)


def absent_note(page: QWidget, absent: Sequence[str]) -> str | None:
    """What to tell after applying a saved mapping whose headings the sheet partly lacks."""
    if not absent:
        return None
    return page.tr("Applied. Headings of this mapping not in this sheet: {0}").format(
        ", ".join(f"'{heading}'" for heading in absent[:10]) + ("…" if len(absent) > 10 else ""))


class KindView:
    """The GUI's words and extras for one kind of import; the defaults suit every kind."""

    kind: str
    changes = Changed()
    filters: tuple[tuple[str, str], ...] = ()  # (words, key): beyond all/errors/warnings

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def title(self) -> str:
        raise NotImplementedError

    def operation(self) -> str:
        """The import, as the runner's messages name it."""
        return self.title()

    def file_subtitle(self) -> str:
        return _tr("A spreadsheet (.xlsx, .xls, .ods) or a text table (.csv, .tsv, .txt) with "
                   "a row of headings naming the columns (title rows above it are skipped). "
                   "Nothing is written until the last step.")

    def add_file_actions(self, page: FilePage) -> None:
        """Buttons of this kind beside the file (the tests' template)."""

    def fields(self) -> list[tuple[str, str]]:
        """The choices of a column: (code, words)."""
        table = headings.table(self.kind)
        return [(f.code, f.label + ("*" if f.required else "")) for f in table.fields
                if not f.extra]

    def suggest(self, headers: Sequence[object]) -> dict[int, str]:
        """The columns matched from the sheet's headings by the one matcher."""
        return headings.suggest_mapping(list(headers), self.kind)

    def still_needed(self, mapping: dict[int, str], headers: Sequence[object]) \
            -> tuple[str, bool]:
        """What ``mapping`` (column -> field) lacks, and whether Next must wait for it."""
        missing = headings.table(self.kind).missing(list(mapping.values()))
        if not missing:
            return "", False
        return _tr("Still needed: {0}").format(", ".join(f.label for f in missing)), True

    def uses_dates(self) -> bool:
        """Whether the core reads ambiguous dates (12/03/1998) as the person says."""
        return False

    def identity(self) -> str:
        """The heading of the check page's column naming each row's record."""
        return _tr("Record")

    def about_header(self) -> str:
        """The heading of the check page's column saying more about each row's record."""
        return ""

    def about(self, report: CheckReport, row: ReportRow) -> str:
        return ""

    def status(self, report: CheckReport, row: ReportRow) -> str:
        return {RowStatus.OK: _tr("ready"), RowStatus.WARNING: _tr("warning"),
                RowStatus.ERROR: _tr("error")}[row.status]

    def keep(self, report: CheckReport, row: ReportRow, key: str) -> bool:
        """Whether the filter ``key`` (of :attr:`filters`) lists ``row``."""
        return True

    def problem(self, problem: Any) -> str:
        """A cell's problem in the check page's words, its field named as the sheet's
        template names it (passport data: the MCPD code, as the file heads it)."""
        return problem_line(problem, headings.table(self.kind).label(problem.field)
                            if problem.field else "")

    def details(self, report: CheckReport, row: ReportRow) -> str:
        """The details pane for ``row``: what importing it would do, and its problems."""
        lines = [_tr("Row {0}: {1}").format(shown_numbers.count(row.row), self.status(report, row))]
        lines += self.more_details(report, row)
        lines += [f"{_tr('Error') if p.error else _tr('Warning')} {self.problem(p)}"
                  for p in row.problems]
        return "\n".join(lines)

    def more_details(self, report: CheckReport, row: ReportRow) -> list[str]:
        return []

    def details_hint(self) -> str:
        return _tr("Choose a row to see what importing it would do and each of its problems.")

    def counts(self, report: CheckReport) -> str:
        raise NotImplementedError

    def outcome(self, report: CheckReport) -> str:
        """What Next will do with ``report``'s rows, for the options page when no row has
        errors (its choices about them would only show greyed)."""
        return self.counts(report).rstrip(".")

    def rejudge_choice(self, page: QWidget) -> QCheckBox | None:
        """A choice on the check page after which the rows are judged again (passport:
        clearing stored values for blank cells), or None."""
        return None

    def rejudge_allowed(self, report: CheckReport) -> bool:
        return False

    def judged_with(self, report: CheckReport) -> bool:
        """The state of the re-judging choice ``report`` was judged with."""
        return False

    def judged_again(self, session: Session, report: CheckReport, chosen: bool) \
            -> CheckReport:
        """A new report: ``report``'s rows judged again with the choice ``chosen``
        (``report`` is left as it is: the page keeps showing it meanwhile)."""
        return report

    def add_options(self, page: QWidget) -> list[QWidget]:
        """The options of this kind, as widgets for the options page."""
        return []

    def show_options(self, wizard: ImportWizard, report: CheckReport) -> None:
        """Fill in the options for ``report`` (the options page is shown)."""

    def options(self, wizard: ImportWizard) -> dict[str, Any]:
        """The chosen options of this kind, as :class:`genebank.imports.ImportOptions`
        fields."""
        return {}

    def summary(self, wizard: ImportWizard, result: imports.ApplyResult) -> str:
        return _tr("Done: {0}.").format(result.line(shown_numbers.count))

    def retry_hint(self) -> str:
        """What the buttons offered after a failed import do."""
        return _tr("Try again to import the same rows with the same choices, or go Back to "
                   "change your choices.")

    def meanwhile(self, wizard: ImportWizard, result: imports.ApplyResult) -> tuple[str, str]:
        """What someone else edited and added after the check, as the import left it."""
        return "", ""

    def summary_details(self, result: imports.ApplyResult) -> str:
        """Each change and skipped row of the import, or nothing."""
        return ""


# Germination and moisture tests -----------------------------------------------------------
# Translated where shown (context "ImportKindViews").
KIND_LABELS = {
    test_sheet.GERMINATION: _noop("ImportKindViews", "Germination tests (a row per replicate)"),
    test_sheet.MOISTURE: _noop("ImportKindViews", "Moisture tests (a row per test)")}


class TestsView(KindView):
    changes = Changed(lots=True)

    def title(self) -> str:
        return _tr("Import tests")

    def operation(self) -> str:
        return _tr("Importing tests")

    def add_file_actions(self, page: FilePage) -> None:
        template = QPushButton(_tr("Save a &template…"), page)
        template.clicked.connect(lambda: self._save_template(page))
        page.file_row.addWidget(template)

    @staticmethod
    def _save_template(page: FilePage) -> None:
        chosen, _ = file_dialogs.get_save_file_name(
            page, _tr("Save the tests template"),
            str(Path(page.wizard_.last_folder or Path.home()) / "tests-template.xlsx"),
            "Excel workbook (*.xlsx)")
        if chosen:
            try:
                written = test_sheet.write_template(Path(chosen))
            except FileNotWritten as error:  # full disk, read-only folder: nothing written
                page.say(messages.say(error))
                return
            page.say(_tr("Template saved: {0}").format(written), error=False)

    def retry_hint(self) -> str:
        # The core judges each row again as it writes it (passport_import.judged_at_write,
        # test_import records each test through the services).
        return _tr("Try again to import the same rows with the same choices (each row is "
                   "checked again as it is written), or go Back to change your choices.")

    def still_needed(self, mapping: dict[int, str], headers: Sequence[object]) \
            -> tuple[str, bool]:
        """As every kind, and for a sheet of daily counts why no column fits and where to
        go (the template), as the command line says it."""
        needed, blocking = super().still_needed(mapping, headers)
        daily = test_sheet.daily_counts_note(list(headers), mapping, self.kind)
        if daily is not None:
            needed = "\n".join([needed, messages.say(daily)])
        return needed, blocking

    def identity(self) -> str:
        return _tr("Seed lot")

    def about_header(self) -> str:
        return _tr("Tested on")

    def about(self, report: CheckReport, row: ReportRow) -> str:
        test = next((t for t in report.detail.tests if row.row in t.rows), None)
        return test.tested_on.isoformat() if test is not None else ""

    def more_details(self, report: CheckReport, row: ReportRow) -> list[str]:
        test = next((t for t in report.detail.tests if row.row in t.rows), None)
        if test is None:
            return [_tr("No readable lot number or date: this row is part of no test.")]
        rows = ", ".join(str(r) for r in test.rows)
        lines = [(_tr("Seed lot {0}, tested on {1} (row {2})") if len(test.rows) == 1 else
                  _tr("Seed lot {0}, tested on {1} (rows {2})")).format(
            shown_values.ltr(test.lot_number), test.tested_on.isoformat(), rows)]
        for number, replicate in enumerate(test.replicates, start=1):
            lines.append("  " + _tr("Replicate {0}: {1} sown, {2} normal").format(
                number, shown_numbers.count(replicate.sown),
                shown_numbers.count(replicate.normal)))
        return lines

    def counts(self, report: CheckReport) -> str:
        return str(report.detail.summary(shown_numbers.count))


# Participants ------------------------------------------------------------------------------
class ParticipantsView(KindView):
    changes = Changed(training=True)

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.add_duplicates: QCheckBox | None = None
        self.enrol: QCheckBox | None = None
        self.course: str | None = None  # the course everyone may be enrolled in

    def title(self) -> str:
        return _tr("Import participant list")

    def operation(self) -> str:
        return _tr("Importing the participant list")

    def still_needed(self, mapping: dict[int, str], headers: Sequence[object]) \
            -> tuple[str, bool]:
        if headings.table(self.kind).missing(list(mapping.values())):
            return _tr("Still needed: the names (a full name, or a first and a last "
                       "name)"), True
        return "", False

    def identity(self) -> str:
        return _tr("Person")

    def _person(self, report: CheckReport, row: ReportRow) -> Any:
        return next((r for r in report.detail.rows if r.row == row.row), None)

    def about_header(self) -> str:
        return _tr("Likely duplicate")

    def about(self, report: CheckReport, row: ReportRow) -> str:
        person = self._person(report, row)
        if person is not None and person.duplicate_of is not None:
            return _tr("likely already recorded: {0}").format(person.duplicate_reason)
        if person is not None and person.same_as_row is not None:
            return _tr("the same person as row {0}").format(person.same_as_row)
        return ""

    def more_details(self, report: CheckReport, row: ReportRow) -> list[str]:
        about = self.about(report, row)
        return [about[:1].upper() + about[1:] if about else _tr("A new person")]

    def counts(self, report: CheckReport) -> str:
        return str(report.detail.summary(shown_numbers.count))

    def add_options(self, page: QWidget) -> list[QWidget]:
        self.add_duplicates = QCheckBox(_tr(
            "&Add likely duplicates as new people (otherwise they are taken as the person "
            "already recorded)"), page)
        self.add_duplicates.setObjectName("add_duplicates")
        self.enrol = QCheckBox(page)
        self.enrol.setObjectName("enrol")
        return [self.add_duplicates, self.enrol]

    def show_options(self, wizard: ImportWizard, report: CheckReport) -> None:
        assert self.enrol is not None and self.add_duplicates is not None
        self.add_duplicates.setEnabled(report.counts.get("duplicates", 0) > 0)
        course_id = wizard.course_id
        course = operations.read_now(
            wizard.session_factory, lambda session: _course_title(session, course_id),
            operation=_tr("Reading the course")) if course_id else None
        if course is not None and self.course is None:
            self.enrol.setChecked(True)  # the first time: enrolling is why a list is imported
        self.course = course
        self.enrol.setVisible(course is not None)
        self.enrol.setText(_tr("&Enrol everyone in '{0}'").format(course))

    def options(self, wizard: ImportWizard) -> dict[str, Any]:
        assert self.enrol is not None and self.add_duplicates is not None
        return {"add_duplicates": self.add_duplicates.isChecked(),
                "course_id": wizard.course_id if self.enrol.isChecked()
                and self.course is not None else None}


def _course_title(session: Any, course_id: int) -> str:
    from genebank.training import courses

    return str(courses.course_details(session, course_id).title)


def view_for(kind: str) -> KindView:
    """The view of the import of kind ``kind`` (a key of :data:`genebank.imports.KINDS`)."""
    from ui.dialogs.import_passport_view import PassportView  # it builds on KindView

    views: dict[str, Callable[[str], KindView]] = {
        headings.PASSPORT: PassportView, headings.GERMINATION: TestsView,
        headings.MOISTURE: TestsView, headings.PARTICIPANTS: ParticipantsView}
    return views[kind](kind)
