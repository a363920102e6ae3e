"""A term's regional OpenCC forms, building only the converters the term needs.

A search term is also searched under its regional forms (search/query.py `expansions`): s2twp, s2hkp,
s2tw then tw2sp, s2hk then hk2sp. Each of the first four is s2t (the same normalisation, segmentation
dictionary and first stage) followed by one regional stage, and building each loads the same large
phrase table again: four times the cost of s2t, most of a search from the shell.

So s2t runs once, and a regional stage is looked at only where it could change something: a stage
changes text only where one of its keys matches, so text holding none of its one-character keys and
none of its longer keys' first two characters side by side comes out of it as it went in — whatever
the segmentation — and the conversion's answer is s2t's. Only a conversion whose stage might match
is built and run in full. store/data/regional_keys.json holds those characters and pairs, made from
OpenCC's own dictionaries by tools/regional_keys.py, with a checksum of the configs and dictionaries
it was made from: with other OpenCC data installed it is not used and every conversion runs in full.
"""

from __future__ import annotations

import json
import zlib
from functools import cache
from pathlib import Path
from typing import Any

TABLE_PATH = Path(__file__).resolve().parent.parent / "data" / "regional_keys.json"

# The conversions that are s2t and then one regional stage (the configs must say so: tools/regional_keys.py).
REGIONAL = ("s2twp", "s2hkp", "s2tw", "s2hk")
# The conversions that take s2tw's and s2hk's answers back: one stage, then t2s's.
REVERSE = ("tw2sp", "hk2sp")


def opencc_share() -> Path | None:
    """The folder of OpenCC's configs and dictionaries the installed binding reads, if it has one."""
    import opencc

    share = Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"
    return share if share.is_dir() else None


def config(share: Path, name: str) -> dict[str, Any]:
    return json.loads((share / f"{name}.json").read_text(encoding="utf-8"))


def files_named(node: object) -> list[str]:
    """Every dictionary file a config (or part of one) names, in order."""
    if isinstance(node, dict):
        found = [node["file"]] if isinstance(node.get("file"), str) else []
        return found + [name for value in node.values() for name in files_named(value)]
    if isinstance(node, list):
        return [name for value in node for name in files_named(value)]
    return []


def fingerprint(share: Path) -> str:
    """CRC-32 of s2t's and the regional conversions' configs and dictionaries, names and bytes: the
    same for the same OpenCC data wherever it is installed."""
    names = {f"{name}.json" for name in ("s2t", "t2s", *REGIONAL, *REVERSE)}
    for name in ("s2t", "t2s", *REGIONAL, *REVERSE):
        names.update(files_named(config(share, name)))
    crc = 0
    for name in sorted(names):
        crc = zlib.crc32(name.encode() + b"\0", crc)
        crc = zlib.crc32((share / name).read_bytes(), crc)
    return f"{crc:08x}"


@cache
def _table() -> dict[str, Any] | None:
    """The table, or None when it is missing or not made from the installed OpenCC data."""
    try:
        table = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
        share = opencc_share()
        if share is None or table["opencc"] != fingerprint(share):
            return None
        return {
            name: (frozenset(table[name]["chars"]), frozenset(table[name]["pairs"]))
            for name in (*REGIONAL, "unchanged")
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _holds(text: str, keys: tuple[frozenset[str], frozenset[str]]) -> bool:
    chars, pairs = keys
    return not chars.isdisjoint(text) or any(text[i : i + 2] in pairs for i in range(len(text) - 1))


def unchanged(text: str) -> bool:
    """Whether every regional form of `text` is sure to be `text` itself, no converter built: it has
    none of the characters and pairs tools/regional_keys.py found may change."""
    table = _table()
    return table is not None and not _holds(text, table["unchanged"])


def may_change(name: str, text: str) -> bool:
    """Whether the regional stage of conversion `name` might change `text` (s2t's output)."""
    table = _table()
    return table is None or _holds(text, table[name])


def regional(text: str) -> dict[str, str]:
    """`text` through each of the REGIONAL conversions, as `converter(name).convert(text)` gives it."""
    from store.text.script import converter

    if _table() is None:
        return {name: converter(name).convert(text) for name in REGIONAL}
    traditional = converter("s2t").convert(text)
    return {
        name: converter(name).convert(text) if may_change(name, traditional) else traditional
        for name in REGIONAL
    }


def regional_forms(text: str) -> list[str]:
    """fold(s2twp(text)), fold(s2hkp(text)), fold(tw2sp(s2tw(text))), fold(hk2sp(s2hk(text))): the
    forms search/query.py `expansions` adds, with only the converters `text` needs."""
    from store.text.script import converter, fold

    if unchanged(text):
        return [text] * 4
    converted = regional(text)
    return [
        fold(converted["s2twp"]),
        fold(converted["s2hkp"]),
        fold(converter("tw2sp").convert(converted["s2tw"])),
        fold(converter("hk2sp").convert(converted["s2hk"])),
    ]
