"""The people trained: one record per person across all courses, found again by name or
e-mail, likely duplicates found and merged without losing an enrolment, and erased on
request (personal data).

E-mail addresses are checked with ``email-validator`` (syntax only: trainers work offline);
name similarity is ``rapidfuzz``'s token-sort ratio on names with accents and case removed.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import case, delete, func, or_, select, true, update
from sqlalchemy.orm import Session

from genebank import country_search, history, problems
from genebank.history import capture
from genebank.history.erasure import erase_history
from genebank.models import Attendance, Certificate, Enrolment, Participant
from genebank.models.base import utcnow
from genebank.models.training import GENDERS
from genebank.services import text_match
from genebank.services.errors import NotFound
from genebank.services.refusals import Refused
from genebank.services.text_fields import checked_text
from genebank.text import TextKind, TextProblem, limit_of
from genebank.users.actor import everyone, internal, requires
from genebank.users.roles import Right

problems.register({
    "unknown_participant_fields": "unknown participant field(s): {fields}",
    "participant_name_missing": "full name: a participant needs a name (in Latin script)",
    "not_a_gender": "gender: '{gender}' is not one of {choices:keys}",
    "participant_country_invalid": "country: {reason}",
    "email_invalid": "e-mail: '{email}' is not a valid address ({detail})",
    "participant_erased_not_filled": "this person was erased on request; their record cannot "
                                     "be filled in again",
    "participant_not_found": "participant {participant_id} no longer exists",
    "merge_same_record": "choose two different records to merge",
    "merge_erased_record": "an erased record cannot be merged",
    "merge_two_certificates": "both records hold a certificate for the same course; nothing "
                              "was merged",
})

PERSON_FIELDS = ("full_name", "original_name", "gender", "country", "institution", "position",
                 "email", "phone", "languages", "notes")
PERSONAL = ("full_name", "original_name", "position", "email", "phone", "languages", "notes")
ERASED_NAME = "(erased on request)"
SIMILAR_NAME = 88  # rapidfuzz token-sort ratio from which two names look like one person
# when two records of one person are both in a course, the enrolment that went furthest stays
STATUS_RANK = {"completed": 6, "attended": 5, "confirmed": 4, "nominated": 3, "no_show": 2,
               "withdrawn": 1}


def search_key(name: str) -> str:
    """A name as search and duplicate finding compare it: no accents, case or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


LABELS = {"full_name": "full name", "original_name": "name in the original script",
          "gender": "gender", "country": "country", "institution": "institution",
          "position": "position", "email": "e-mail", "phone": "phone",
          "languages": "languages", "notes": "notes"}
NOTES_LIMIT = 4000  # the notes column has no size of its own
# Read into a code before they are stored: their column's size does not bound what is typed.
_RESOLVED = ("gender", "country")


def text_limit(name: str) -> int | None:
    """The longest text a person's field takes: its column's size (``String(n)``)."""
    if name in _RESOLVED:
        return None
    return limit_of(getattr(Participant, name)) or NOTES_LIMIT


def clean_values(values: dict[str, object], *,
                 warnings: list[TextProblem] | None = None) -> dict[str, object]:
    """The person's fields checked and in canonical form; ServiceError names the field
    (``TextRefused`` for a value too long, with the field and limit as parameters). Control
    characters are removed from the text, each removal added to ``warnings``."""
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise Refused("unknown_participant_fields", fields=", ".join(sorted(unknown)))
    clean: dict[str, object] = {}
    for name, value in values.items():
        text = checked_text("" if value is None else str(value), field=name,
                            label=LABELS[name], limit=text_limit(name), warnings=warnings,
                            kind=TextKind.LINES if name == "notes" else TextKind.LINE)
        clean[name] = " ".join(text.split()) if name != "notes" else text
    if "full_name" in clean and not clean["full_name"]:
        raise Refused("participant_name_missing", field="full_name")
    gender = str(clean.get("gender") or "unstated").lower()
    if gender not in GENDERS:
        raise Refused("not_a_gender", field="gender", gender=clean["gender"],
                      choices=GENDERS)
    clean["gender"] = gender
    country = clean.get("country")
    if country:
        found = country_search.resolve(str(country), country_search.Scope.CURRENT)
        if found.country is None:
            raise Refused("participant_country_invalid", field="country",
                          **problems.because(found.refusal()))
        clean["country"] = found.country.code
    else:
        clean["country"] = None
    email = clean.get("email")
    if email:
        from email_validator import EmailNotValidError, validate_email  # when used: start-up

        try:
            clean["email"] = validate_email(str(email), check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise Refused("email_invalid", field="email", email=email,
                          detail=str(error)) from None
    return clean


@requires(Right.CHANGE_TRAINING)
def save_participant(session: Session, *, participant_id: int | None = None,
                     **values: object) -> int:
    """Create or change a participant; returns its id."""
    clean = clean_values(values)
    if participant_id is None:
        if "full_name" not in clean:
            raise Refused("participant_name_missing", field="full_name")
        person = Participant()
        session.add(person)
    else:
        person = get_participant(session, participant_id)
        if person.erased_at is not None:
            raise Refused("participant_erased_not_filled")
    for name, value in clean.items():
        setattr(person, name, value)
    person.search_name = search_key(person.full_name)
    person.email_key = (person.email or "").casefold()
    session.flush()
    return person.id


@internal
def get_participant(session: Session, participant_id: int) -> Participant:
    """The person itself, for the services that change, merge or erase it; the GUI reads
    :func:`participant_details`."""
    person = session.get(Participant, participant_id)
    if person is None:
        raise NotFound(code="participant_not_found", params={"participant_id": participant_id})
    return person


@dataclass(frozen=True, slots=True)
class ParticipantDetails:
    """A person as a form shows it (plain values, usable after the session closed)."""
    id: int
    full_name: str
    original_name: str
    gender: str
    country: str | None
    institution: str
    position: str
    email: str
    phone: str
    languages: str
    notes: str


@requires(Right.READ_PERSONAL_DATA)
def participant_details(session: Session, participant_id: int) -> ParticipantDetails:
    person = get_participant(session, participant_id)
    return ParticipantDetails(person.id, *(getattr(person, name) for name in PERSON_FIELDS))


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    id: int
    full_name: str
    original_name: str
    gender: str
    country: str
    institution: str
    email: str
    courses: int


@requires(Right.READ_PERSONAL_DATA)
def find_participants(session: Session, *, text: str = "", country: str | None = None,
                      limit: int = 200, offset: int = 0) -> list[ParticipantRow]:
    """Participants whose name has a word starting with ``text`` (accents and case aside),
    or whose e-mail or institution starts with it; by name."""
    courses = (select(func.count()).select_from(Enrolment)
               .where(Enrolment.participant_id == Participant.id).scalar_subquery())
    query = (select(Participant.id, Participant.full_name, Participant.original_name,
                    Participant.gender, Participant.country, Participant.institution,
                    Participant.email, courses)
             .where(*_conditions(session, text, country))
             .order_by(Participant.search_name, Participant.id).limit(limit).offset(offset))
    return [ParticipantRow(*row[:4], row[4] or "", *row[5:]) for row in session.execute(query)]


@everyone
def count_participants(session: Session, *, text: str = "", country: str | None = None) -> int:
    return session.scalar(select(func.count()).select_from(Participant)
                          .where(*_conditions(session, text, country))) or 0


@everyone
def countries_present(session: Session) -> list[str]:
    """The countries participants come from (for the country filter)."""
    return list(session.scalars(select(Participant.country).distinct().where(
        Participant.country.is_not(None), Participant.erased_at.is_(None))))


def _conditions(session: Session, text: str, country: str | None) -> list:  # type: ignore[type-arg]
    conditions = [Participant.erased_at.is_(None)]
    term = search_key(text)
    if term:
        conditions.append(or_(
            Participant.search_name.startswith(term, autoescape=True),  # % and _ are literal
            text_match.contains(session, Participant.search_name, " " + term),
            Participant.email_key.startswith(term, autoescape=True),
            text_match.starts_with(session, Participant.institution, text.strip())))
    if country:
        conditions.append(Participant.country == country)
    return conditions


# Duplicates -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LikelyDuplicate:
    first_id: int
    second_id: int
    reason: str  # "same e-mail a@b.org" or "similar names (93 %), both KAZ"


@requires(Right.READ_PERSONAL_DATA)
def duplicates_of(session: Session, values: dict[str, object], *,
                  exclude_id: int | None = None) -> list[LikelyDuplicate]:
    """Existing participants that look like the person described by ``values``."""
    found: dict[int, str] = {}
    email = str(values.get("email") or "").casefold()
    if email:
        for (other,) in session.execute(select(Participant.id).where(
                Participant.email_key == email, Participant.erased_at.is_(None))):
            found[other] = f"same e-mail {email}"
    name = search_key(str(values.get("full_name") or ""))
    country = values.get("country")
    if name and country:
        people = session.execute(select(Participant.id, Participant.search_name).where(
            Participant.country == country, Participant.erased_at.is_(None))).all()
        for _name, score, index in process.extract(
                name, [p.search_name for p in people], scorer=fuzz.token_sort_ratio,
                score_cutoff=SIMILAR_NAME, limit=20):
            other = people[index].id
            found.setdefault(other, f"similar name ({score:.0f} %), same country {country}")
    found.pop(exclude_id, None)  # type: ignore[arg-type]
    return [LikelyDuplicate(exclude_id or 0, other, reason)
            for other, reason in sorted(found.items())]


class DuplicateFinder:
    """Likely duplicates for many new records at once (an import): the e-mails and the
    names of each country are read once, not once per row."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_email: dict[str, int] = {}
        for person_id, email in session.execute(
                select(Participant.id, Participant.email_key)
                .where(Participant.email_key != "", Participant.erased_at.is_(None))):
            self.by_email.setdefault(email, person_id)
        self.by_country: dict[str, list[tuple[int, str]]] = {}

    def _people(self, country: str) -> list[tuple[int, str]]:
        if country not in self.by_country:
            self.by_country[country] = [tuple(row) for row in self.session.execute(
                select(Participant.id, Participant.search_name).where(
                    Participant.country == country, Participant.erased_at.is_(None)))]
        return self.by_country[country]

    def find(self, values: dict[str, object]) -> tuple[int, str] | None:
        """The existing record the person most likely is, with the reason; or None."""
        email = str(values.get("email") or "").casefold()
        if email and email in self.by_email:
            return self.by_email[email], f"same e-mail {email}"
        name, country = search_key(str(values.get("full_name") or "")), values.get("country")
        if not name or not country:
            return None
        people = self._people(str(country))
        best = process.extractOne(name, [p[1] for p in people], scorer=fuzz.token_sort_ratio,
                                  score_cutoff=SIMILAR_NAME)
        if best is None:
            return None
        return people[best[2]][0], f"similar name ({best[1]:.0f} %), same country {country}"


@requires(Right.READ_PERSONAL_DATA)
def likely_duplicates(session: Session) -> list[LikelyDuplicate]:
    """Every pair of records that may be one person: same e-mail, or similar names in one
    country (compared country by country, so 10,000 people take well under a second)."""
    pairs: dict[tuple[int, int], str] = {}
    for email, ids in _groups(session, Participant.email_key,
                              Participant.email_key != "").items():
        for i, first in enumerate(ids):
            for second in ids[i + 1:]:
                pairs[first, second] = f"same e-mail {email}"
    by_country: dict[str, list[tuple[int, str]]] = {}
    for person_id, country, name in session.execute(
            select(Participant.id, Participant.country, Participant.search_name)
            .where(Participant.erased_at.is_(None), Participant.country.is_not(None))
            .order_by(Participant.id)):
        by_country.setdefault(country, []).append((person_id, name))
    for country, people in by_country.items():
        names = [name for _id, name in people]
        for i, name in enumerate(names[:-1]):
            for _other, score, j in process.extract(
                    name, names[i + 1:], scorer=fuzz.token_sort_ratio,
                    score_cutoff=SIMILAR_NAME, limit=None):
                key = (people[i][0], people[i + 1 + j][0])
                pairs.setdefault(key, f"similar names ({score:.0f} %), both {country}")
    return [LikelyDuplicate(a, b, reason) for (a, b), reason in sorted(pairs.items())]


def _groups(session: Session, column, condition) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    repeated = (select(column).where(condition, Participant.erased_at.is_(None))
                .group_by(column).having(func.count() > 1))
    groups: dict[str, list[int]] = {}
    for key, person_id in session.execute(
            select(column, Participant.id).where(column.in_(repeated),
                                                 Participant.erased_at.is_(None))
            .order_by(Participant.id)):
        groups.setdefault(key, []).append(person_id)
    return groups


@dataclass(frozen=True, slots=True)
class MergeResult:
    kept_id: int
    enrolments_moved: int
    enrolments_joined: int  # both records were in the same course: one enrolment now


@requires(Right.CHANGE_TRAINING)
def merge(session: Session, *, keep_id: int, merge_id: int) -> MergeResult:
    """Make two records of one person one: every enrolment, attendance day and certificate
    ends on ``keep_id``; its empty fields are filled from the other, which is removed."""
    if keep_id == merge_id:
        raise Refused("merge_same_record")
    keep, other = get_participant(session, keep_id), get_participant(session, merge_id)
    if keep.erased_at is not None or other.erased_at is not None:
        raise Refused("merge_erased_record")
    with history.operation(session, "merge", reference=f"participant {merge_id} into {keep_id}"):
        return _merge(session, keep, other)


def _merge(session: Session, keep: Participant, other: Participant) -> MergeResult:
    keep_id, merge_id = keep.id, other.id
    kept_courses = {e.course_id: e for e in session.scalars(
        select(Enrolment).where(Enrolment.participant_id == keep_id))}
    moved = joined = 0
    for enrolment in session.scalars(select(Enrolment)
                                      .where(Enrolment.participant_id == merge_id)).all():
        twin = kept_courses.get(enrolment.course_id)
        if twin is None:
            enrolment.participant_id = keep_id
            moved += 1
            continue
        _join(session, twin, enrolment)
        joined += 1
    for name in PERSON_FIELDS:
        if not getattr(keep, name) or (name == "gender" and keep.gender == "unstated"):
            setattr(keep, name, getattr(other, name))
    if other.notes and other.notes not in keep.notes:
        keep.notes = "\n".join(n for n in (keep.notes, other.notes) if n)
    keep.search_name, keep.email_key = search_key(keep.full_name), keep.email.casefold()
    session.flush()
    session.delete(other)
    session.flush()
    return MergeResult(keep_id, moved, joined)


def _join(session: Session, keep: Enrolment, other: Enrolment) -> None:
    """One enrolment from two in the same course: all days present, the furthest status,
    the certificate wherever it was, the scores that were given."""
    certificates = session.scalars(select(Certificate).where(
        Certificate.enrolment_id.in_((keep.id, other.id)))).all()
    if sum(1 for c in certificates if c.voided_at is None) > 1:  # voided ones move along
        raise Refused("merge_two_certificates")
    days = set(session.scalars(select(Attendance.day)
                               .where(Attendance.enrolment_id == keep.id)))
    session.execute(update(Attendance).where(Attendance.enrolment_id == other.id,
                                             Attendance.day.not_in(days) if days else true())
                    .values(enrolment_id=keep.id))
    session.execute(delete(Attendance).where(Attendance.enrolment_id == other.id))
    if STATUS_RANK[other.status] > STATUS_RANK[keep.status]:
        keep.status = other.status
    for score in ("pre_test_score", "post_test_score", "feedback_score"):
        if getattr(keep, score) is None:
            setattr(keep, score, getattr(other, score))
    for certificate in certificates:
        certificate.enrolment_id = keep.id
    session.flush()
    session.delete(other)


@requires(Right.CHANGE_TRAINING)
def erase(session: Session, participant_id: int, *, when: dt.datetime | None = None) -> None:
    """Erase a person on request: personal fields blanked, certificates' names too; the
    enrolments stay (with gender, country, institution) so course statistics stay right."""
    person = get_participant(session, participant_id)
    # The history records only that an erasure happened, never the values it removed.
    with history.operation(session, "erasure"), capture.recorded_by_caller(session):
        for name in PERSONAL:
            setattr(person, name, "")
        person.full_name = ERASED_NAME
        person.search_name = person.email_key = ""
        person.erased_at = when or utcnow()
        enrolment_ids = select(Enrolment.id).where(Enrolment.participant_id == participant_id)
        # A void certificate's reason may name the person too.
        session.execute(update(Certificate).where(Certificate.enrolment_id.in_(enrolment_ids))
                        .values(participant_name=ERASED_NAME, void_reason=case(
                            (Certificate.void_reason != "", ERASED_NAME), else_="")))
        session.flush()
        erase_history(session, participant_id)
