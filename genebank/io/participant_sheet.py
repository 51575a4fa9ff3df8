"""Participant lists as organisers really keep them, brought in like the passport import:
columns matched from their headings (a split first/last name is joined), every row checked
by the same rules as the participant form, likely duplicates flagged against the people
already recorded and within the sheet, then one all-or-nothing commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from genebank import country_search, problems
from genebank.io import headings
from genebank.io.spreadsheet import Sheet, column_letter
from genebank.progress import NoProgress, Progress, check
from genebank.services.errors import ServiceError
from genebank.services.refusals import Refused
from genebank.services.text_fields import TextRefused
from genebank.text import TextProblem
from genebank.training import enrolments, participants

problems.register({
    "participant_rows_have_errors": "{rows:,} rows have errors (first: row {row}, {problem}); "
                                    "nothing was imported",
    "participant_row_refused": "row {row}: {reason}; nothing was imported",
})

# field -> label, from the one heading matcher (genebank.io.headings).
FIELDS = {f.code: f.label for f in headings.table(headings.PARTICIPANTS).fields}
GENDER_WORDS = {"f": "female", "female": "female", "woman": "female", "w": "female",
                "femme": "female", "ж": "female", "m": "male", "male": "male", "man": "male",
                "homme": "male", "h": "male", "м": "male", "other": "other",
                "": "unstated", "unstated": "unstated", "prefer not to say": "unstated"}


def mapping_problem(mapping: dict[int, str]) -> str | None:
    fields = set(mapping.values())
    if "full_name" not in fields and not {"first_name", "last_name"} <= fields:
        return "no column holds the names (a full name, or first and last name)"
    return None


@dataclass(slots=True)
class PersonRow:
    row: int
    values: dict[str, object]
    errors: list[str] = field(default_factory=list)  # "E (E-mail): ... "
    warnings: list[str] = field(default_factory=list)  # "B (Name): control characters..."
    duplicate_of: int | None = None  # an existing participant
    duplicate_reason: str = ""
    same_as_row: int | None = None  # an earlier row of this sheet


@dataclass(slots=True)
class ParticipantPreview:
    rows: list[PersonRow]

    @property
    def errors(self) -> int:
        return sum(bool(r.errors) for r in self.rows)

    @property
    def duplicates(self) -> int:
        return sum(r.duplicate_of is not None or r.same_as_row is not None for r in self.rows)

    def summary(self, number: Callable[[int], str] = "{:,}".format) -> str:
        """The counts in words, each written by ``number`` (a screen passes the user's
        regional format)."""
        return (f"{number(len(self.rows))} people: {number(len(self.rows) - self.errors)} "
                f"ready, {number(self.errors)} with errors, {number(self.duplicates)} likely "
                "already recorded")


def preview_participants(session: Session, sheet: Sheet, mapping: dict[int, str], *,
                         header_index: int | None = None,
                         progress: Progress | None = None) -> ParticipantPreview:
    """Read and check every row below the headings (by default the row that names most
    fields: title rows above it are skipped)."""
    if header_index is None:
        header_index = headings.find_header_row(sheet.rows, headings.PARTICIPANTS)
    progress = progress or NoProgress()
    finder = participants.DuplicateFinder(session)
    seen: dict[tuple[str, ...], int] = {}
    rows = []
    columns = {name: index for index, name in mapping.items()}
    total = len(sheet.rows) - header_index - 1
    for done, (cells, number) in enumerate(zip(sheet.rows[header_index + 1:],
                                               sheet.row_numbers[header_index + 1:],
                                               strict=True), start=1):
        if done % 500 == 0:
            check(progress)
            progress.report(done, total, f"Checked {done:,} rows")
        person = _read(cells, number, mapping, columns)
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
            seen.setdefault(key, number)
        found = finder.find(person.values)
        if found is not None:
            person.duplicate_of, person.duplicate_reason = found
    progress.report(len(rows), len(rows), "Checked")
    return ParticipantPreview(rows)


def _read(cells: list[object], number: int, mapping: dict[int, str],
          columns: dict[str, int]) -> PersonRow:
    raw = {name: cells[index] if index < len(cells) else None
           for index, name in mapping.items()}
    text = {name: _cell_text(value) for name, value in raw.items()}
    if not text.get("full_name"):
        text["full_name"] = " ".join(p for p in (text.pop("first_name", ""),
                                                 text.pop("last_name", "")) if p)
    text.pop("first_name", None)
    text.pop("last_name", None)
    person = PersonRow(number, dict(text))  # as read, until checked (shown with errors)

    def where(name: str) -> str:
        if name == "full_name" and name not in columns:  # a first and a last name column
            letters = sorted(column_letter(columns[n] + 1) for n in ("last_name", "first_name")
                             if n in columns)
            return f"{' and '.join(letters)} (the name)"
        index = columns.get(name)
        return f"{column_letter(index + 1)} ({FIELDS[name]})" if index is not None else ""

    gender = GENDER_WORDS.get(text.get("gender", "").casefold())
    if gender is None:
        person.errors.append(f"{where('gender')}: '{text['gender']}' is not a gender this "
                             "list can read (F, M, female, male, other)")
        gender = "unstated"
    text["gender"] = gender
    country = text.get("country", "")
    if country:
        found = country_search.resolve(country, country_search.Scope.CURRENT)
        code = found.country.code if found.country else None
        if found.matches and code is None:  # "Congo": say which countries it could be
            person.errors.append(f"{where('country')}: {found.problem}")
        elif code is None:
            person.errors.append(f"{where('country')}: '{country}' is not a country "
                                 "(a name or an ISO code such as KAZ, SEN)")
        text["country"] = code or ""
    warnings: list[TextProblem] = []
    try:
        person.values = participants.clean_values(text, warnings=warnings)
    except TextRefused as error:
        person.errors.append(f"{where(str(error.params['field']))}: {error}".lstrip(": "))
    except ServiceError as error:
        field_name = str(error.params.get("field") or "")
        person.errors.append(f"{where(field_name) if field_name else ''}: {error}".lstrip(": "))
    person.warnings += [f"{where(w.field)}: {w.message}".lstrip(": ") for w in warnings]
    if not text.get("full_name") and not person.errors:
        person.errors.append(f"{where('full_name')}: the name is empty")
    return person


def _cell_text(value: object) -> str:
    """A cell as text; a whole number cell (a phone number typed as a number) without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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


def import_participants(session: Session, preview: ParticipantPreview, *,
                        skip_invalid: bool = False, add_duplicates: bool = False,
                        course_id: int | None = None) -> ParticipantImportResult:
    """Write the previewed people in the caller's transaction (all, or all that are valid),
    taking a likely duplicate as the person already recorded unless ``add_duplicates``;
    with ``course_id``, enrol each of them (once) in that course."""
    if preview.errors and not skip_invalid:
        first = next(r for r in preview.rows if r.errors)
        raise Refused("participant_rows_have_errors", rows=preview.errors, row=first.row,
                      problem=first.errors[0])
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
