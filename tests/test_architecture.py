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


# The GUI reads and writes through ui/operations.py only (issue 13): no window opens a session,
# imports the models or builds queries. The files below predate the runner and still do; the
# list only shrinks (an entry that no longer offends must be removed, so it cannot hide a
# file that regresses later).
NOT_YET_THROUGH_OPERATIONS: set[str] = set()
RUNNER = "ui/operations.py"


def session_use(path: Path) -> list[str]:
    """What in ``path`` opens a session or queries the models itself, each with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else \
                func.id if isinstance(func, ast.Name) else ""
            if name == "begin" or name.endswith("session_factory") or name == "factory":
                found.append(f"{line}: calls {name}()")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("genebank.models"):
                found.append(f"{line}: imports {node.module}")
            if node.module == "sqlalchemy" and any(a.name == "select" for a in node.names):
                found.append(f"{line}: imports sqlalchemy's select")
        elif isinstance(node, ast.Import):
            found += [f"{line}: imports {a.name}" for a in node.names
                      if a.name.startswith("genebank.models")]
    return found


def test_the_gui_opens_no_session_of_its_own() -> None:
    """No module in ui/ (but the runner) opens a session, imports the models or select,
    except the files not yet converted; and each of those still needs its entry."""
    offenders = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name != RUNNER and (uses := session_use(path)):
            offenders[name] = uses
    regressed = {name: uses for name, uses in offenders.items()
                 if name not in NOT_YET_THROUGH_OPERATIONS}
    assert regressed == {}, "write and read through ui.operations (Write, Read, read_now)"
    stale = NOT_YET_THROUGH_OPERATIONS - set(offenders)
    assert stale == set(), "converted: take these off NOT_YET_THROUGH_OPERATIONS"


# Services give the GUI plain results (frozen dataclasses, tuples, values), never ORM objects:
# a model read after its session closed is stale or fails on a lazy load (issue 13). These
# return models to other services that use them inside their own transaction; none is called
# from ui/ (the GUI reads their plain counterparts, named with each reason).
RETURNS_A_MODEL_TO_SERVICES = {
    "accessions.find_or_add_taxon": "the passport import, demo loading and the accession form's "
                                    "save attach the taxon in the same transaction",
    "courses.get_course": "enrolments, certificates and the training exports check the course "
                          "inside their own transaction; the GUI reads courses.course_details",
    "enrolments.get_enrolment": "enrolments and certificates change the enrolment in place",
    "participants.get_participant": "saving, merging and erasing a person change it in place; "
                                    "the GUI reads participants.participant_details",
    "seed_lots.get_lot": "regenerations read the source lot in their own transaction",
    "seed_lots.lock_lot": "stock moves and tests lock the lot row they change (FOR UPDATE)",
    "seed_tests.get_test": "counting and deleting a test change it in place",
    "seed_tests.germination_tests": "the viability rule reads the lot's tests while it "
                                    "records one",
}


def model_classes() -> set[str]:
    names = set()
    for path in (ROOT / "genebank" / "models").rglob("*.py"):
        names.update(node.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if isinstance(node, ast.ClassDef))
    return names


def functions_returning_models() -> set[str]:
    """``module.function`` of each public service function annotated to return a model class
    (alone, in a list, optional...)."""
    models, found = model_classes(), set()
    for path in sorted((ROOT / "genebank" / "services").rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) \
                    or node.name.startswith("_") or node.returns is None:
                continue
            returned = ast.unparse(node.returns)
            words = set(returned.replace("[", " ").replace("]", " ").replace("|", " ")
                        .replace(",", " ").replace("'", " ").replace('"', " ").split())
            if words & models:
                found.add(f"{path.stem}.{node.name}")
    return found


def test_services_return_plain_results_to_the_gui() -> None:
    """No public service function returns a model, but those other services use (listed with
    their reason); and the GUI calls none of those."""
    found = functions_returning_models()
    assert found - set(RETURNS_A_MODEL_TO_SERVICES) == set(), \
        "return a frozen dataclass (or tuple) instead of the model"
    assert set(RETURNS_A_MODEL_TO_SERVICES) - found == set(), "take these off the list"
    called = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and f"{node.value.id}.{node.attr}" in RETURNS_A_MODEL_TO_SERVICES:
                called.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}."
                              f"{node.attr}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module \
                    and node.module.startswith("genebank.services."):
                module = node.module.rsplit(".", 1)[1]
                called += [f"{path.relative_to(ROOT)}:{node.lineno} imports {module}.{a.name}"
                           for a in node.names
                           if f"{module}.{a.name}" in RETURNS_A_MODEL_TO_SERVICES]
    assert called == [], "the GUI reads plain results (e.g. courses.course_details)"


# Internal control flow, never shown to a user: the exceptions that need no code.
NOT_FOR_USERS = {
    "genebank.progress.Cancelled": "the caller asked to stop; callers say 'cancelled'",
    "genebank.io.sheet_extent._Irregular": "switches the sheet scan to its slower path",
    "genebank.io.sheet_extent._OtherPrefix": "switches the sheet scan to any tag prefix",
}


def test_every_core_error_is_one_coded_type() -> None:
    """Every exception class defined under genebank/ is a problems.Coded (a code, params and
    English), bar the internal signals listed with their reason."""
    import importlib
    import inspect
    import pkgutil

    import genebank
    from genebank.problems import Coded

    found: dict[str, type] = {}
    for module_info in pkgutil.walk_packages(genebank.__path__, "genebank."):
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    assert len(found) > 20  # the walk did see the core's errors
    uncoded = sorted(name for name, cls in found.items()
                     if not issubclass(cls, Coded) and name not in NOT_FOR_USERS)
    assert uncoded == []
    assert set(NOT_FOR_USERS) <= set(found), "the allowlist names a class that is gone"
