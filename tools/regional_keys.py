"""Make store/data/regional_keys.json, which lets a search build only the OpenCC converters it needs.

For each regional conversion (store/text/regional.py REGIONAL) it checks, from OpenCC's configs, that
the conversion is s2t followed by one stage — the same normalisation, a segmentation dictionary that is
s2t's phrase dictionary (so s2t's longest matches are the same) and the same first stage — and lists
that stage's one-character keys and its longer keys' first two characters, from the dictionaries
dumped with the `opencc_dict` the wheel ships. It refuses when a config is shaped otherwise.

`python -m tools.regional_keys` writes the file; tests/test_regional.py checks it is current.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from store.text.regional import REGIONAL, REVERSE, TABLE_PATH, config, files_named, fingerprint, opencc_share


class NotShaped(Exception):
    """A conversion that is not s2t and one stage: the shortcut would not give its answer."""


def keys(share: Path, name: str) -> Iterator[str]:
    """The keys of a dictionary."""
    for key, _ in entries(share, name):
        yield key


def entries(share: Path, name: str) -> Iterator[tuple[str, str]]:
    """Each key of a dictionary and the value OpenCC writes for it (the first), through
    `opencc_dict -t text`."""
    clib = share.parent.parent
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / "dict.txt"
        argv = [
            str(clib / "bin" / "opencc_dict"),
            "-i",
            str(share / name),
            "-o",
            str(out),
            "-f",
            "ocd2",
            "-t",
            "text",
        ]
        subprocess.run(argv, check=True, capture_output=True)
        for line in out.read_text(encoding="utf-8").splitlines():
            if line:
                key, _, values = line.partition("\t")
                yield key, values.split(" ")[0]


def regional_stage(share: Path, name: str) -> dict[str, Any]:
    """The dictionaries of `name`'s stage after s2t's; NotShaped unless it is s2t and that stage."""
    s2t, conversion = config(share, "s2t"), config(share, name)
    chain = conversion.get("conversion_chain", [])
    first = s2t["conversion_chain"]
    phrases = first[0]["dict"]["dicts"][0] if len(first) == 1 else None
    segmentation = conversion.get("segmentation", {})
    if (
        "segmentation" in s2t
        or conversion.get("normalization") != s2t.get("normalization")
        or len(chain) != 2
        or chain[0] != first[0]
        or segmentation.get("type") != "mmseg"
        or segmentation.get("dict") != phrases
    ):
        raise NotShaped(f"{name} is not s2t followed by one stage")
    return chain[1]["dict"]


def reverse_stage(share: Path, name: str) -> dict[str, Any]:
    """The first stage of `name` (tw2sp, hk2sp), which t2s's one follows; NotShaped otherwise."""
    t2s, conversion = config(share, "t2s"), config(share, name)
    chain = conversion.get("conversion_chain", [])
    if (
        conversion.get("normalization") != t2s.get("normalization")
        or len(chain) != 2
        or chain[1] != t2s["conversion_chain"][0]
        or len(t2s["conversion_chain"]) != 1
    ):
        raise NotShaped(f"{name} is not one stage followed by t2s's")
    return chain[0]["dict"]


Images = tuple[dict[str, set[str]], set[str]]  # what an entry may write at a character; 1-char keys


def images(share: Path, node: Any, loose: set[str]) -> Images:
    """Where an entry of the stage `node` covers a character, what it may write there, and the stage's
    one-character keys; the first characters of its length-changing keys go to `loose` (positions
    stop lining up after them)."""
    found: dict[str, set[str]] = {}
    singles: set[str] = set()
    for file in files_named(node):
        for key, value in entries(share, file):
            if len(key) == 1:
                singles.add(key)
            if len(value) != len(key):
                loose.add(key[0])
                continue
            for k, v in zip(key, value, strict=True):
                found.setdefault(k, set()).add(v)
    return found, singles


def through(chars: set[str], stage: Images) -> set[str]:
    """What a position holding any of `chars` may hold after the stage: what its entries write, or
    the character itself unless a one-character key names it (then an entry always covers it)."""
    found, singles = stage
    return {out for c in chars for out in found.get(c, set()) | ({c} - singles)}


def quiet_table(share: Path, looked_at: list[tuple[set[str], set[str]]]) -> dict[str, Any]:
    """The Simplified characters and pairs for which the four forms may differ from the text.

    A text with none of them comes back from every regional conversion as it went in: s2t's stage
    (with the normalisation around it) puts at each position a character of that position's image; no
    regional or reverse stage has a key there (`looked_at`: each stage's one-character keys and longer
    keys' first pairs); and t2s's stage, twice (tw2sp's own, then the fold), brings every position's
    image back to the character itself."""
    loose: set[str] = set()
    s2t, t2s = config(share, "s2t"), config(share, "t2s")
    normal = images(share, s2t["normalization"], loose)
    forward = images(share, s2t["conversion_chain"], loose)
    back = images(share, t2s["conversion_chain"], loose)
    candidates = set(normal[0]) | set(forward[0]) | set(back[0]) | loose
    for chars, pairs in looked_at:
        candidates |= chars | {c for pair in pairs for c in pair}
    reach: dict[str, set[str]] = {}
    bad = set()
    for char in candidates:
        now = through(through({char}, normal), forward)
        traditional = through(now, normal)
        reach[char] = traditional
        if (now | traditional) & loose or any(traditional & chars for chars, _ in looked_at):
            bad.add(char)
            continue
        back_again = through(through(through(through(traditional, back), normal), back), normal)
        if back_again != {char}:
            bad.add(char)
    sources: dict[str, set[str]] = {}
    for char, traditional in reach.items():
        for t in traditional:
            sources.setdefault(t, set()).add(char)
    bad_pairs = {
        a + b
        for _, pairs in looked_at
        for pair in pairs
        for a in sources.get(pair[0], {pair[0]})
        for b in sources.get(pair[1], {pair[1]})
    }
    return {"chars": "".join(sorted(bad)), "pairs": sorted(bad_pairs)}


def table(share: Path) -> dict[str, Any]:
    found: dict[str, Any] = {"opencc": fingerprint(share)}
    looked_at = []
    for name in REGIONAL:
        every = [key for file in files_named(regional_stage(share, name)) for key in keys(share, file)]
        found[name] = {
            "chars": "".join(sorted({key for key in every if len(key) == 1})),
            "pairs": sorted({key[:2] for key in every if len(key) > 1}),
        }
        looked_at.append((set(found[name]["chars"]), set(found[name]["pairs"])))
    for name in REVERSE:
        every = [key for file in files_named(reverse_stage(share, name)) for key in keys(share, file)]
        looked_at.append(
            ({key for key in every if len(key) == 1}, {key[:2] for key in every if len(key) > 1})
        )
    found["unchanged"] = quiet_table(share, looked_at)
    return found


def table_text(share: Path) -> str:
    return json.dumps(table(share), ensure_ascii=False, indent=0) + "\n"


def main() -> int:
    share = opencc_share()
    if share is None:
        print("no OpenCC data folder found", file=sys.stderr)
        return 1
    TABLE_PATH.write_text(table_text(share), encoding="utf-8")
    print(f"wrote {TABLE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
