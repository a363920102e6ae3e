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

from store.text.regional import REGIONAL, TABLE_PATH, config, files_named, fingerprint, opencc_share


class NotShaped(Exception):
    """A conversion that is not s2t and one stage: the shortcut would not give its answer."""


def keys(share: Path, name: str) -> Iterator[str]:
    """The keys of a dictionary, through `opencc_dict -t text`."""
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
                yield line.partition("\t")[0]


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


def table(share: Path) -> dict[str, Any]:
    found: dict[str, Any] = {"opencc": fingerprint(share)}
    for name in REGIONAL:
        every = [key for file in files_named(regional_stage(share, name)) for key in keys(share, file)]
        found[name] = {
            "chars": "".join(sorted({key for key in every if len(key) == 1})),
            "pairs": sorted({key[:2] for key in every if len(key) > 1}),
        }
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
