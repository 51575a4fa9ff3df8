"""Writing an xlsx sheet with ``rustpy_xlsxwriter`` (fast, streaming, Rust), without its
noise: when it cannot finish the archive (a full disk) it prints a line of its own straight
to the process's stderr, after raising the error Genebank reports in words. Only its calls
are wrapped, so nothing else's output is ever held back.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

import rustpy_xlsxwriter


def write_worksheet(*args: Any, **kwargs: Any) -> Any:
    """``rustpy_xlsxwriter.write_worksheet`` with its failure line kept from the user."""
    with library_noise_kept_back():
        return rustpy_xlsxwriter.write_worksheet(*args, **kwargs)


# The xlsx writer (rustpy_xlsxwriter, built on Rust's zip crate) prints this straight to the
# process's stderr when it cannot finish the archive (a full disk), with no newline, after
# raising the error we report in words: it is noise for the user.
# The error's Debug form is a name and one bracketed group (quoted text, one nested group):
# what follows it on the same line is someone else's output, which is kept.
_LIBRARY_NOISE = re.compile(
    rb'ZipWriter::drop: failed to finalize archive: (?:\w+\((?:[^()"]|"(?:[^"\\]|\\.)*"'
    rb'|\([^()]*\))*\)|[^\n]*)\n?')
_noise_lock = threading.Lock()
_noise_depth = 0
_noise_saved: tuple[int, int] | None = None  # (the real stderr, the file holding the text)


@contextlib.contextmanager
def library_noise_kept_back() -> Iterator[None]:
    """While a file is written, hold what is written to stderr (file descriptor 2, where a
    compiled library writes) and give it back afterwards without the xlsx writer's own
    failure line. Nothing else is lost: other output comes out when the write ends. Nested
    and concurrent writes (threads) share one capture."""
    global _noise_depth, _noise_saved
    with _noise_lock:
        if _noise_depth == 0:
            _noise_saved = _start_capture()
        _noise_depth += 1
    try:
        yield
    finally:
        with _noise_lock:
            _noise_depth -= 1
            if _noise_depth == 0 and _noise_saved is not None:
                _end_capture(*_noise_saved)
                _noise_saved = None


def _start_capture() -> tuple[int, int] | None:
    try:
        sys.stderr.flush()
        real = os.dup(2)
    except (OSError, ValueError, AttributeError):
        return None  # no stderr to speak of (a windowed app on Windows): nothing to hold
    with tempfile.TemporaryFile() as held:
        holder = os.dup(held.fileno())
    os.dup2(holder, 2)
    return real, holder


def _end_capture(real: int, holder: int) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    os.dup2(real, 2)
    os.close(real)
    try:
        os.lseek(holder, 0, os.SEEK_SET)
        text = b""
        while chunk := os.read(holder, 65536):
            text += chunk
    finally:
        os.close(holder)
    text = _LIBRARY_NOISE.sub(b"", text)
    if text:
        with contextlib.suppress(OSError):
            os.write(2, text)


def number_format(code: str) -> Any:
    """A cell format of the number format ``code`` ("0": whole numbers), for
    ``column_formats``."""
    return rustpy_xlsxwriter.Format().set_num_format(code)
