"""The core (genebank/) never imports Qt or the GUI, so scripts, the CLI and tests use it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "ui")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_core_module_imports_qt_or_ui() -> None:
    """No file under genebank/ or migrations/ imports PySide6, shiboken6 or ui."""
    offenders = []
    for path in [*(ROOT / "genebank").rglob("*.py"), *(ROOT / "migrations").rglob("*.py")]:
        for name in imported_modules(path):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_importing_the_whole_core_loads_no_qt() -> None:
    """Importing every core module (as the CLI does) leaves Qt unloaded."""
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "genebank").rglob("*.py")
    )
    code = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            "print([m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui')])")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout.strip()
    assert output == "[]"
