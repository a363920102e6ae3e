"""A small in-memory corpus with the `Corpus` interface, for app tests that must not depend on the store.

Its documents are the real seeds, cleaned by `store.text.clean`; its search is a brute-force substring scan of
the folded text (the definition the real index is held to), its tree groups meetings by participating
province. The tests in this file check the double itself against the seeds, so it cannot drift into
returning whatever a test wants.
"""

from __future__ import annotations

from helpers import MemoryCorpus, seed_documents

from store.text.script import fold


def test_double_finds_unity_in_both_scripts() -> None:
    corpus = MemoryCorpus(seed_documents())
    simplified = corpus.search("团结")
    traditional = corpus.search("團結")
    assert simplified.total == traditional.total >= 3
    for result in simplified.results:
        text = fold(corpus.get(result.doc_id).text)
        assert all(text[h.start : h.end] == "团结" for h in result.hits)


def test_double_tree_has_every_participating_province() -> None:
    corpus = MemoryCorpus(seed_documents())
    tibet = next(n for n in corpus.tree() if n.label == "西藏自治区")
    assert tibet.count == 3
