"""Writing export files so that a half-written file never appears under the chosen name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


class ExportFailed(Exception):
    """The file could not be written; ``str(error)`` says why."""


def write_whole(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a file beside ``path`` and rename it to ``path`` once complete."""
    partial = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        write(partial)
        partial.replace(path)
    except PermissionError:
        partial.unlink(missing_ok=True)
        raise ExportFailed(f"cannot write '{path}': it is open in another program or the "
                           "folder is read-only") from None
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ExportFailed(f"cannot write '{path}': {error.strerror or error}") from None
