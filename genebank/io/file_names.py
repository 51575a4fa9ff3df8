"""File names that Genebank builds from data (a certificate's number, ...): checked parts only,
and the file stays in the folder the user chose.

A part is refused, never silently changed: a changed name would no longer say which record
the file holds (a certificate's PDF is named by its number, and a reprint overwrites it).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from genebank.io.files import FileNotWritten
from genebank.problems import Coded, register

MAX_PART_BYTES = 200  # well under the 255 bytes of a name on every file system we meet
FORBIDDEN = frozenset('/\\:*?"<>|')  # separators, and what Windows refuses in a name
RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                      *(f"COM{n}" for n in "123456789¹²³"), *(f"LPT{n}" for n in "123456789¹²³")})
REASONS = {
    "empty": "it is empty",
    "separator": "it holds '{char}', which a file name cannot hold",
    "control": "it holds an invisible control character",
    "dots": "it holds '..', which could point outside the folder",
    "reserved": "'{stem}' is a name Windows reserves for a device",
    "trailing": "it ends with a dot or a space, which Windows drops",
    "leading": "it starts with a space or a dot",
    "too_long": "it is {length} bytes long (at most {limit})",
    "outside": "it would be written outside '{folder}'",
}
# One code for each reason, each a whole sentence (a translation words each one whole).
REASON_CODES = {reason: f"unsafe_file_name_{reason}" for reason in REASONS}
register({REASON_CODES[reason]: f"cannot write a file named '{{name}}': {why}; correct the "
          "data it is made from (e.g. the programme's certificate prefix) and try again"
          for reason, why in REASONS.items()})


class UnsafeFileName(FileNotWritten):
    """A name built from data that is not safe as a file name: the code of its ``reason``
    (a key of :data:`REASONS`), with the name, the reason and its details as params."""

    def __init__(self, name: str, reason: str, **details: object) -> None:
        Coded.__init__(self, code=REASON_CODES[reason],
                       params={"name": name, "reason": reason, **details})


def problem(part: str) -> tuple[str, dict[str, object]] | None:
    """Why ``part`` cannot be (part of) one file name, as (reason, details); None if it can."""
    if not part:
        return "empty", {}
    for char in part:
        if char in FORBIDDEN:
            return "separator", {"char": char}
        if unicodedata.category(char) in ("Cc", "Cf") and char not in "\u200c\u200d":
            return "control", {}
    if ".." in part:
        return "dots", {}
    stem = part.split(".", 1)[0].rstrip(" ").upper()
    if stem in RESERVED:
        return "reserved", {"stem": part.split(".", 1)[0]}
    if part[-1] in ". ":
        return "trailing", {}
    if part[0] in ". ":
        return "leading", {}
    length = len(part.encode("utf-8"))
    if length > MAX_PART_BYTES:
        return "too_long", {"length": length, "limit": MAX_PART_BYTES}
    return None


def is_safe_part(part: str) -> bool:
    return problem(part) is None


def safe_part(part: str) -> str:
    """``part`` itself if it is safe as a file name, else :class:`UnsafeFileName`."""
    found = problem(part)
    if found is not None:
        raise UnsafeFileName(part, found[0], **found[1])
    return part


def file_in(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem+suffix`` after checking ``stem`` and that the file, resolved (symbolic
    links followed), is directly inside ``folder``, resolved."""
    name = safe_part(stem + suffix)
    folder = Path(folder)
    path = folder / name
    if path.resolve().parent != folder.resolve():
        raise UnsafeFileName(name, "outside", folder=str(folder))
    return path
