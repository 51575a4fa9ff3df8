"""The one identity of an accession: its holding institute and number, as people mean them.

Two accessions are the same when their INSTCODE and ACCENUMB are the same after
:func:`accession_key`, whatever keyboard typed them: full-width letters from an East Asian
input method ("ＫＺ－０００１"), a no-break space pasted from a report, two spaces, a trailing
space, a different case ("kz-0001") or a ligature. The key is computed here, once, in
Python, and stored in the accession table's ``identity_key`` column (unique on every
database), so the form, every import and every lookup agree on SQLite and PostgreSQL alike:
SQL's ``lower()`` folds only what the database's locale knows, and SQLite's NOCASE only
ASCII.

Normalisation is NFKC, not NFC: NFC keeps full-width "ＫＺ" and "KZ" apart, and they are
the same number typed on two keyboards; NFKC also unifies ligatures ("ﬀ") and compatibility
spaces. The key is only ever compared, never shown as the number: the number is stored as
typed (NFC, see ``mcpd.values``).
"""

from __future__ import annotations

import unicodedata

# Between the two parts: whitespace never survives the collapsing below, so a tab cannot
# occur inside either part, and no INSTCODE + ACCENUMB pair can spell another pair's key.
SEPARATOR = "\t"


def identity_text(text: str | None) -> str:
    """``text`` as compared: NFKC, case-folded (``str.casefold``: "ß" is "ss", Greek final
    sigma is sigma), trimmed, inner whitespace of any kind collapsed to one space."""
    if not text:
        return ""
    if text.isascii():  # NFKC leaves ASCII as it is, and casefold is lower there
        return " ".join(text.lower().split())
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())


def accession_key(instcode: str | None, accenumb: str | None) -> str:
    """The identity key of the accession ``accenumb`` held by ``instcode``."""
    return f"{identity_text(instcode)}{SEPARATOR}{identity_text(accenumb)}"
