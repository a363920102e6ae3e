"""The browser's spine: province → prefecture/city → meeting, built from what extraction found.

A meeting (store.meetings: the reports of one event) sits once under every province that took part, and
under each of that province's prefectures that any of its reports names (directly under the province
when none does). Counts are distinct meetings below a node; meetings are newest first, provinces by
count, then by name. Meetings with no participating province are gathered under one last node so that
nothing imported is out of reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from store.extract.gazetteer import strip_ethnic
from store.meetings.model import Meeting, alone
from store.models import Document, newest_first

if TYPE_CHECKING:
    from store.storage.entry import Entry

    Listed = Document | Entry  # a document, or the fields of it a lookup reads (store/storage/lookup.py)

NodeKind = Literal["province", "prefecture", "meeting"]
UNPLACED = "未识别省份"
_TITLE_WIDTH = 28


@dataclass(slots=True)  # tens of thousands at 10k documents: made faster, smaller
class TreeNode:
    """One node; `doc_id`, `meeting` and `reports` are set on meetings only. `to_dict` is the `tree --json`
    shape: a meeting's `doc_id` is its first report, so scripts written before meetings still open it."""

    key: str
    label: str
    kind: NodeKind
    count: int
    doc_id: str | None = None
    children: list[TreeNode] = field(default_factory=list)
    meeting: str | None = None  # the meeting's id (store.meetings.model.meeting_id)
    reports: list[str] = field(default_factory=list)  # its reports' document ids, earliest first

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "count": self.count,
            "doc_id": self.doc_id,
            "meeting": self.meeting,
            "reports": list(self.reports),
            "children": [child.to_dict() for child in self.children],
        }


def meeting_label(meeting: Meeting | Listed) -> str:
    """Date as stated, then the title cut to fit a tree column, then `·3` when three reports tell it."""
    title = meeting.title
    if len(title) > _TITLE_WIDTH:
        title = title[: _TITLE_WIDTH - 1] + "…"
    date = meeting.date if isinstance(meeting, Meeting) else meeting.meta.date
    label = f"{date.text if date else ''} {title}".strip()
    if isinstance(meeting, Meeting) and meeting.end is not None and date is not None:
        label = f"{date.text}—{meeting.end.text} {title}"
    count = len(meeting.reports) if isinstance(meeting, Meeting) else 1
    return f"{label} ·{count}" if count > 1 else label


def build_tree(
    documents: list[Listed],
    meetings: list[Meeting] | None = None,
    known: dict[str, dict[str, list[str]]] | None = None,
) -> list[TreeNode]:
    """Province nodes, each holding prefecture nodes and meetings, from the meetings (`Corpus.meetings`,
    newest first; without them each document is its own meeting) and their reports' extractions.
    `known`: `meeting_prefectures` of some meetings by id, made before (the catalogue keeps those of
    the meetings of several reports: store/storage/combined.py), so their reports are not read.

    Meetings are grouped in the order given, so every group is already newest first; each meeting's
    label is made once however many provinces it sits under.
    """
    docs = {d.id: d for d in documents}
    if meetings is None:
        meetings = [alone(d) for d in newest_first(docs.values())]
    labels = {m.id: meeting_label(m) for m in meetings}
    by_province: dict[str, list[Meeting]] = {}
    by_prefecture: dict[str, dict[str, list[Meeting]]] = {}
    unplaced: list[Meeting] = []
    for meeting in meetings:
        if not meeting.provinces:
            unplaced.append(meeting)
        given = known.get(meeting.id) if known else None
        prefectures = given if given is not None else meeting_prefectures(meeting, docs)
        for province in dict.fromkeys(meeting.provinces):
            by_province.setdefault(province, []).append(meeting)
            for prefecture in prefectures.get(province, ()):
                by_prefecture.setdefault(province, {}).setdefault(prefecture, []).append(meeting)
    roots = [
        _province_node(province, members, by_prefecture.get(province, {}), labels)
        for province, members in by_province.items()
    ]
    roots.sort(key=lambda n: (-n.count, n.label))
    if unplaced:
        key = f"province:{UNPLACED}"
        nodes = _meetings(unplaced, key, labels)
        roots.append(TreeNode(key, UNPLACED, "province", len(unplaced), None, nodes))
    return roots


def meeting_prefectures(meeting: Meeting, docs: dict[str, Listed]) -> dict[str, list[str]]:
    """Each participating province's prefectures that any report of the meeting names, first named first."""
    found: dict[str, dict[str, None]] = {}
    for doc_id in meeting.reports:
        if (doc := docs.get(doc_id)) is None:
            continue
        for participant in doc.meta.participants:
            if participant.province in meeting.provinces:
                found.setdefault(participant.province, {}).update(dict.fromkeys(participant.prefectures))
    return {province: list(names) for province, names in found.items()}


def _meetings(meetings: list[Meeting], parent_key: str, labels: dict[str, str]) -> list[TreeNode]:
    return [
        TreeNode(
            f"{parent_key}/{m.reports[0]}", labels[m.id], "meeting", 1, m.reports[0], [], m.id, m.reports[:]
        )
        for m in meetings
    ]


def _province_node(
    province: str,
    meetings: list[Meeting],
    prefectures: dict[str, list[Meeting]],
    labels: dict[str, str],
) -> TreeNode:
    key = f"province:{province}"
    prefecture_nodes = []
    placed: set[str] = set()
    for prefecture, members in prefectures.items():
        pkey = f"{key}/prefecture:{prefecture}"
        nodes = _meetings(members, pkey, labels)
        prefecture_nodes.append(TreeNode(pkey, _short(prefecture), "prefecture", len(nodes), None, nodes))
        placed.update(m.id for m in members)
    prefecture_nodes.sort(key=lambda n: (-n.count, n.label))
    direct = _meetings([m for m in meetings if m.id not in placed], key, labels)
    return TreeNode(key, province, "province", len(meetings), None, prefecture_nodes + direct)


def _short(prefecture: str) -> str:
    """甘南藏族自治州 → 甘南州: the name people say, for a narrow tree column.

    Pure string rules, no gazetteer: the tree is built on the browser's startup path.
    """
    for suffix in ("自治州", "自治县", "自治旗"):
        if prefecture.endswith(suffix):
            return strip_ethnic(prefecture[: -len(suffix)]) + suffix[-1]
    return prefecture
