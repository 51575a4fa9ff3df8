"""Finding and removing demo records that older versions loaded into a real database.

There is no "demo" column in the schema (adding one needs a migration), so demo records are
recognised by what the demo generators write and a person would not type:

- accessions of the demo institute (``KAZ001``) numbered ``DEMO-`` and seven digits, with
  everything that hangs off them (names, numbers, seed lots, their ledgers, tests, flags,
  regenerations, safety duplicates);
- courses of the demo programme given by ``Gene bank trainers`` with one of the demo's
  course titles, with their enrolments, attendance and certificates;
- participants whose e-mail is ``<given>.<family>.<their own id>@example.org`` (a reserved
  domain) and who are enrolled in no other course;
- the demo's two cold stores and their shelves once no lot is kept there; the programme
  once it has no course; crop rules the demo added in the same minutes as its accessions
  (minimum seeds 1000 and nothing else set, never edited), after which real lots of those
  crops are judged again by the remaining rules;
- the name "Demo national gene bank" the demo gave the institute, which is cleared;
- the look-up rows the demo wrote that nothing else uses once its records are gone (so the
  crop and institute pickers stop offering them): taxa spelt exactly as one of the demo's
  crops, and directory rows for the institute codes the demo uses that have no address and
  either no name or the name the demo gives that code. A taxon or institute any remaining
  record refers to stays, as does any institute the user has named or described.

Counting and removing use the same queries, so the counts a user confirms are what goes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Delete,
    Select,
    String,
    and_,
    cast,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from genebank import history
from genebank.conservation import crop_rules
from genebank.demo import demo_conservation, demo_data, demo_training
from genebank.demo.demo import DEMO_INSTCODE, DEMO_INSTITUTE_NAME, DEMO_INSTITUTE_NAMES
from genebank.models import (
    Accession,
    AccessionInstitute,
    AccessionName,
    AccessionOtherNumber,
    AccessionRemark,
    AccessionStorage,
    Attendance,
    Certificate,
    Course,
    CropRule,
    Enrolment,
    GerminationReplicate,
    GerminationTest,
    Institute,
    LotFlag,
    LotTransaction,
    MoistureTest,
    Participant,
    Programme,
    Regeneration,
    SafetyDuplicate,
    SeedLot,
    StorageLocation,
    Taxon,
)
from genebank.passport.passport_rows import TAXON_FIELDS, taxon_key
from genebank.users.actor import requires
from genebank.users.roles import Right

DEMO_ACCENUMB_REGEX = "^DEMO-[0-9]{7}$"
DEMO_ACCENUMB_GLOB = "DEMO-" + "[0-9]" * 7  # SQLite's GLOB runs in C; REGEXP calls Python
DEMO_EMAIL_DOMAIN = "@example.org"
# Crop rules written within this margin of the demo accessions' own time stamps are the demo's.
RULE_TIME_MARGIN = dt.timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class DemoRecords:
    """How many demo records of each kind a database holds (or held, once removed)."""

    accessions: int = 0
    seed_lots: int = 0
    germination_tests: int = 0
    moisture_tests: int = 0
    regenerations: int = 0
    safety_duplicates: int = 0
    courses: int = 0
    participants: int = 0
    enrolments: int = 0
    certificates: int = 0
    storage_locations: int = 0
    crop_rules: int = 0
    programmes: int = 0
    taxa: int = 0
    institutes: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))

    def items(self) -> list[tuple[str, int]]:
        """(kind, count) for every kind with at least one record, in a fixed order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)
                if getattr(self, f.name)]


def demo_accession_ids() -> Select[tuple[int]]:
    """The ids of demo accessions (a subquery; nothing is loaded)."""
    return select(Accession.id).where(
        Accession.instcode == DEMO_INSTCODE, Accession.accenumb.like("DEMO-%"),
        _demo_number())


def _demo_number() -> ColumnElement[bool]:
    """ACCENUMB is DEMO- and seven digits (GLOB on SQLite, a regular expression elsewhere)."""
    return _DemoNumber()


class _DemoNumber(ColumnElement[bool]):
    inherit_cache = True
    type = Boolean()


@compiles(_DemoNumber)
def _demo_number_default(_element: _DemoNumber, compiler: SQLCompiler, **kw: object) -> str:
    return compiler.process(Accession.accenumb.regexp_match(DEMO_ACCENUMB_REGEX), **kw)


@compiles(_DemoNumber, "sqlite")
def _demo_number_sqlite(_element: _DemoNumber, compiler: SQLCompiler, **kw: object) -> str:
    return compiler.process(Accession.accenumb.op("GLOB")(DEMO_ACCENUMB_GLOB), **kw)


def has_demo_records(session: Session) -> bool:
    """Whether any demo accession or demo course is in the database (a quick check)."""
    return bool(session.scalar(select(exists(demo_accession_ids())))
                or session.scalar(select(exists(_demo_course_ids()))))


def count_demo_records(session: Session) -> DemoRecords:
    """What :func:`remove_demo_records` would remove now."""
    return _counts(session, _selections(session))


@requires(Right.DELETE_RECORDS)
def remove_demo_records(session: Session) -> DemoRecords:
    """Remove every demo record (see the module's docstring) in the caller's transaction.

    Returns the counts removed. Real records stay; real lots of crops whose demo rule is
    removed are judged again by the rules that remain.
    """
    with history.operation(session, "bulk", reference="demo collection removed"):
        return _remove(session)


def _remove(session: Session) -> DemoRecords:
    chosen = _selections(session)
    counts = _counts(session, chosen)
    rule_genera = session.scalars(select(CropRule.genus).where(
        CropRule.id.in_(chosen["crop_rules"]))).all()
    lots, accessions = _demo_lot_ids(), demo_accession_ids()
    tests = select(GerminationTest.id).where(GerminationTest.lot_id.in_(lots))
    statements: list[Delete] = [
        delete(GerminationReplicate).where(GerminationReplicate.test_id.in_(tests)),
        delete(GerminationTest).where(GerminationTest.lot_id.in_(lots)),
        delete(MoistureTest).where(MoistureTest.lot_id.in_(lots)),
        delete(LotFlag).where(LotFlag.lot_id.in_(lots)),
        delete(SafetyDuplicate).where(or_(SafetyDuplicate.accession_id.in_(accessions),
                                          SafetyDuplicate.lot_id.in_(lots))),
        delete(Regeneration).where(Regeneration.accession_id.in_(accessions)),
        delete(LotTransaction).where(LotTransaction.lot_id.in_(lots)),
        delete(SeedLot).where(SeedLot.accession_id.in_(accessions)),
        *(delete(child).where(child.accession_id.in_(accessions)) for child in (
            AccessionName, AccessionOtherNumber, AccessionStorage, AccessionInstitute,
            AccessionRemark)),
    ]
    # Rules go while the demo accessions (whose time stamps identify them) are still there.
    rule_ids = session.scalars(chosen["crop_rules"]).all()
    statements.append(delete(CropRule).where(CropRule.id.in_(rule_ids)))
    statements.append(delete(Accession).where(Accession.id.in_(accessions)))
    courses = _demo_course_ids()
    enrolments = select(Enrolment.id).where(Enrolment.course_id.in_(courses))
    participant_ids = session.scalars(chosen["participants"]).all()
    statements += [
        delete(Certificate).where(Certificate.enrolment_id.in_(enrolments)),
        delete(Attendance).where(Attendance.enrolment_id.in_(enrolments)),
        delete(Enrolment).where(Enrolment.course_id.in_(courses)),
        delete(Course).where(Course.id.in_(courses)),
    ]
    # Every foreign-key column has an index (schema 0007), so each delete finds the rows
    # pointing at what it removes without scanning their tables.
    for statement in statements:
        session.execute(statement, execution_options={"synchronize_session": False})
    _delete_ids(session, Participant, participant_ids)
    for location_id in _unused_demo_locations(session):
        session.execute(delete(StorageLocation).where(StorageLocation.id == location_id))
    session.execute(delete(Programme).where(Programme.id.in_(_unused_demo_programmes())),
                    execution_options={"synchronize_session": False})
    # the look-ups last, once nothing removed above refers to them any more
    for model, ids in ((Taxon, _unused_demo_taxon_ids()),
                       (Institute, _unused_demo_institute_ids())):
        session.execute(delete(model).where(model.id.in_(ids)),
                        execution_options={"synchronize_session": False})
    session.execute(update(Institute).where(Institute.code == DEMO_INSTCODE,
                                            Institute.name == DEMO_INSTITUTE_NAME)
                    .values(name=""), execution_options={"synchronize_session": False})
    session.flush()
    session.expire_all()
    for genus in sorted(set(rule_genera)):
        crop_rules.rejudge(session, genus=genus)
    return counts


def _selections(session: Session) -> dict[str, Select[tuple[int]]]:
    """One id query per kind of record, in the order of :class:`DemoRecords`."""
    lots = _demo_lot_ids()
    accessions = demo_accession_ids()
    courses = _demo_course_ids()
    return {
        "accessions": accessions,
        "seed_lots": lots,
        "germination_tests": select(GerminationTest.id).where(GerminationTest.lot_id.in_(lots)),
        "moisture_tests": select(MoistureTest.id).where(MoistureTest.lot_id.in_(lots)),
        "regenerations": select(Regeneration.id).where(Regeneration.accession_id.in_(accessions)),
        "safety_duplicates": select(SafetyDuplicate.id).where(or_(
            SafetyDuplicate.accession_id.in_(accessions), SafetyDuplicate.lot_id.in_(lots))),
        "courses": courses,
        "participants": _demo_participant_ids(),
        "enrolments": select(Enrolment.id).where(Enrolment.course_id.in_(courses)),
        "certificates": select(Certificate.id).join(Enrolment).where(
            Enrolment.course_id.in_(courses)),
        "crop_rules": _demo_rule_ids(session),
        "programmes": _demo_programme_ids(empty_after=True),
        "taxa": _unused_demo_taxon_ids(),
        "institutes": _unused_demo_institute_ids(),
    }


def _counts(session: Session, chosen: dict[str, Select[tuple[int]]]) -> DemoRecords:
    return DemoRecords(storage_locations=len(_unused_demo_locations(session)),
                       **{name: _count(session, query) for name, query in chosen.items()})


def _count(session: Session, ids: Select[tuple[int]]) -> int:
    return session.scalar(select(func.count()).select_from(ids.subquery())) or 0


def _delete_ids(session: Session, model: type, ids: list[int], chunk: int = 500) -> None:
    for start in range(0, len(ids), chunk):
        session.execute(delete(model).where(model.id.in_(ids[start:start + chunk])),  # type: ignore[attr-defined]
                        execution_options={"synchronize_session": False})


def _demo_lot_ids() -> Select[tuple[int]]:
    return select(SeedLot.id).where(SeedLot.accession_id.in_(demo_accession_ids()))


def _demo_course_ids() -> Select[tuple[int]]:
    titles = [title for title, _days in demo_training.TOPICS]
    return (select(Course.id).join(Programme, Programme.id == Course.programme_id)
            .where(Programme.name == demo_training.PROGRAMME,
                   Course.trainers == demo_training.TRAINERS, Course.title.in_(titles)))


def _demo_email() -> ColumnElement[bool]:
    """The e-mail the demo gives a participant: ``given.family.<id>@example.org``."""
    suffix = literal(".") + cast(Participant.id, String) + literal(DEMO_EMAIL_DOMAIN)
    return Participant.email.like(literal("%") + suffix)


def _demo_participant_ids() -> Select[tuple[int]]:
    """Demo-made people enrolled in no course but demo ones (a real course keeps them)."""
    real_enrolment = exists().where(Enrolment.participant_id == Participant.id,
                                    Enrolment.course_id.not_in(_demo_course_ids()))
    return select(Participant.id).where(_demo_email(), ~real_enrolment)


def _demo_location_ids() -> Select[tuple[int]]:
    """The demo's cold stores and their shelves."""
    roots = select(StorageLocation.id).where(
        StorageLocation.parent_id.is_(None),
        StorageLocation.name.in_(demo_conservation.DEMO_STORES))
    return select(StorageLocation.id).where(or_(
        StorageLocation.id.in_(roots),
        StorageLocation.parent_id.in_(roots) & StorageLocation.name.like("Shelf %")))


def _unused_demo_locations(session: Session) -> list[int]:
    """Demo places that keep no real lot (nor saw one moved), hold no place of the user's,
    and so can go with the demo lots; shelves before their stores."""
    parents = dict(session.execute(select(StorageLocation.id, StorageLocation.parent_id)
                                   .where(StorageLocation.id.in_(_demo_location_ids()))).all())
    if not parents:
        return []
    ids = list(parents)
    kept = set(session.scalars(select(SeedLot.location_id).distinct().where(
        SeedLot.location_id.in_(ids), SeedLot.accession_id.not_in(demo_accession_ids()))))
    for moved in session.execute(select(LotTransaction.from_location_id,
                                        LotTransaction.to_location_id).where(
            or_(LotTransaction.from_location_id.in_(ids),
                LotTransaction.to_location_id.in_(ids)),
            LotTransaction.lot_id.not_in(_demo_lot_ids()))):
        kept.update(moved)
    kept.update(session.scalars(select(StorageLocation.parent_id).where(
        StorageLocation.parent_id.in_(ids), StorageLocation.id.not_in(ids))))
    kept.update({parents[place] for place in kept if parents.get(place) is not None})
    free = [place for place in ids if place not in kept]
    return ([place for place in free if parents[place] is not None]
            + [place for place in free if parents[place] is None])


def _demo_rule_ids(session: Session) -> Select[tuple[int]]:
    """Crop rules the demo added: minimum 1000 seeds and nothing else, never edited, for a
    demo genus, written within minutes of the demo accessions."""
    first, last = session.execute(select(func.min(Accession.created_at),
                                         func.max(Accession.created_at))
                                  .where(Accession.id.in_(demo_accession_ids()))).one()
    genera = sorted({genus for genus, *_rest in demo_data.CROPS})
    if first is None:
        return select(CropRule.id).where(literal(False))
    return select(CropRule.id).where(
        CropRule.genus.in_(genera), CropRule.minimum_seeds == demo_conservation.DEMO_MINIMUM_SEEDS,
        *(getattr(CropRule, name).is_(None) for name in crop_rules.NUMBERS
          if name != "minimum_seeds"),
        CropRule.version == 1,
        CropRule.created_at.between(_as_datetime(first) - RULE_TIME_MARGIN,
                                    _as_datetime(last) + RULE_TIME_MARGIN))


def _as_datetime(value: object) -> dt.datetime:
    """A time stamp as read back (SQLite's aggregate returns the stored text)."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _demo_programme_ids(*, empty_after: bool) -> Select[tuple[int]]:
    chosen = select(Programme.id).where(Programme.name == demo_training.PROGRAMME,
                                        Programme.sponsor == demo_training.SPONSOR,
                                        Programme.description == demo_training.DESCRIPTION)
    if not empty_after:
        return chosen
    real_course = exists().where(Course.programme_id == Programme.id,
                                 Course.id.not_in(_demo_course_ids()))
    return chosen.where(~real_course)


def _unused_demo_programmes() -> Select[tuple[int]]:
    """Demo programmes without any course left (run after the demo courses are gone)."""
    return _demo_programme_ids(empty_after=False).where(
        ~exists().where(Course.programme_id == Programme.id))


def _unused_demo_taxon_ids() -> Select[tuple[int]]:
    """Taxa spelt exactly as a demo crop that no accession but a demo one uses."""
    keys = {taxon_key({"GENUS": genus, "SPECIES": species, "SPAUTHOR": author,
                       "SUBTAXA": subtaxa, "CROPNAME": crop})
            for genus, species, author, crop, subtaxa_options in demo_data.CROPS
            for subtaxa in subtaxa_options}
    columns = [getattr(Taxon, field.lower()) for field in TAXON_FIELDS]
    used = exists().where(Accession.taxon_id == Taxon.id,
                          Accession.id.not_in(demo_accession_ids()))
    spelt_as_the_demo = or_(*(and_(*(column == value for column, value
                                     in zip(columns, key, strict=True)))
                              for key in sorted(keys)))
    return select(Taxon.id).where(spelt_as_the_demo, ~used)


def _unused_demo_institute_ids() -> Select[tuple[int]]:
    """Directory rows for the demo's institute codes as the demo leaves them (no address;
    no name, or the name the demo gives that code) that no record but a demo one refers to:
    as holder, donor, collector, breeder, safety-duplicate site, other number or course host."""
    demo_lots = _demo_lot_ids()
    demo_accessions = demo_accession_ids()
    name = func.coalesce(Institute.name, "")
    as_the_demo_names_it = or_(name == "", *(
        (Institute.code == code) & (name == demo_name)
        for code, demo_name in DEMO_INSTITUTE_NAMES.items()))
    references = (
        exists().where(Accession.instcode == Institute.code,
                       Accession.id.not_in(demo_accessions)),
        exists().where(Accession.donorcode == Institute.code,
                       Accession.id.not_in(demo_accessions)),
        exists().where(AccessionInstitute.code == Institute.code,
                       AccessionInstitute.accession_id.not_in(demo_accessions)),
        exists().where(AccessionOtherNumber.instcode == Institute.code,
                       AccessionOtherNumber.accession_id.not_in(demo_accessions)),
        exists().where(SafetyDuplicate.institute_code == Institute.code,
                       SafetyDuplicate.lot_id.not_in(demo_lots),
                       SafetyDuplicate.accession_id.not_in(demo_accessions)),
        exists().where(Course.host_code == Institute.code,
                       Course.id.not_in(_demo_course_ids())),
    )
    codes = sorted({DEMO_INSTCODE, *demo_data.DUPLICATE_SITES, *DEMO_INSTITUTE_NAMES})
    return select(Institute.id).where(
        Institute.code.in_(codes), func.coalesce(Institute.address, "") == "",
        as_the_demo_names_it,
        *(~reference for reference in references))
