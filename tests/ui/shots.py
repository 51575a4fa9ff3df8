"""Where GUI tests leave the screenshots a person looks at (a dialog nobody has looked at is
not done): one folder, ``$GENEBANK_SHOTS`` or ``genebank-shots`` in the temporary folder,
with a sub-folder per test module; never the work tree, except :func:`docs_shot` on request.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QWidget

ROOT = Path(os.environ.get("GENEBANK_SHOTS") or Path(tempfile.gettempdir()) / "genebank-shots")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def folder(name: str) -> Path:
    """The sub-folder ``name`` of the screenshots' folder, made if missing."""
    path = ROOT / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def shot(widget: QWidget, name: str, *, under: str = "") -> Path:
    """``widget`` as painted now, saved as ``name`` (.png added) in ``under``'s folder."""
    path = folder(under or "misc") / (name if name.endswith(".png") else f"{name}.png")
    widget.grab().save(str(path))
    return path


def docs_shot(widget: QWidget, name: str) -> None:
    """The README's screenshot ``name``, written into docs/screenshots only when
    GENEBANK_DOCS_SCREENSHOTS=1, so that a test run leaves the work tree as it was."""
    if os.environ.get("GENEBANK_DOCS_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(DOCS / f"{name}.png"))
