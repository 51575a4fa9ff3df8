"""A month in a problem is worded in the user's language (QLocale), not the English list."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from genebank.mcpd import values
from ui import messages


def test_the_preview_names_the_month_in_the_users_language(qtbot: object) -> None:
    try:
        values.parse_date("20250231")
    except values.InvalidValue as error:
        problem = error
    before = QLocale()
    worded = {}
    try:
        for name in ("fr_FR", "ru_RU", "en_GB"):
            QLocale.setDefault(QLocale(name))
            worded[name] = messages.say(problem)
    finally:
        QLocale.setDefault(before)
    assert worded == {"fr_FR": "'20250231': février 2025 has no day 31",
                      "ru_RU": "'20250231': февраль 2025 has no day 31",
                      "en_GB": "'20250231': February 2025 has no day 31"}
