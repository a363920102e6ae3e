"""The citation line under a copied passage (`y`, `Y`)."""

from __future__ import annotations

from store import Document, MeetingDate, Script, provenance, render, terminal_safe


def source_parts(text: str) -> list[str]:
    """What a report says of where it comes from: the outlet and `<date> 发布` it states, or nothing."""
    found = provenance(text)
    return [
        *([found.outlet] if found.outlet else []),
        *([f"{found.published} 发布"] if found.published else []),
    ]


def source_line(doc: Document, script: Script, text: str = "") -> str:
    """A report's source line, as its citation names it: outlet and publication date in the script
    shown, else the file's name (a meeting's reports are told apart by it)."""
    parts = source_parts(text)
    if parts:
        return " · ".join(render(part, script) for part in parts)
    return terminal_safe(doc.paths[0].rsplit("/", 1)[-1] if doc.paths else doc.id)


def citation(doc: Document, script: Script, text: str = "") -> str:
    """Title, the outlet and publication date the report states (`text` is its text), the meeting's full
    date; the file's path only when the report names neither outlet nor publication date."""
    found = provenance(text)
    parts = [doc.title, *source_parts(text)]
    parts.append(f"会议 {full_date(doc.meta.date)}" if doc.meta.date else "日期不详")
    shown = [render(part, script) for part in parts]
    if not (found.outlet or found.published):
        # a path is never converted, and a non-UTF-8 name cannot be copied raw
        shown.append(terminal_safe(doc.paths[0] if doc.paths else doc.id))
    return "——" + "，".join(shown)


def full_date(date: MeetingDate) -> str:
    """The meeting's date with its year when the report gives one (`2024年5月16日至17日`)."""
    if date.year and "年" not in date.text:
        return f"{date.year}年{date.text}"
    return date.text
