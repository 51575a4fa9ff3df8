"""The built wheel ships the migrations, so an installed Genebank creates its database."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_creates_and_migrates_a_database(tmp_path: Path) -> None:
    """Build the wheel, install it apart from the checkout, and run `genebank init`."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(tmp_path / "dist"), str(ROOT)], check=True,
                   capture_output=True)
    wheel = next((tmp_path / "dist").glob("genebank-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "genebank/migrations/env.py" in names
    assert any(n.startswith("genebank/migrations/versions/0001_") for n in names)
    assert "ui/resources/genebank.svg" in names
    for package in [*(ROOT / "genebank").rglob("__init__.py"), *(ROOT / "ui").rglob("__init__.py")]:
        assert package.relative_to(ROOT).as_posix() in names, f"{package.parent} not shipped"
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                    "--target", str(target), str(wheel)], check=True, capture_output=True)
    database = tmp_path / "fresh.sqlite"
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import genebank.cli as c; "
            "assert c.__file__.startswith(sys.argv[1]), c.__file__; "
            "sys.exit(c.main(['--database', sys.argv[2], 'init']))")
    result = subprocess.run([sys.executable, "-I", "-c", code, str(target), str(database)],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Database ready" in result.stdout
