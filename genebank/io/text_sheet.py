"""Reading a text table (.csv, .tsv, .txt): its encoding, its delimiter, its rows.

Gene banks' text files come from Excel in every language: "CSV UTF-8", plain "CSV" in the
computer's own code page (Windows-1251 in Russian, Windows-1256 in Arabic, Windows-1252 in
French), "Unicode text" (UTF-16 LE with tabs), and from databases in UTF-8. A file is read
directly only when its encoding is certain: valid UTF-8, or a byte-order mark (UTF-8,
UTF-16 LE/BE). Any other file is refused with the encodings it may be in, each with its
first lines decoded, so that a person chooses by eye and reads it again with ``encoding=``:
a guess would turn "Пшеница" into "Ïøåíèöà" without a word (mojibake).

The delimiter (comma, semicolon, tab or pipe) is the one that cuts the first lines into the
same number of cells; it is recorded on the :class:`~genebank.io.spreadsheet.Sheet` with the
encoding, so that the CLI and the GUI can say how the file was read.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from genebank import problems
from genebank.io.unreadable import UnreadableFile

TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# The code pages tried after the detector's guess, in the order gene banks have them.
FALLBACK_ENCODINGS = ("cp1251", "cp1256", "latin-1")
SAMPLE_BYTES = 64 * 1024  # what the detector and the delimiter look at
SAMPLE_LINES = 50
PREVIEW_LINES = 5  # the first lines shown of each candidate encoding
PREVIEW_CHARS = 120
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))

problems.register({
    "text_encoding_unknown": "'{file}' is not UTF-8 text (byte {byte}) and has no byte-order "
                             "mark, so its encoding is not certain; read it again with the "
                             "encoding it is in, likely one of: {names}",
    "text_not_in_encoding": "'{file}' is not {encoding} text (byte {byte}); choose another "
                            "encoding",
    "unknown_encoding": "'{encoding}' is not an encoding Genebank knows (for example utf-8, "
                        "cp1251, cp1256, latin-1)",
})


@dataclass(frozen=True, slots=True)
class Candidate:
    """An encoding a text file may be in, and its first lines read in it."""

    encoding: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Decoded:
    """A text file's content and how it was read."""

    text: str
    encoding: str
    delimiter: str


def codec_name(encoding: str) -> str:
    """Python's own name of an encoding (``windows-1251`` -> ``cp1251``); refused with
    ``unknown_encoding`` when Python has no codec by that name, or one that is no text
    encoding (``rot13``, ``zlib``)."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):
        raise UnreadableFile("unknown_encoding", encoding=encoding) from None
    if not getattr(info, "_is_text_encoding", True):
        raise UnreadableFile("unknown_encoding", encoding=encoding)
    return info.name


def decode(path: Path, raw: bytes, encoding: str | None = None) -> Decoded:
    """The text of ``raw`` (the bytes of the file at ``path``), in ``encoding`` when given,
    else in the encoding its bytes make certain; refused otherwise, with the candidates."""
    if encoding is not None:
        name = codec_name(encoding)
        if name == "utf-8" and raw.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        text = _strict(path, raw, name, encoding)
    else:
        name = next((codec for bom, codec in BOMS if raw.startswith(bom)), None)
        if name is not None:
            text = _strict(path, raw, name, name)
        else:
            try:
                text, name = raw.decode("utf-8"), "utf-8"
            except UnicodeDecodeError as error:
                raise _ask(path, raw, error.start + 1) from None
            if "\x00" in text:  # UTF-16 without its mark is valid UTF-8 full of NULs
                raise _ask(path, raw, text.index("\x00") + 1)
    if "\x00" in text:
        raise UnreadableFile("not_text", file=path.name)
    return Decoded(text, name, detect_delimiter(text, path.suffix.lower()))


def _strict(path: Path, raw: bytes, codec: str, said: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as error:
        raise UnreadableFile("text_not_in_encoding", file=path.name, encoding=said,
                             byte=error.start + 1) from None


def _ask(path: Path, raw: bytes, byte: int) -> UnreadableFile:
    found = candidates(raw)
    if not found:
        return UnreadableFile("not_text", file=path.name)
    return UnreadableFile("text_encoding_unknown", file=path.name, byte=byte,
                          names=", ".join(c.encoding for c in found),
                          candidates=[{"encoding": c.encoding, "lines": list(c.lines)}
                                      for c in found])


def candidates(raw: bytes) -> list[Candidate]:
    """The encodings ``raw`` may be in, likeliest first: the detector's guess, then
    Windows-1251, Windows-1256 and Latin-1; each only once, and only if the whole file
    decodes in it without a NUL character."""
    names = [*_detected(raw[:SAMPLE_BYTES]), *FALLBACK_ENCODINGS]
    found: list[Candidate] = []
    seen: set[str] = set()
    for encoding in names:
        name = codecs.lookup(encoding).name
        if name in seen:
            continue
        seen.add(name)
        try:
            text = raw.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        found.append(Candidate(name, first_lines(text)))
    return found


def _detected(sample: bytes) -> list[str]:
    """charset-normalizer's best guess for ``sample``, if it has one."""
    from charset_normalizer import from_bytes  # imported on need: ~50 ms

    best = from_bytes(sample).best()
    return [best.encoding] if best is not None else []


def first_lines(text: str) -> tuple[str, ...]:
    """The first non-empty lines of ``text``, each cut to a width a chooser shows."""
    lines = []
    for line in io.StringIO(text[:SAMPLE_BYTES]):
        line = line.rstrip("\r\n")
        if line.strip():
            lines.append(line if len(line) <= PREVIEW_CHARS else line[:PREVIEW_CHARS] + "…")
        if len(lines) == PREVIEW_LINES:
            break
    return tuple(lines)


def detect_delimiter(text: str, suffix: str = ".csv") -> str:
    """The delimiter that cuts the first lines into the same number of cells (more than
    one), the most lines first, then the most cells; a tab for .tsv and .txt files and a
    comma for .csv when no delimiter cuts them (a file of one column)."""
    sample = text[:SAMPLE_BYTES]
    cut = sample.rfind("\n")
    lines = [line for line in (sample[:cut] if 0 < cut < len(sample) - 1 else sample)
             .splitlines() if line.strip()][:SAMPLE_LINES]
    preferred = ("\t", ",", ";", "|") if suffix in (".tsv", ".txt") else DELIMITERS
    best, best_score = preferred[0], (0.0, 0)
    for delimiter in preferred:
        if not any(delimiter in line for line in lines):
            continue
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (count / len(widths), width) if width > 1 else (0.0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best
