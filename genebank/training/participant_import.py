"""Bringing an organiser's participant list in, with the passport import's shape: the sheet
read (:mod:`genebank.io.participant_sheet`), every row checked by the same rules as the
participant form and against the people already recorded and within the sheet (likely
duplicates), each problem a coded :class:`SheetProblem`; then one all-or-nothing write in
the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from genebank import country_search, problems
from genebank.io.participant_sheet import PeopleSheet, PersonCells, read_people
from genebank.io.sheet_problem import Severity, SheetProblem
from genebank.io.spreadsheet import Sheet
from genebank.progress import NoProgress, Progress, check
from genebank.services.errors import ServiceError
from genebank.services.refusals import Refused
from genebank.text import TextProblem
from genebank.training import enrolments, participants
from genebank.users.actor import requires
from genebank.users.roles import Right

problems.register({
    # ``cause`` is the first row's first error (a SheetProblem's code and params).
    "participant_rows_have_errors": "{rows:,} rows have errors (first: row {row}, "
                                    "{cause:problem}); nothing was imported",
    "participant_row_refused": "row {row}: {reason}; nothing was imported",
    "participant_gender_unreadable": "'{value}' is not a gender this list can read (F, M, "
                                     "female, male, other)",
    "participant_name_disagrees": "the full name '{full_name}' does not hold the {part} "
                                  "'{value}' of the same row: which one is right?",
    "participant_not_a_country": "'{value}' is not a country (a name or an ISO code such as "
                                 "KAZ, SEN)",
})

GENDER_WORDS = {"f": "female", "female": "female", "woman": "female", "w": "female",
                "femme": "female", "ж": "female", "m": "male", "male": "male", "man": "male",
                "homme": "male", "h": "male", "м": "male", "other": "other",
                "": "unstated", "unstated": "unstated", "prefer not to say": "unstated",
                # French and Russian adjectives, Arabic words with and without the hamza
                # and with ي for ى, as keyboards write them; never a single Arabic letter
                "féminin": "female", "masculin": "male", "autre": "other",
                "женский": "female", "мужской": "male", "жен": "female", "муж": "male",
                "أنثى": "female", "انثى": "female", "أنثي": "female", "انثي": "female",
                "إمرأة": "female", "امرأة": "female", "ذكر": "male", "رجل": "male",
                "أخرى": "other", "اخرى": "other", "آخر": "other", "اخر": "other"}


@dataclass(slots=True)
class PersonRow:
    row: int
    values: dict[str, object]  # as read until checked, then as the form would store them
    problems: list[SheetProblem] = field(default_factory=list)
    duplicate_of: int | None = None  # an existing participant
    duplicate_reason: str = ""
    same_as_row: int | None = None  # an earlier row of this sheet

    @property
    def errors(self) -> list[SheetProblem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[SheetProblem]:
        return [p for p in self.problems if p.warning]


@dataclass(slots=True)
class ParticipantPreview:
    rows: list[PersonRow]
    file: str = ""
    sheet: str = ""

    @property
    def errors(self) -> int:
        return sum(bool(r.errors) for r in self.rows)

    @property
    def duplicates(self) -> int:
        return sum(r.duplicate_of is not None or r.same_as_row is not None for r in self.rows)

    def problems(self) -> list[SheetProblem]:
        return [p for r in self.rows for p in r.problems]

    def summary(self, number: Callable[[int], str] = "{:,}".format) -> str:
        """The counts in words, each written by ``number`` (a screen passes the user's
        regional format)."""
        return (f"{number(len(self.rows))} people: {number(len(self.rows) - self.errors)} "
                f"ready, {number(self.errors)} with errors, {number(self.duplicates)} likely "
                "already recorded")


@requires(Right.CHANGE_TRAINING)
def preview_participants(session: Session, sheet: Sheet | PeopleSheet,
                         mapping: dict[int, str] | None = None, *,
                         header_index: int | None = None,
                         progress: Progress | None = None) -> ParticipantPreview:
    """Check every person of the sheet (read below its headings with ``mapping``, or a
    :class:`PeopleSheet` already read); nothing is written."""
    progress = progress or NoProgress()
    people = sheet if isinstance(sheet, PeopleSheet) else \
        read_people(sheet, mapping or {}, header_index=header_index)
    finder = participants.DuplicateFinder(session)
    seen: dict[tuple[str, ...], int] = {}
    rows = []
    total = len(people.rows)
    for done, cells in enumerate(people.rows, start=1):
        if done % 500 == 0:
            check(progress)
            progress.report(done, total, f"Checked {done:,} rows")
        person = _checked(people, cells)
        rows.append(person)
        if person.errors:
            continue
        email = str(person.values.get("email") or "").casefold()
        name_key = (participants.search_key(str(person.values["full_name"])),
                    str(person.values.get("country") or ""))
        for key in ((email,) if email else (), name_key):
            if key and key in seen:
                person.same_as_row = seen[key]
                break
        for key in ((email,) if email else (), name_key):
            seen.setdefault(key, cells.row)
        found = finder.find(person.values)
        if found is not None:
            person.duplicate_of, person.duplicate_reason = found
    progress.report(total, total, "Checked")
    return ParticipantPreview(rows, people.file, people.sheet)


def _checked(people: PeopleSheet, cells: PersonCells) -> PersonRow:
    """One person checked as the participant form checks them, each problem at its cell."""
    text = dict(cells.values)
    person = PersonRow(cells.row, dict(text))  # as read, until checked (shown with errors)

    def problem(name: str, severity: Severity, code: str, **params: object) -> None:
        person.problems.append(SheetProblem.said(
            people.file, people.sheet, cells.row, people.columns.get(name), name or None,
            severity, code, **params))

    def refused(name: str, error: BaseException) -> None:
        person.problems.append(SheetProblem.of(
            people.file, people.sheet, cells.row, people.columns.get(name), name or None,
            error))  # type: ignore[arg-type]

    for part, value in cells.disagreeing.items():
        problem(part, Severity.ERROR, "participant_name_disagrees",
                full_name=text["full_name"], part=part.replace("_", " "), value=value)
    gender = GENDER_WORDS.get(text.get("gender", "").casefold())
    if gender is None:
        problem("gender", Severity.ERROR, "participant_gender_unreadable",
                value=text["gender"])
        gender = "unstated"
    text["gender"] = gender
    country = text.get("country", "")
    if country:
        found = country_search.resolve(country, country_search.Scope.CURRENT)
        code = found.country.code if found.country else None
        refusal = found.refusal()
        if found.matches and code is None and refusal is not None:  # "Congo": which one?
            refused("country", refusal)
        elif code is None:
            problem("country", Severity.ERROR, "participant_not_a_country", value=country)
        text["country"] = code or ""
    warnings: list[TextProblem] = []
    try:
        person.values = participants.clean_values(text, warnings=warnings)
    except ServiceError as error:
        refused(str(error.params.get("field") or ""), error)
    for warning in warnings:
        person.problems.append(SheetProblem(
            people.file, people.sheet, cells.row, people.columns.get(warning.field),
            warning.field, Severity.WARNING, warning.code, warning.params, warning.message))
    person.problems.sort(key=lambda p: p.warning)  # errors first
    return person


@dataclass(frozen=True, slots=True)
class ParticipantImportResult:
    created: int
    matched: int  # likely duplicates taken as the existing person
    skipped: int  # rows with errors
    enrolled: int

    def line(self, number: Callable[[int], str] = "{:,}".format) -> str:
        """The counts in words, each written by ``number`` (a screen passes the user's
        regional format)."""
        text = f"{number(self.created)} participant{'' if self.created == 1 else 's'} added"
        if self.matched:
            text += f", {number(self.matched)} already recorded (not added again)"
        if self.skipped:
            text += (f", {number(self.skipped)} row{'' if self.skipped == 1 else 's'} "
                     "with errors skipped")
        return text + (f"; {number(self.enrolled)} enrolled in the course" if self.enrolled
                       else "")


@requires(Right.CHANGE_TRAINING)
def import_participants(session: Session, preview: ParticipantPreview, *,
                        skip_invalid: bool = False, add_duplicates: bool = False,
                        course_id: int | None = None) -> ParticipantImportResult:
    """Write the previewed people in the caller's transaction (all, or all that are valid),
    taking a likely duplicate as the person already recorded unless ``add_duplicates``;
    with ``course_id``, enrol each of them (once) in that course."""
    if preview.errors and not skip_invalid:
        first = next(r for r in preview.rows if r.errors)
        raise Refused("participant_rows_have_errors", rows=preview.errors, row=first.row,
                      **first.errors[0].cause())
    created = matched = 0
    ids_by_row: dict[int, int] = {}
    enrolled: set[int] = set()
    for person in preview.rows:
        if person.errors:
            continue
        if person.same_as_row is not None and not add_duplicates \
                and person.same_as_row in ids_by_row:
            participant_id = ids_by_row[person.same_as_row]
            matched += 1
        elif person.duplicate_of is not None and not add_duplicates:
            participant_id = person.duplicate_of
            matched += 1
        else:
            participant_id = participants.save_participant(session, **person.values)
            created += 1
        ids_by_row[person.row] = participant_id
        if course_id is not None and participant_id not in enrolled:
            enrolled.add(participant_id)
            try:
                enrolments.enrol(session, course_id=course_id, participant_id=participant_id)
            except ServiceError as error:
                if error.code != "already_enrolled":
                    raise Refused("participant_row_refused", row=person.row,
                                  **problems.because(error)) from None
                enrolled.discard(participant_id)
    return ParticipantImportResult(created, matched, preview.errors, len(enrolled))
