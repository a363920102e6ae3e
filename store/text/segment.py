"""The one place jieba is loaded: lazily, quietly, once.

jieba's logger writes to `sys.__stderr__`, which Textual draws on, and its first cut loads a
dictionary for a noticeable time; so nothing imports jieba at module level, and the app warms it in a worker.
jieba keeps its parsed dictionary as `jieba.cache` in the system temp folder, shared by every user: one
left there by another user cannot be replaced, and every segmenting command printed jieba's traceback
("Dump cache file failed"). The cache goes to the user's own cache folder instead, and a cache that
cannot be written is only slower (jieba parses the dictionary again), never a message.
Callers pass text already folded with `store.text.script.fold` (POS tagging Traditional text is far slower
and segments it badly); positions carry straight back (see store.text.script).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_tokenizer: Any = None
_pending_words: list[tuple[str, int | None, str | None]] = []


def _jieba() -> Any:
    """Import and initialise jieba on first use, with its logger silenced."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba  # see the module docstring: jieba loads in a worker

                jieba.setLogLevel(logging.CRITICAL)  # a failed cache write is logged with a traceback
                logging.getLogger("jieba").setLevel(logging.CRITICAL)
                jieba.dt.tmp_dir = str(cache_folder())
                jieba.initialize()
                for word, freq, tag in _pending_words:
                    jieba.add_word(word, freq=freq, tag=tag)
                _pending_words.clear()
                _tokenizer = jieba
    return _tokenizer


def cache_folder() -> Path:
    """The user's cache folder for yuelan (platformdirs), made if it can be; jieba's cache lives there."""
    from platformdirs import user_cache_path  # only when jieba loads

    folder = user_cache_path("yuelan", appauthor=False)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def warm_up() -> None:
    """Load the dictionary now; call from a thread worker, never on the event loop."""
    _jieba()


def warm_up_untaught() -> None:
    """Ready what `cut_untaught` needs, for a process that splits queries and teaches no words (the
    browser): the mapped dictionary, written first if there is none; jieba itself only where that cannot
    be had. Loading jieba's dictionary instead held ~77 MB for the rare query that falls back to words.
    Call from a thread worker, never on the event loop."""
    from store.text import prefix

    with _lock:
        untaught = _tokenizer is None and not _pending_words
    if not untaught or prefix.table() is None:
        _jieba()


def add_words(words: Iterable[str], tag: str | None = None, freq: int | None = None) -> None:
    """Teach jieba words (place and person names) so they come out whole."""
    items = [(w, freq, tag) for w in words if w]
    with _lock:
        if _tokenizer is None:
            _pending_words.extend(items)
            return
    for word, f, t in items:
        _tokenizer.add_word(word, freq=f, tag=t)


def cut(folded: str) -> list[str]:
    """Words of folded text, in order."""
    return list(_jieba().cut(folded))


def cut_untaught(folded: str) -> list[str]:
    """`cut` as in a process that taught jieba no words (a search's fallback from the shell), without
    loading jieba there: its dictionary mapped (store/text/prefix.py). Where jieba is loaded or words
    were taught, or the mapped dictionary cannot be had, jieba itself."""
    with _lock:
        untaught = _tokenizer is None and not _pending_words
    if untaught:
        from store.text import prefix  # the mapped dictionary, only on this path

        words = prefix.cut(folded)
        if words is not None:
            return words
    return cut(folded)


def dictionary_entry(word: str) -> tuple[int, str] | None:
    """(frequency, part-of-speech tag) of a word in jieba's dictionary, or None when it has none.

    Lets callers tell an ordinary word (合作, vn, 13,478) from a name (舟曲, ns) without segmenting.
    """
    import jieba.posseg  # see the module docstring: jieba loads in a worker

    freq = _jieba().dt.FREQ.get(word)
    if not freq:
        return None
    return freq, jieba.posseg.dt.word_tag_tab.get(word, "")


def dictionary_tables() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's frequency and part-of-speech tables themselves (the live objects `add_words` updates).

    For callers that look words up in a tight loop, where `dictionary_entry`'s import and two calls per
    word cost more than the lookup.
    """
    import jieba.posseg  # see the module docstring: jieba loads in a worker

    return _jieba().dt.FREQ, jieba.posseg.dt.word_tag_tab
