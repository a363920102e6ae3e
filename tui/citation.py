"""The citation line under a copied passage (`y`, `Y`)."""

from __future__ import annotations

from store import Document, MeetingDate, Script, provenance, render, terminal_safe


def citation(doc: Document, script: Script, text: str = "") -> str:
    """Title, the outlet and publication date the report states (`text` is its text), the meeting's full
    date; the file's path only when the report names neither outlet nor publication date."""
    found = provenance(text)
    parts = [doc.title]
    if found.outlet:
        parts.append(found.outlet)
    if found.published:
        parts.append(f"{found.published} 发布")
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
