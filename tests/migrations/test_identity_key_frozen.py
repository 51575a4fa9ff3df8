"""Migration 0008 computes the identity key with its own frozen copy of the key function:
a migration must not change when the app's code does. The copy equals the app's function
today (on ASCII, Unicode forms, widths, cases and spaces)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from genebank.mcpd.identity import accession_key

MIGRATION = "genebank.migrations.versions.0008_accession_identity_key"

SAMPLES = [
    ("KAZ001", "KZ-0001"), ("kaz001", "kz-0001"), ("  KAZ001 ", " KZ  0001\t"),
    ("ＫＡＺ００１", "ＫＺ－０００１"),  # full-width, from an East Asian input method
    ("KAZ001", "KZ\u00a00001"),  # a no-break space pasted from a report
    ("DEU146", "Straße 12"), ("GRC", "ΣΟΦΟΣ-ς"), ("ARM", "ﬀ-ligature"),
    ("IRN", "\u0628\u200c\u0646"),  # Persian with a ZWNJ
    ("RUS", "Пшеница-01"), ("TUR", "İstanbul-ı"), ("", ""), (None, None),
    ("VNM", "Phở e\u0301"), ("CHN", "小麦 一号"),
]


def test_the_frozen_key_equals_the_apps_key() -> None:
    frozen = importlib.import_module(MIGRATION)._accession_key
    for instcode, accenumb in SAMPLES:
        assert frozen(instcode, accenumb) == accession_key(instcode, accenumb), \
            (instcode, accenumb)


@pytest.mark.parametrize("forbidden", ["genebank.mcpd"])
def test_the_migration_does_not_import_the_apps_key(forbidden: str) -> None:
    source = Path(importlib.import_module(MIGRATION).__file__ or "").read_text()
    imported = [node.module or "" for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.Import) for alias in node.names]
    assert not [name for name in imported if name.startswith(forbidden)]
