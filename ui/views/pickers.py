"""The three pickers: a country (ISO 3166), an institute (the local directory of WIEWS
codes) and a crop name (those already used). Each says in its tooltip where its list comes
from; :mod:`ui.views.picker` gives them one behaviour."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session, sessionmaker

from genebank import country_search
from genebank.countries import Country
from genebank.country_search import Scope
from genebank.passport import crops, institutes
from ui import operations
from ui.views.picker import Choice, Lookup, Picker, worded


class CountryPicker(Picker):
    """A country by ISO code or name; ``Scope.ORIGIN`` also offers former countries."""

    def __init__(self, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scope = scope
        self.setPlaceholderText(self.tr("Type a code (JOR) or a name (Jordan)"))
        help_text = self.tr("Type an ISO code (JOR or JO) or the country's name, in English, "
                            "French, Russian or Arabic; Down opens the list, Enter or Tab "
                            "takes the highlighted country.")
        if scope is Scope.ORIGIN:
            help_text += self.tr(" Former countries (ISO 3166-3, e.g. SUN or SUHH for the USSR) "
                                 "are offered too.")
        self.set_help(help_text)

    def lookup(self, text: str) -> Lookup:
        if not text.strip():
            every = country_search.countries_in(self.scope)
            return Lookup(tuple(self._as_choice(c) for c in every))
        found = country_search.resolve(text, self.scope)
        refusal = found.refusal() if text.strip() else None
        return Lookup(tuple(self._as_choice(c) for c in found.choices),
                      self._as_choice(found.country) if found.country else None,
                      ambiguous=len(found.matches) > 1, problem=worded(refusal),
                      refusal=refusal)

    def question(self) -> str:
        return self.tr("Several countries match “{0}”: choose one").format(self.text().strip())

    def unknown(self) -> str:
        return self.tr("No country is called “{0}”: type an ISO code or a name").format(
            self.text().strip())

    def _as_choice(self, country: Country) -> Choice:
        text = f"{country.name} ({country.code})"
        label = text + (self.tr(" – former country") if country.historic else "")
        return Choice(country.code, text, label)


class InstitutePicker(Picker):
    """A FAO WIEWS institute code, found by code or name in the local directory; a new
    well-formed code may be typed (the directory is local, not the WIEWS register)."""

    def __init__(self, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.setPlaceholderText(self.tr("WIEWS code (KAZ001) or part of a name"))
        self.set_help(self.tr(
            "Type a FAO WIEWS code (KAZ001) or part of an institute's name. The list is this "
            "database's own directory, not the WIEWS register: the holding institutes of the "
            "accessions (typed in the form or imported), course hosts and the institutes "
            "that received safety duplicates, with a name only where whoever entered it "
            "gave one. A code of the right form (three letters and a number) that is not in "
            "the directory may still be typed."))
        self.names: dict[str, str] = {}  # code -> name, of the institutes listed so far

    def lookup(self, text: str) -> Lookup:
        found = operations.read_now(
            self.session_factory, lambda session: institutes.find_institutes(session, text=text),
            operation=self.tr("Finding institutes"))
        self.names.update((row.code, row.name) for row in found.choices)
        choices = tuple(Choice(row.code, row.code, f"{row.code} – {row.name}" if row.name
                               else self.tr("{0} (no name in the directory)").format(row.code))
                        for row in found.choices)
        if found.new_code:
            choices = (Choice(found.new_code, found.new_code, self.tr(
                "{0} – a code not in the directory").format(found.new_code)), *choices)
        meant = next((c for c in choices if c.value == found.code), None)
        refusal = found.refusal()
        return Lookup(choices, meant, ambiguous=len(found.matches) > 1, problem=worded(refusal),
                      refusal=refusal)

    def question(self) -> str:
        return self.tr("Several institutes are called “{0}”: choose one").format(
            self.text().strip())

    def unknown(self) -> str:
        return self.tr("“{0}” is not in the directory and is not a WIEWS code").format(
            self.text().strip())

    def normalise(self) -> None:
        """Take the typed code or name (as a line editor tidies a code when left)."""
        self.commit(ask=False)


class CropPicker(Picker):
    """A crop name: the names already used are offered; any new text is kept as typed."""

    def __init__(self, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.set_help(self.tr(
            "The crop names already used in this collection are offered as you type; a new "
            "name may be typed and is stored exactly as written."))

    def lookup(self, text: str) -> Lookup:
        names = operations.read_now(
            self.session_factory, lambda session: crops.crop_names(session, text=text),
            operation=self.tr("Finding crops"))
        typed = text.strip()
        return Lookup(tuple(Choice(name, name, name) for name in names),
                      Choice(typed, typed, typed) if typed else None)
