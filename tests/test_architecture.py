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


# genebank/io reads and writes file formats only: it never takes a Session, queries the
# database or calls the services of an area (issue 14). Checking a sheet against the
# database and applying it live in the areas (passport/, conservation/, training/).
IO_MAY_NOT_IMPORT = ("sqlalchemy", "genebank.services", "genebank.passport",
                     "genebank.conservation", "genebank.training", "genebank.demo",
                     "genebank.reporting", "genebank.models")
# Exporters that still run their own queries: another change of issue 14 ("exports") moves
# them into the services and gives these modules plain rows; then each entry goes. The list
# only shrinks (an entry that no longer offends fails the test below).
IO_STILL_QUERYING: dict[str, str] = {}


def io_offences(path: Path) -> list[str]:
    """What ``path`` imports that genebank/io may not (an import inside a function too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if any(name == banned or name.startswith(banned + ".")
                   for banned in IO_MAY_NOT_IMPORT):
                found.append(f"{node.lineno}: imports {name}")
    return found


def test_io_reads_and_writes_files_and_never_the_database() -> None:
    """No module of genebank/io imports SQLAlchemy, the models or any area's services, but
    the exporters listed (each with its reason), and each of those still needs its entry."""
    offenders = {}
    for path in sorted((ROOT / "genebank" / "io").rglob("*.py")):
        found = io_offences(path)
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert set(offenders) - set(IO_STILL_QUERYING) == set(), offenders
    assert set(IO_STILL_QUERYING) - set(offenders) == set(), "remove from IO_STILL_QUERYING"


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
    "seed_lots.open_lot": "a corrected ledger line locks its lot under the rules of a new line",
    "seed_tests.get_test": "counting and deleting a test change it in place",
    "seed_tests.germination_tests": "the viability rule reads the lot's tests while it "
                                    "records one",
}


# The packages of services, one per area, and what they share.
SERVICE_PACKAGES = ("services", "passport", "conservation", "training", "demo", "reporting")
SERVICE_MODULE_PREFIXES = [["genebank", area] for area in SERVICE_PACKAGES]


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
    for path in sorted(p for area in SERVICE_PACKAGES
                       for p in (ROOT / "genebank" / area).rglob("*.py")):
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
                    and node.module.split(".")[:2] in SERVICE_MODULE_PREFIXES:
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
    "genebank.database_file.CheckNotRun": "a file not readable for its check now: "
                                          "sqlite_opening words it as refuse_file does",
    "genebank.history.capture.UntrackedWrite": "a programming error: a write whose history "
                                               "the code cannot record; a test meets it",
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


# Every raise of a problem names its code, registered with its English template in the core,
# and gives the params that template uses (issue 13: the GUI words code + params in the
# user's language, never parsing English). These files still build English at some raise
# sites with a class's generic code: the list only shrinks.
STILL_ENGLISH_AT_RAISE: dict[str, str] = {}
# Classes that may take their code from an argument that carries a registered one (a raise
# that names its code is still checked).
CODE_FROM_ARGUMENT = {"TextRefused": "the TextProblem's code, registered by genebank.text",
                      "UnsafeFileName": "file_names.REASON_CODES of the reason found, each "
                                        "registered (tests/genebank/test_file_names.py)",
                      "BackupFailed": "a FileNotWritten's code (genebank.io.files.MESSAGES), "
                                      "said of the backup after BackupFailed.lead",
                      "DuplicateAccessions": "identity_collisions.DUPLICATES_CODES, by file "
                                             "or server and whether the list was written",
                      "CellRefused": "a lot number's TextProblem code (registered by "
                                     "genebank.text), in io/test_sheet._identifier"}


def coded_classes() -> dict[str, list[type]]:
    """Name -> the Coded classes of genebank/ so named."""
    import importlib
    import inspect
    import pkgutil

    import genebank
    from genebank.problems import Coded

    found: dict[str, list[type]] = {"Coded": [Coded]}
    for module_info in pkgutil.walk_packages(genebank.__path__, "genebank."):
        module = importlib.import_module(module_info.name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Coded) and value.__module__ == module.__name__ \
                    and value not in found.setdefault(name, []):
                found[name].append(value)
    return found


def _first_parameter(cls: type) -> str | None:
    import inspect

    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return parameters[0].name if parameters and parameters[0].kind in (
        inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD) else None


def _codes(node: ast.expr, scope: ast.AST) -> set[str] | None:
    """The codes an expression may be: a string, a conditional of strings, a name assigned
    those in the function, or the name of a loop variable over a literal tuple of tuples
    whose item there is a string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _codes(node.body, scope), _codes(node.orelse, scope)
        return body | orelse if body is not None and orelse is not None else None
    if isinstance(node, ast.Name):
        assigned = [_codes(n.value, scope) for n in ast.walk(scope)
                    if isinstance(n, ast.Assign) and len(n.targets) == 1
                    and getattr(n.targets[0], "id", None) == node.id]
        if assigned and all(a is not None for a in assigned):
            return set().union(*assigned)  # type: ignore[arg-type]
        for loop in (n for n in ast.walk(scope) if isinstance(n, ast.For)):
            if isinstance(loop.target, ast.Tuple) and isinstance(loop.iter, ast.Tuple):
                names = [getattr(t, "id", None) for t in loop.target.elts]
                if node.id in names:
                    index = names.index(node.id)
                    values = [_codes(item.elts[index], scope) for item in loop.iter.elts
                              if isinstance(item, ast.Tuple)]
                    if values and all(v is not None for v in values):
                        return set().union(*values)  # type: ignore[arg-type]
    return None


def _param_names(call: ast.Call, code_keyword: bool) -> set[str] | None:
    """The params a raise gives (None when they are not written out at the raise site).
    ``problems.because(...)`` gives ``reason`` and ``cause``."""
    names: set[str] = set()
    if code_keyword:
        given = next((k.value for k in call.keywords if k.arg == "params"), None)
        if given is None:
            return names
        if not isinstance(given, ast.Dict):
            return None
        entries = list(zip(given.keys, given.values, strict=True))
    else:
        entries = [(None if k.arg is None else ast.Constant(k.arg), k.value)
                   for k in call.keywords]
    for key, value in entries:
        if key is None:
            if isinstance(value, ast.Call) and getattr(value.func, "attr", getattr(
                    value.func, "id", None)) == "because":
                names |= {"reason", "cause"}
                continue
            return None
        if not isinstance(key, ast.Constant):
            return None
        names.add(str(key.value))
    return names


def raise_sites() -> list[tuple[str, int, str, set[str] | None, set[str] | None]]:
    """Every raise of a Coded class under genebank/: (file, line, class, its codes or None
    when the raise names none, the params given or None when not written out)."""
    classes = coded_classes()
    sites: dict[tuple[str, int], tuple[str, int, str, set[str] | None, set[str] | None]] = {}
    for path in sorted((ROOT / "genebank").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes = [n for n in ast.walk(tree)
                  if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        for scope, node in ((s, n) for s in scopes for n in ast.walk(s)):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            call = node.exc
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            if name not in classes:
                continue
            code_node = next((k.value for k in call.keywords if k.arg == "code"), None)
            keyword = code_node is not None
            firsts = {_first_parameter(cls) for cls in classes[name]}
            if code_node is None and firsts == {"code"} and call.args:
                code_node = call.args[0]
            codes = None if code_node is None else _codes(code_node, scope)
            if code_node is None and "message" not in firsts and "code" not in firsts:
                # the class builds its code and params from typed arguments
                codes = None if name in CODE_FROM_ARGUMENT else {
                    cls.code for cls in classes[name]}  # type: ignore[attr-defined]
                keyword = None  # type: ignore[assignment]
            params = None if keyword is None else _param_names(call, keyword)
            where = (str(path.relative_to(ROOT)), node.lineno)
            sites.setdefault(where, (*where, name, codes, params))
    return list(sites.values())


def test_every_raise_names_a_registered_code_its_params_fill() -> None:
    """Each raise of a problem under genebank/ names its code (``code=...`` or a class
    taking the code first), the code has an English template in the core, and the params
    written at the raise site fill that template: so the CLI's English and the GUI's
    translated wording come from one template, with values the GUI can format."""
    from genebank import problems

    templates = problems.all_templates()
    sites = raise_sites()
    assert len(sites) > 150  # the walk did see the raise sites
    unnamed, unregistered, unfilled, still = [], [], [], set()
    for path, line, name, codes, params in sites:
        where = f"{path}:{line} {name}"
        if path in STILL_ENGLISH_AT_RAISE:
            still.add(path)
            continue
        if codes is None and name in CODE_FROM_ARGUMENT:
            continue
        if codes is None:
            unnamed.append(where)
            continue
        for code in sorted(codes):
            if code not in templates:
                unregistered.append(f"{where}: {code}")
            elif params is not None and not problems.fields(templates[code]) <= params:
                unfilled.append(f"{where}: {code} needs "
                                f"{sorted(problems.fields(templates[code]) - params)}")
    assert unnamed == []
    assert unregistered == []
    assert unfilled == []
    assert still == set(STILL_ENGLISH_AT_RAISE), "a listed file no longer needs its entry"


def test_every_file_dialog_goes_through_file_dialogs() -> None:
    """Qt's static QFileDialog functions and a bare QFileDialog open the listed files to
    learn their type, which drops the app's SQLite locks (QA finding 1): ui/ builds its file
    dialogs with ui/file_dialogs.py only."""
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name == "file_dialogs.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = node.func if isinstance(node, ast.Call) else None
            if (isinstance(called, ast.Name) and called.id == "QFileDialog") or (
                    isinstance(called, ast.Attribute) and isinstance(called.value, ast.Name)
                    and called.value.id == "QFileDialog" and called.attr.startswith("get")):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
