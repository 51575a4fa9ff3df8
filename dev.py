"""Set up a private virtual environment, then run the app or the test suite.

Usage (from the repository root, with Python 3.11+ on the PATH)::

    python dev.py run  [app options, e.g. --database URL]
    python dev.py test [pytest options]

Only the standard library is used here, so this works on a fresh machine. The
environment lives in ``.venv`` and is reinstalled when ``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP_NAME = ".genebank-installed"


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    exe = "python.exe" if os.name == "nt" else "python"
    return VENV / scripts / exe


def ensure_environment(extras: str) -> Path:
    """Create ``.venv`` and install the project (editable) with ``extras`` if out of date."""
    if sys.version_info < (3, 11):  # noqa: UP036 - told plainly, before any install
        sys.exit(f"Genebank needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / STAMP_NAME
    if not stamp.exists() or digest not in stamp.read_text().split():
        print(f"Installing Genebank and its dependencies ({extras or 'app'}) ...", flush=True)
        target = f".[{extras}]" if extras else "."
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-e", target],
            cwd=ROOT,
            check=True,
        )
        known = stamp.read_text().split() if stamp.exists() else []
        stamp.write_text("\n".join([*known, digest]))
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        python = ensure_environment("postgres")
        return subprocess.call([str(python), "-m", "ui.app", *rest], cwd=ROOT)
    python = ensure_environment("test")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
