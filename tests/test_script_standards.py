"""繁體 in Taiwan's, Hong Kong's or OpenCC's standard forms, every character position kept."""

from __future__ import annotations

import pytest
from helpers import seed_documents

from store.text.script import DEFAULT_STANDARD, STANDARDS, fold, render


def test_taiwan_forms_are_the_default() -> None:
    assert DEFAULT_STANDARD == "tw"
    assert render("积极作为 里面 着手", "trad") == "積極作為 裡面 著手"
    assert render("积极作为 里面 着手", "trad", "hk") == "積極作為 裏面 着手"
    assert render("积极作为 里面 着手", "trad", "opencc") == "積極作爲 裏面 着手"


@pytest.mark.parametrize("standard", sorted(STANDARDS))
def test_every_standard_keeps_positions_on_the_seeds(standard: str) -> None:
    for doc in seed_documents():
        shown = render(doc.text, "trad", standard)
        assert len(shown) == len(doc.text)
        # the same words: folding back gives what folding the original gives, character for character
        differ = sum(a != b for a, b in zip(fold(shown), fold(doc.text), strict=True))
        assert differ <= len(doc.text) // 500
