"""Splitting Genesys's fullTaxa into MCPD's GENUS, SPECIES, SPAUTHOR, SUBTAXA, SUBTAUTHOR."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genebank.mcpd.full_taxa import TaxonParts, split_full_taxa


@pytest.mark.parametrize(("text", "parts"), [
    ("Triticum aestivum L. subsp. aestivum",
     TaxonParts("Triticum", "aestivum", "L.", "subsp. aestivum")),
    ("Hordeum vulgare subsp. spontaneum (K. Koch) Thell.",
     TaxonParts("Hordeum", "vulgare", None, "subsp. spontaneum", "(K. Koch) Thell.")),
    ("Musa acuminata Colla subsp. malaccensis (Ridl.) N.W. Simmonds",
     TaxonParts("Musa", "acuminata", "Colla", "subsp. malaccensis", "(Ridl.) N.W. Simmonds")),
    ("Vigna unguiculata (L.) Walp.", TaxonParts("Vigna", "unguiculata", "(L.) Walp.")),
    ("Brassica oleracea var. capitata L.",
     TaxonParts("Brassica", "oleracea", None, "var. capitata", "L.")),
    ("Zea mays L.", TaxonParts("Zea", "mays", "L.")),
    ("Oryza  sativa", TaxonParts("Oryza", "sativa")),
    ("Solanum sp.", TaxonParts("Solanum", "sp.")),
    ("Triticum", TaxonParts("Triticum")),
])
def test_names_of_the_usual_shapes_split_with_certainty(text: str, parts: TaxonParts) -> None:
    """Genus, epithet, authors, rank and its epithet, and the subtaxon's authors."""
    assert split_full_taxa(text) == parts


@pytest.mark.parametrize(("text", "parts"), [
    ("Musa AAA Group", TaxonParts("Musa", subtaxa="AAA Group", certain=False)),
    ("Mentha x piperita L.", TaxonParts("Mentha", "x piperita", "L.", certain=False)),
    ("Triticum aestivum L. subsp. aestivum Thell. var. lutescens (Alef.) Mansf.",
     TaxonParts("Triticum", "aestivum", "L.", "subsp. aestivum Thell. var. lutescens",
                "(Alef.) Mansf.", certain=False)),
    ("Phaseolus vulgaris L. var.", TaxonParts("Phaseolus", "vulgaris", "L.", "var.",
                                              certain=False)),
    ("triticum aestivum", TaxonParts("triticum", "aestivum", certain=False)),
])
def test_other_shapes_keep_every_word_and_say_they_are_uncertain(
        text: str, parts: TaxonParts) -> None:
    """Nothing is dropped: what cannot be placed is kept (in SUBTAXA), and the split is
    marked uncertain so the import warns on that row."""
    assert split_full_taxa(text) == parts


def test_a_blank_name_gives_nothing() -> None:
    assert split_full_taxa("   ") is None


_EPITHET = st.from_regex(r"[a-z]{3,10}", fullmatch=True)
_AUTHOR = st.sampled_from(["L.", "(L.) Walp.", "Thell.", "N.W. Simmonds", "(K. Koch) Thell.",
                           None])


@settings(derandomize=True, database=None, max_examples=200, deadline=None)
@given(genus=st.from_regex(r"[A-Z][a-z]{2,10}", fullmatch=True), species=_EPITHET,
       spauthor=_AUTHOR, rank=st.sampled_from(["subsp.", "var.", "convar.", "f.", None]),
       epithet=_EPITHET, subtauthor=_AUTHOR)
def test_a_name_built_from_its_parts_splits_back_into_them(
        genus: str, species: str, spauthor: str | None, rank: str | None, epithet: str,
        subtauthor: str | None) -> None:
    """Whatever the parts, a name written as Genesys writes it splits back into them."""
    words = [genus, species, spauthor]
    subtaxa = f"{rank} {epithet}" if rank else None
    if rank:
        words += [subtaxa, subtauthor]
    text = " ".join(w for w in words if w)
    assert split_full_taxa(text) == TaxonParts(genus, species, spauthor, subtaxa,
                                               subtauthor if rank else None)
