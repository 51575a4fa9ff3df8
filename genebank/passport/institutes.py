"""Finding an institute in the local directory by its FAO WIEWS code or its name.

The directory (table ``institute``) is local: it holds the holding institutes of the
accessions (typed in the form or imported), course hosts and the institutes that received
safety duplicates, with a name only where whoever entered it gave one. It is not the FAO
WIEWS register, so a well-formed code that is not in it may still be typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select, true
from sqlalchemy.orm import Session

from genebank.mcpd import InvalidValue
from genebank.mcpd.code_values import parse_instcode
from genebank.models import Institute
from genebank.problems import Coded, register
from genebank.services import text_match
from genebank.users.actor import everyone

register({
    "institute_ambiguous": "'{text}' could be {choices}: choose one",
    "institute_unknown": "'{text}' is neither an institute of the local directory nor a WIEWS "
                         "code (three letters and a number, e.g. KAZ001)",
})


@dataclass(frozen=True, slots=True)
class InstituteRow:
    code: str
    name: str
    country: str | None


@dataclass(frozen=True, slots=True)
class InstituteSearch:
    """What a typed text means: exact matches, other candidates, or a new code."""

    text: str
    matches: tuple[InstituteRow, ...]  # the code, or a name equal to the text
    candidates: tuple[InstituteRow, ...]  # codes or names that contain the text
    new_code: str | None  # a well-formed WIEWS code that the directory does not hold yet

    @property
    def code(self) -> str | None:
        """The one institute code meant, or None when none or several match."""
        if len(self.matches) == 1:
            return self.matches[0].code
        return self.new_code if not self.matches else None

    @property
    def choices(self) -> tuple[InstituteRow, ...]:
        return self.matches + self.candidates

    @property
    def problem(self) -> str | None:
        """Why the text does not name one institute (None when it does or is empty)."""
        refusal = self.refusal()
        return None if refusal is None else str(refusal)

    def refusal(self) -> Coded | None:
        """Why the text does not name one institute, as a coded problem (for a refusal to
        carry as its cause, and the GUI to word); None when it does or is empty."""
        if self.code is not None or not self.text.strip():
            return None
        if self.matches:
            listed = ", ".join(f"{m.code} ({m.name})" for m in self.matches)
            return Coded(code="institute_ambiguous",
                         params={"text": self.text.strip(), "choices": listed})
        return Coded(code="institute_unknown", params={"text": self.text.strip()})


@everyone
def find_institutes(session: Session, *, text: str, limit: int = 30) -> InstituteSearch:
    """Institutes whose code or name is ``text`` (matches) or contains it (candidates);
    for an empty text, the first ``limit`` institutes by code."""
    typed = text.strip()
    if not typed:  # the start of the directory, to browse
        return InstituteSearch(text, (), _rows(session, true(), limit), None)
    try:
        code = parse_instcode(typed)
    except InvalidValue:
        code = None
    matches = _rows(session, or_(Institute.code == (code or typed.upper()),
                                 text_match.equals(session, Institute.name, typed)), limit)
    found = _rows(session, or_(text_match.contains(session, Institute.code, typed),
                               text_match.contains(session, Institute.name, typed)), limit)
    candidates = tuple(row for row in found if row not in matches)
    new_code = code if code and not any(m.code == code for m in matches) else None
    return InstituteSearch(text, matches, candidates, new_code)


def _rows(session: Session, condition: object, limit: int) -> tuple[InstituteRow, ...]:
    query = (select(Institute.code, Institute.name, Institute.country)
             .where(condition).order_by(Institute.code).limit(limit))  # type: ignore[arg-type]
    return tuple(InstituteRow(*row) for row in session.execute(query))
