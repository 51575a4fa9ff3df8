"""The README's quick start is what a new user follows: its commands and its system libraries
must be right, and it links only to files inside the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# Packages of every Debian/Ubuntu system, even a minimal container: never missing.
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libzstd1", "liblzma5",
                 "libbz2-1.0", "libselinux1", "libpcre2-8-0", "libcap2", "libsystemd0",
                 "libgcrypt20", "libgpg-error0", "liblz4-1", "libmd0", "libbsd0",
                 "libffi8", "libmount1", "libblkid1", "libuuid1"}


def apt_packages() -> set[str]:
    """The packages named by the README's apt-get line."""
    lines = [line for line in README.read_text(encoding="utf-8").splitlines()
             if "apt-get install" in line]
    assert len(lines) == 1, "the README gives the system libraries in one apt-get line"
    return {word for word in lines[0].split() if word.startswith("lib")}


def debian_package(soname: str) -> str:
    """Debian's package name for a shared library that is not installed (policy 8.1)."""
    name, _, version = soname.partition(".so.")
    name = name.lower()
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def test_quick_start_has_the_two_commands() -> None:
    """The quick start gives exactly one command to run the app and one to run the tests."""
    text = README.read_text(encoding="utf-8")
    quick_start = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^python3 dev\.py (\w+)", quick_start, flags=re.MULTILINE)
    assert commands == ["run", "test"]


def test_readme_links_stay_inside_the_repository() -> None:
    """Every relative link of the README names a file of this repository."""
    text = README.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if "://" in target:
            continue
        path = (ROOT / target).resolve()
        assert path.is_relative_to(ROOT), f"{target} is outside the repository"
        assert path.exists(), f"{target} does not exist"
    assert "../" not in text


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("dpkg")
                    or not shutil.which("ldd") or not shutil.which("readelf"),
                    reason="needs Debian's dpkg, ldd and readelf")
def test_apt_line_names_every_library_the_qt_window_needs() -> None:
    """Every system library that Qt's X11 platform plugin and Qt's widget libraries load
    directly is installed by the README's apt-get line (apt brings their own dependencies),
    or is part of every Debian system."""
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    binaries = [qt / "plugins" / "platforms" / "libqxcb.so",
                *(qt / "lib" / name for name in ("libQt6Core.so.6", "libQt6Gui.so.6",
                                                 "libQt6Widgets.so.6", "libQt6XcbQpa.so.6",
                                                 "libQt6DBus.so.6")),
                *(qt / "plugins" / "xcbglintegrations").glob("*.so")]
    needed: set[str] = set()
    for binary in binaries:
        if not binary.exists():
            continue
        dynamic = subprocess.run(["readelf", "-d", str(binary)], capture_output=True,
                                 text=True).stdout
        direct = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
        output = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
        for line in output.splitlines():
            soname, _, where = (part.strip() for part in line.partition("=>"))
            if soname not in direct or (qt / "lib" / soname).exists():
                continue
            if "not found" in where:
                needed.add(debian_package(soname))
            elif where.startswith("/"):
                path = Path(where.split()[0]).resolve()
                owner = subprocess.run(["dpkg", "-S", str(path)], capture_output=True,
                                       text=True).stdout.split(":")[0]
                if owner:
                    needed.add(owner)
    assert needed, "no system library found: the check itself is broken"
    missing = needed - apt_packages() - BASE_PACKAGES
    assert not missing, f"the README's apt-get line lacks {sorted(missing)}"
