"""What the browser remembers between runs: the script shown and the search history.

One small JSON file in $YUELAN_STATE_DIR (else the platform's user state folder), written atomically
(temp file, fsync, rename) so a crash never leaves half a file; an unreadable file is ignored and the
defaults are used, because losing a preference must never stop the browser from opening.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store import DEFAULT_STANDARD, SCRIPTS, STANDARDS, write_atomically

ENV_STATE_DIR = "YUELAN_STATE_DIR"
SETTINGS_FILE = "settings.json"
HISTORY_LIMIT = 100


def state_dir() -> Path:
    """$YUELAN_STATE_DIR, else the platform's user state folder for yuelan."""
    if os.environ.get(ENV_STATE_DIR):
        return Path(os.environ[ENV_STATE_DIR]).expanduser()
    from platformdirs import user_state_path  # here: not loaded when $YUELAN_STATE_DIR says where

    return user_state_path("yuelan", appauthor=False)


def settings_path() -> Path:
    return state_dir() / SETTINGS_FILE


@dataclass
class Settings:
    """The script choice and the search history, most recent query last."""

    script: str = "orig"
    history: list[str] = field(default_factory=list)
    standard: str = DEFAULT_STANDARD  # which Traditional forms 繁體 shows (store.script.STANDARDS)
    tree_width: int | None = None  # the tree's width in cells, once the user has set it with < >

    def remember(self, query: str) -> None:
        """Add a query to the history: most recent last, no duplicates, bounded."""
        query = query.strip()
        if not query:
            return
        if query in self.history:
            self.history.remove(query)
        self.history.append(query)
        del self.history[:-HISTORY_LIMIT]

    def to_dict(self) -> dict[str, Any]:
        return {
            "script": self.script,
            "history": list(self.history),
            "standard": self.standard,
            "tree_width": self.tree_width,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Settings:
        """Whatever the file holds, keep only what is valid."""
        if not isinstance(data, dict):
            return cls()
        script = data.get("script")
        history = data.get("history")
        standard = data.get("standard")
        width = data.get("tree_width")
        return cls(
            script=script if script in SCRIPTS else "orig",
            history=[q for q in history if isinstance(q, str) and q.strip()][-HISTORY_LIMIT:]
            if isinstance(history, list)
            else [],
            standard=standard if standard in STANDARDS else DEFAULT_STANDARD,
            tree_width=width if type(width) is int and width > 0 else None,
        )


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there are none or the file is unreadable."""
    path = path or settings_path()
    try:
        return Settings.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically (temp file, fsync, `os.replace`), as the store is written."""
    write_atomically(path or settings_path(), settings.to_dict(), indent=1)
