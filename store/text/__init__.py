"""Text in: reading and decoding a report, cleaning it, its script (原文/简体/繁體) and word segmentation."""

from typing import Literal

# The three ways text can be shown: as written, Simplified, Traditional. Named here, not in `script`,
# so that the CLI's argument parser can list them without loading OpenCC.
Script = Literal["orig", "simp", "trad"]
SCRIPTS: tuple[Script, ...] = ("orig", "simp", "trad")
