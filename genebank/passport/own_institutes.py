"""The gene bank's own institute codes: which accessions it holds, as every workstation sees.

A gene bank holds its accessions under one or a few FAO WIEWS institute codes (KAZ001,
KAZ002). Stored once in the database (``collection_setting``, key ``own_instcodes``), they
let a passport import flag, once for the sheet, the rows held by other institutes (a
Genesys download of a crop brings every gene bank's accessions), and FAO reporting count
only what the gene bank holds. A new database has none, and then nothing is flagged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank import mcpd, problems
from genebank.io.column_notes import replace_notes
from genebank.io.import_preview import ImportPreview
from genebank.io.sheet_problem import SheetProblem
from genebank.mcpd import Severity
from genebank.models import CollectionSetting
from genebank.services.errors import ValidationFailed
from genebank.users.actor import everyone, requires
from genebank.users.roles import Right

OWN_INSTCODES = "own_instcodes"
SEPARATOR = ";"
NOT_HELD = "rows_not_held"

problems.register({
    NOT_HELD: "{count:,} row(s) are held by other institutes ({institutes}): not held by "
              "you",
})


@dataclass(frozen=True, slots=True)
class OwnInstitutes:
    """The codes as stored (canonical, in the order given, each once)."""

    codes: tuple[str, ...]


@everyone
def own_instcodes(session: Session) -> tuple[str, ...]:
    """The gene bank's own institute codes; () when none are set."""
    value = session.scalar(select(CollectionSetting.value)
                           .where(CollectionSetting.key == OWN_INSTCODES))
    return tuple(code for code in (value or "").split(SEPARATOR) if code)


@requires(Right.MANAGE_SETTINGS)
def set_own_instcodes(session: Session, codes: Iterable[str]) -> OwnInstitutes:
    """Store ``codes`` as the gene bank's own (none: the setting is cleared). Each is read
    as an INSTCODE is (``kaz001`` is KAZ001); one that is not a WIEWS code refuses them
    all, and nothing is changed."""
    canonical: list[str] = []
    refused: list[mcpd.Problem] = []
    for raw in codes:
        if not str(raw).strip():
            continue
        try:
            code = mcpd.parse_field("INSTCODE", raw)
        except mcpd.InvalidValue as problem:
            refused.append(mcpd.Problem("INSTCODE", Severity.ERROR, str(problem), problem.code,
                                        dict(problem.params)))
            continue
        if code and code not in canonical:
            canonical.append(code)
    if refused:
        raise ValidationFailed(refused)
    setting = session.get(CollectionSetting, OWN_INSTCODES)
    value = SEPARATOR.join(canonical)
    if not canonical:
        if setting is not None:
            session.delete(setting)
    elif setting is None:
        session.add(CollectionSetting(key=OWN_INSTCODES, value=value))
    elif setting.value != value:
        setting.value = value
    session.flush()
    return OwnInstitutes(tuple(canonical))


def split_codes(text: str) -> list[str]:
    """Codes as a person lists them: separated by commas, semicolons or spaces."""
    return [part for part in text.replace(",", " ").replace(";", " ").split() if part]


@everyone
def collection_settings(session: Session) -> dict[str, str]:
    """Every collection setting stored, by key (for ``genebank settings show``)."""
    return dict(session.execute(select(CollectionSetting.key, CollectionSetting.value)
                                .order_by(CollectionSetting.key)).all())


def note_not_held(preview: ImportPreview, own: Iterable[str], *, shown: int = 5) -> None:
    """Flag once for the sheet the rows whose INSTCODE is not one of ``own`` ("120 row(s)
    are held by other institutes (UZB006: 100 rows, KGZ001: 20 rows): not held by you"), a
    warning; with no ``own`` codes, nothing is flagged. Called whenever the existing
    accessions are marked, so a preview judged again says it once
    (``column_notes.replace_notes``)."""
    owned = frozenset(own)
    notes = []
    if owned:
        others = Counter(row.values["INSTCODE"] for row in preview.rows
                         if row.values.get("INSTCODE") not in owned and "INSTCODE" in row.values)
        if others:
            listed = ", ".join(f"{code}: {count:,} row{'s' if count > 1 else ''}"
                               for code, count in others.most_common(shown))
            if len(others) > shown:
                listed += f", {len(others) - shown:,} more"
            notes.append(SheetProblem.said(*preview.place, preview.header_row, None,
                                           "INSTCODE", Severity.WARNING, "rows_not_held",
                                           count=sum(others.values()), institutes=listed))
    replace_notes(preview, (NOT_HELD,), notes)
