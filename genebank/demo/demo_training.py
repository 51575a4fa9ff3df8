"""A demo training programme: courses over ten years in member states, the people who came
(one record per person, some trained several times), their attendance and certificates.
Written in bulk; everything in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank import history
from genebank.demo.demo_names import draw_name
from genebank.models import (
    Attendance,
    Certificate,
    Course,
    Enrolment,
    Participant,
    Programme,
)
from genebank.progress import NoProgress, Progress, check
from genebank.services.bulk import IdSource, audit_row, insert_rows, new_ids
from genebank.training import certificates, participants
from genebank.transactions import one_at_a_time

PROGRAMME = "Development of National Gene Banks"
SPONSOR = "Islamic Organization for Food Security"
DESCRIPTION = "Training of national gene bank staff of member states."
TRAINERS = "Gene bank trainers"
TOPICS = (
    ("Gene Bank Management", 5), ("Seed viability and germination testing", 5),
    ("Seed drying and moisture content", 3), ("Regeneration of seed collections", 4),
    ("Documentation: MCPD passport data and Genesys", 3), ("Cryopreservation", 5),
    ("In vitro conservation", 4), ("Field gene bank management", 4),
    ("Collecting missions for crop wild relatives", 5), ("Characterization and evaluation", 4),
    ("Safety duplication and the Svalbard Global Seed Vault", 2),
    ("Plant Treaty, SMTA and access and benefit-sharing", 2),
)
# (country, city, host, script): where courses are held and who comes
REGIONS = (
    (("KAZ", "Almaty", "Kazakh Research Institute of Agriculture and Plant Growing", "cyr"),
     ("UZB", "Tashkent", "Uzbek Research Institute of Plant Industry", "cyr"),
     ("KGZ", "Bishkek", "Kyrgyz National Agrarian University", "cyr"),
     ("TJK", "Dushanbe", "Tajik Academy of Agricultural Sciences", "cyr"),
     ("AZE", "Baku", "Genetic Resources Institute of Azerbaijan", "cyr")),
    (("SEN", "Dakar", "Institut Sénégalais de Recherches Agricoles", "lat"),
     ("MLI", "Bamako", "Institut d'Economie Rurale", "lat"),
     ("NER", "Niamey", "Institut National de la Recherche Agronomique du Niger", "lat"),
     ("BFA", "Ouagadougou", "Institut de l'Environnement et de Recherches Agricoles", "lat"),
     ("NGA", "Ibadan", "National Centre for Genetic Resources and Biotechnology", "lat")),
    (("EGY", "Giza", "National Gene Bank of Egypt", "ara"),
     ("MAR", "Rabat", "Institut National de la Recherche Agronomique", "ara"),
     ("JOR", "Amman", "National Agricultural Research Center", "ara"),
     ("TUN", "Tunis", "Banque Nationale de Gènes", "ara"),
     ("SDN", "Wad Medani", "Agricultural Plant Genetic Resources Conservation Centre", "ara")),
    (("TUR", "Izmir", "Aegean Agricultural Research Institute", "lat"),
     ("PAK", "Islamabad", "Plant Genetic Resources Institute", "lat"),
     ("BGD", "Gazipur", "Bangladesh Agricultural Research Institute", "lat"),
     ("IDN", "Bogor", "ICABIOGRAD", "lat"),
     ("MYS", "Serdang", "MARDI Genebank", "lat")),
)
POSITIONS = ("Gene bank technician", "Curator", "Seed laboratory assistant", "Researcher",
             "Head of gene bank", "Field officer", "Data manager")


@dataclass(frozen=True, slots=True)
class TrainingDemo:
    courses: int
    participants: int
    enrolments: int
    certificates: int


def load_training_demo(session: Session, *, courses: int = 1000, people: int = 10_000,
                       seed: int = 2026, today: dt.date | None = None,
                       progress: Progress | None = None) -> TrainingDemo:
    one_at_a_time(session, "demo")  # certificate numbers count on from the last ones
    with history.operation(session, "bulk", reference="demo training programme"):
        return _load_training_demo(session, courses, people, seed, today,
                                   progress or NoProgress())


def _load_training_demo(session: Session, courses: int, people: int, seed: int,
                        today: dt.date | None, progress: Progress) -> TrainingDemo:
    rng = random.Random(seed)
    today = today or dt.date.today()
    audit = audit_row(session)
    programme_id = session.scalar(select(Programme.id).where(Programme.name == PROGRAMME))
    if programme_id is None:
        programme = Programme(name=PROGRAMME, sponsor=SPONSOR, certificate_prefix="IOFS",
                              description=DESCRIPTION)
        session.add(programme)
        session.flush()
        programme_id = programme.id
    prefix = session.scalar(select(Programme.certificate_prefix)
                            .where(Programme.id == programme_id))
    people_by_region = _people(session, rng, people, audit)
    check(progress)
    progress.report(1, 3, f"Created {people:,} participants")
    course_ids = new_ids(session, Course.__table__, courses)
    enrolment_ids = IdSource(session, Enrolment.__table__, block=1000)
    rows: dict[type, list[tuple[object, ...]]] = {m: [] for m in (Course, Enrolment,
                                                                  Attendance, Certificate)}
    numbers: dict[int, int] = {}
    for offset in range(courses):
        course_id = course_ids[offset]
        region = rng.randrange(len(REGIONS))
        country, city, host, _script = rng.choice(REGIONS[region])
        title, days = rng.choice(TOPICS)
        start = today - dt.timedelta(days=rng.randint(-120, 3650))
        end = start + dt.timedelta(days=days - 1)
        status = ("completed" if end < today else "running" if start <= today
                  else rng.choice(("planned", "open")))
        if status == "completed" and rng.random() < 0.03:
            status = "cancelled"
        rows[Course].append((course_id, programme_id, title, title.split(":")[0], None, host,
                             city, country, start, end, "en", TRAINERS, 30,
                             6.0 * days, status))
        if status == "cancelled":
            continue
        group = _group(rng, people_by_region[region], rng.randint(12, 28))
        for person_id, name in group:
            enrolment_id = enrolment_ids.take()
            outcome = rng.random()
            attended = [start + dt.timedelta(days=d) for d in range(days)
                        if status == "completed" and outcome > 0.08 and rng.random() < 0.93]
            if status != "completed":
                enrolment_status = "confirmed" if rng.random() < 0.7 else "nominated"
            elif outcome < 0.04:
                enrolment_status = "no_show"
            elif outcome < 0.08:
                enrolment_status = "withdrawn"
            else:
                enrolment_status = ("completed" if len(attended) * 100 >= 80 * days
                                    else "attended")
            scores = ((round(rng.uniform(30, 70)), round(rng.uniform(60, 98)),
                       rng.choice((3, 4, 4, 5, 5))) if enrolment_status == "completed"
                      else (None, None, None))
            rows[Enrolment].append((enrolment_id, course_id, person_id, enrolment_status,
                                    *scores))
            rows[Attendance].extend((enrolment_id, day) for day in attended)
            if enrolment_status == "completed":  # issued after the last day, as the rule says
                issued_on = min(today, end + dt.timedelta(days=rng.randint(1, 14)))
                year = issued_on.year
                numbers[year] = numbers.get(year) or _last_number(session, prefix, year)
                numbers[year] += 1
                rows[Certificate].append((
                    f"{prefix}-{year}-{numbers[year]:05d}", enrolment_id, issued_on, name,
                    title, certificates.date_span(start, end), host, 6.0 * days))
    check(progress)
    progress.report(2, 3, "Writing courses, enrolments and certificates")
    insert_rows(session, Course.__table__, COURSE_COLUMNS, rows[Course], audit)
    insert_rows(session, Enrolment.__table__, ("id", "course_id", "participant_id", "status",
                                               "pre_test_score", "post_test_score",
                                               "feedback_score"), rows[Enrolment], audit)
    insert_rows(session, Attendance.__table__, ("enrolment_id", "day"), rows[Attendance],
                audit)
    insert_rows(session, Certificate.__table__, (
        "number", "enrolment_id", "issued_on", "participant_name", "course_title",
        "course_dates", "host", "hours"), rows[Certificate], audit)
    progress.report(3, 3, "Done")
    return TrainingDemo(courses, people, len(rows[Enrolment]), len(rows[Certificate]))


COURSE_COLUMNS = ("id", "programme_id", "title", "topic", "host_code", "host_name",
                  "venue_city", "venue_country", "start_on", "end_on", "languages",
                  "trainers", "capacity", "hours", "status")


def _last_number(session: Session, prefix: str, year: int) -> int:
    return certificates.last_sequence(session, f"{prefix}-{year}-")


def _people(session: Session, rng: random.Random, count: int,
            audit: tuple[object, ...]) -> list[list[tuple[int, str]]]:
    """Participants spread over the regions; returns (id, name) per region."""
    ids = new_ids(session, Participant.__table__, count)
    by_region: list[list[tuple[int, str]]] = [[] for _ in REGIONS]
    rows = []
    for offset in range(count):
        person_id = ids[offset]
        region = offset % len(REGIONS)
        country, _city, host, _script = rng.choice(REGIONS[region])
        person = draw_name(rng, country)
        name = person.full_name
        email = f"{_ascii(name).replace(' ', '.')}.{person_id}@example.org".lower()
        rows.append((person_id, name, person.original_name, person.gender, country,
                     host if rng.random() < 0.7 else f"{host}, regional station",
                     rng.choice(POSITIONS), email, "", "en", "",
                     participants.search_key(name), email))
        by_region[region].append((person_id, name))
    insert_rows(session, Participant.__table__, (
        "id", "full_name", "original_name", "gender", "country", "institution", "position",
        "email", "phone", "languages", "notes", "search_name", "email_key"), rows, audit)
    return by_region


def _group(rng: random.Random, people: list[tuple[int, str]], size: int) \
        -> list[tuple[int, str]]:
    """Up to ``size`` people for one course, no two with the same name: a roster listing a
    name twice looks like one person enrolled twice."""
    group: list[tuple[int, str]] = []
    names: set[str] = set()
    for person in rng.sample(people, k=min(len(people), size * 2)):
        if person[1] not in names:
            names.add(person[1])
            group.append(person)
            if len(group) == size:
                break
    return group


def _ascii(text: str) -> str:
    """The Latin name as an e-mail address can hold it: "Yılmaz" as "yilmaz", "Cissé" as
    "cisse"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in " -"))
