"""The GUI words every problem from its code and parameters (issue 13): an exception reaches
the user only through ``ui.messages.say`` (or the operation runner's failure path, which uses
it), never as the core's English ``str(error)``, so the translations of a later issue can say
it in the user's language.

Checked over the source of ``ui/`` (bar ``ui/messages.py``, the one place that may fall back
to the core's English): a name bound to an exception (``except ... as error``, a parameter
annotated as an exception, or a callback's ``error``/``exc`` parameter) must not be turned
into text by ``str()``/``repr()``, an f-string, ``.format()`` or ``%``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDING = {"ui/messages.py"}
# Callback parameters that hold an exception by this project's convention (Task.failed,
# Operation.failure's second argument).
EXCEPTION_NAMES = {"error", "exc", "exception", "err"}
# Sites still showing the core's English, each waiting for its fix; each must still offend
# (an entry that no longer does must go, so it cannot hide a later regression).
NOT_YET_WORDED: set[tuple[str, str]] = set()


def _exception_annotation(annotation: ast.expr | None) -> bool:
    text = ast.unparse(annotation) if annotation is not None else ""
    return any(word in text for word in ("Error", "Exception", "Refused", "Failed",
                                         "NotWritten", "UnreadableFile"))


def _exception_names(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    """Names that hold an exception anywhere in ``function`` (its nested functions too)."""
    names: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                if argument.arg in EXCEPTION_NAMES or _exception_annotation(argument.annotation):
                    names.add(argument.arg)
    return names


def _held(node: ast.AST, names: set[str]) -> bool:
    return isinstance(node, ast.Name) and node.id in names


def _made_text(node: ast.AST, names: set[str]) -> bool:
    """Whether ``node`` turns an exception named in ``names`` into text."""
    if isinstance(node, ast.Call):
        function = node.func
        if isinstance(function, ast.Name) and function.id in ("str", "repr") \
                and any(_held(a, names) for a in node.args):
            return True
        if isinstance(function, ast.Attribute) and function.attr == "format" \
                and any(_held(a, names) for a in [*node.args, *(k.value for k in node.keywords)]):
            return True
    if isinstance(node, ast.FormattedValue) and _held(node.value, names):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        right = node.right
        parts = right.elts if isinstance(right, ast.Tuple) else [right]
        return any(_held(p, names) for p in parts)
    return False


def english_of_exceptions(path: Path, root: Path = ROOT) -> list[tuple[str, str, int]]:
    """(file from ``root``, function, line) of each exception turned into text."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    relative = path.relative_to(root).as_posix()
    found = []
    functions = [node for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    seen: set[int] = set()
    for function in functions:
        names = _exception_names(function)
        for node in ast.walk(function):
            if id(node) not in seen and _made_text(node, names):
                seen.add(id(node))
                found.append((relative, function.name, node.lineno))
    return found


def test_the_gui_words_problems_only_through_messages() -> None:
    """No module of ui/ (but messages.py) shows an exception's own English: each goes
    through ``messages.say`` / ``operations.message`` or the runner's failure callback."""
    offences = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.relative_to(ROOT).as_posix() not in WORDING:
            offences.extend(english_of_exceptions(path))
    waiting = {(file, function) for file, function, _ in offences} & NOT_YET_WORDED
    assert waiting == NOT_YET_WORDED, "remove the entries that no longer offend"
    assert [o for o in offences if (o[0], o[1]) not in NOT_YET_WORDED] == []


def test_the_check_finds_each_way_of_showing_an_exception(tmp_path: Path) -> None:
    """The check itself: str(), an f-string, .format() and % of an exception are found in
    a handler, in a typed parameter and in a failure callback; its wording is not."""
    ui = tmp_path / "ui"
    ui.mkdir()
    sample = ui / "sample.py"
    sample.write_text(
        "def handler():\n"
        "    try:\n        pass\n"
        "    except ValueError as problem:\n"
        "        box.warning(None, 'x', str(problem))\n"  # line 5
        "def typed(self, failure: ExportFailed):\n"
        "    label.setText(f'Not saved: {failure}')\n"  # line 7
        "def connect(task):\n"
        "    task.failed.connect(lambda error: label.setText('{0}'.format(error)))\n"  # line 9
        "    task.failed.connect(lambda error: label.setText('%s' % error))\n"  # line 10
        "    task.failed.connect(lambda error: label.setText(messages.say(error)))\n"
        "def fine(error_text: str):\n"
        "    label.setText(str(error_text))\n")
    found = english_of_exceptions(sample, tmp_path)
    assert sorted(line for _, _, line in found) == [5, 7, 9, 10]
