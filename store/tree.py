"""The browser's spine: province → prefecture/city → meeting, built from what extraction found.

A meeting sits under every province that took part, and under each of that province's prefectures that
took part (directly under the province when the report names none). Counts are distinct meetings below a
node; meetings are newest first, provinces by count, then by name. Documents with no participating
province are gathered under one last node so that nothing imported is out of reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from store.extract.gazetteer import strip_ethnic
from store.models import Document, newest_first

if TYPE_CHECKING:
    from store.storage.lookup import Entry

    Listed = Document | Entry  # a document, or the fields of it a lookup reads (store/lookup.py)

NodeKind = Literal["province", "prefecture", "meeting"]
UNPLACED = "未识别省份"
_TITLE_WIDTH = 28


@dataclass(slots=True)  # tens of thousands at 10k documents: made faster, smaller
class TreeNode:
    """One node; `doc_id` is set on meetings only. `to_dict` is the `tree --json` shape."""

    key: str
    label: str
    kind: NodeKind
    count: int
    doc_id: str | None = None
    children: list[TreeNode] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "count": self.count,
            "doc_id": self.doc_id,
            "children": [child.to_dict() for child in self.children],
        }


def meeting_label(doc: Listed) -> str:
    """Date as stated, then the title cut to fit a tree column."""
    title = doc.title
    if len(title) > _TITLE_WIDTH:
        title = title[: _TITLE_WIDTH - 1] + "…"
    date = doc.meta.date.text if doc.meta.date else ""
    return f"{date} {title}".strip()


def build_tree(documents: list[Listed]) -> list[TreeNode]:
    """Province nodes, each holding prefecture nodes and meetings, from the documents' extractions.

    Documents are put in date order once and grouped in that order, so every group is already newest
    first; each meeting's label is made once however many provinces it sits under (a meeting sits
    under each province that took part).
    """
    ordered = newest_first({d.id: d for d in documents}.values())
    labels = {d.id: meeting_label(d) for d in ordered}
    by_province: dict[str, list[Listed]] = {}
    by_prefecture: dict[str, dict[str, list[Listed]]] = {}
    unplaced: list[Listed] = []
    for doc in ordered:
        if not doc.meta.provinces:
            unplaced.append(doc)
        for province in dict.fromkeys(doc.meta.provinces):
            by_province.setdefault(province, []).append(doc)
            prefectures = next((p.prefectures for p in doc.meta.participants if p.province == province), [])
            for prefecture in dict.fromkeys(prefectures):
                by_prefecture.setdefault(province, {}).setdefault(prefecture, []).append(doc)
    roots = [
        _province_node(province, docs, by_prefecture.get(province, {}), labels)
        for province, docs in by_province.items()
    ]
    roots.sort(key=lambda n: (-n.count, n.label))
    if unplaced:
        key = f"province:{UNPLACED}"
        meetings = _meetings(unplaced, key, labels)
        roots.append(TreeNode(key, UNPLACED, "province", len(unplaced), None, meetings))
    return roots


def _meetings(docs: list[Listed], parent_key: str, labels: dict[str, str]) -> list[TreeNode]:
    return [TreeNode(f"{parent_key}/{d.id}", labels[d.id], "meeting", 1, d.id, []) for d in docs]


def _province_node(
    province: str,
    docs: list[Listed],
    prefectures: dict[str, list[Listed]],
    labels: dict[str, str],
) -> TreeNode:
    key = f"province:{province}"
    prefecture_nodes = []
    placed: set[str] = set()
    for prefecture, members in prefectures.items():
        pkey = f"{key}/prefecture:{prefecture}"
        meetings = _meetings(members, pkey, labels)
        prefecture_nodes.append(
            TreeNode(pkey, _short(prefecture), "prefecture", len(meetings), None, meetings)
        )
        placed.update(d.id for d in members)
    prefecture_nodes.sort(key=lambda n: (-n.count, n.label))
    direct = _meetings([d for d in docs if d.id not in placed], key, labels)
    return TreeNode(key, province, "province", len(docs), None, prefecture_nodes + direct)


def _short(prefecture: str) -> str:
    """甘南藏族自治州 → 甘南州: the name people say, for a narrow tree column.

    Pure string rules, no gazetteer: the tree is built on the browser's startup path.
    """
    for suffix in ("自治州", "自治县", "自治旗"):
        if prefecture.endswith(suffix):
            return strip_ethnic(prefecture[: -len(suffix)]) + suffix[-1]
    return prefecture
