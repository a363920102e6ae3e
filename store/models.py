"""The records every layer agrees on: documents, what was extracted from them, search answers.

Plain dataclasses with `to_dict`/`from_dict` so that TinyDB, the CLI's JSON and the TUI read the same
shapes. Offsets are always character offsets into `Document.text` (the cleaned text), and hold in every
script the reader shows (store.text.script says why).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol


class LazyText(Protocol):
    """A text kept elsewhere (storage's `StoredText`): read on each access, its length known without it."""

    @property
    def chars(self) -> int: ...

    @property
    def ref(self) -> Any: ...  # what a record stores to find it again (`.to_json()`)

    def read(self) -> str: ...


class TextSource(Protocol):
    """Where stored texts are read from (storage's `TextFile`), given the reference a record holds."""

    def stored(self, ref: Any) -> LazyText: ...


DocScript = Literal["simplified", "traditional", "mixed", "none"]


@dataclass(frozen=True)
class Person:
    """An official named in a report, with the post the text gives them ('' when none)."""

    name: str
    post: str = ""


@dataclass(frozen=True)
class MeetingDate:
    """A date as the report states it; a part the text does not give stays None, never guessed."""

    year: int | None
    month: int | None
    day: int | None
    text: str
    source: str = "text"
    """Where the parts the text leaves out came from: `text` (all stated), `dateline` (month, or year,
    from a wire dateline such as 新华社拉萨10月12日电), `page` (from the page's own date line), `relative`
    (昨天, 今日 resolved against a dateline or the page's date line)."""
    basis: str = ""
    """The dateline or page date line an inferred part was read from, as written ('' for `text`)."""

    def shown(self, with_basis: bool = True) -> str:
        """The date for a reader: as stated, or with the inferred part marked and the line it came from
        (`2023年12月28日 (年份据页面日期：发布时间：2024-01-05)`, `昨天 → 4月11日 (据电头推算：…)`)."""
        if self.source == "text" or self.month is None:
            return self.text
        basis = f"：{self.basis}" if self.basis and with_basis else ""
        where = "电头" if self.source == "dateline" or self.basis.endswith(("电", "讯")) else "页面日期"
        if self.source == "relative":
            full = (f"{self.year}年" if self.year else "") + f"{self.month}月{self.day}日"
            return f"{self.text} → {full} (据{where}推算{basis})"
        year = f"{self.year}年" if self.year and "年" not in self.text else ""
        month = f"{self.month}月" if "月" not in self.text else ""
        label = {"年": "年份", "月": "月份", "年月": "年月"}.get(year[-1:] + month[-1:], "日期")
        written = year + month
        return f"{written}{self.text} ({label}据{where}{basis})"

    def sort_key(self) -> tuple[int, int, int]:
        """Undated parts sort first within their year; unknown years sort before known ones."""
        return (self.year or 0, self.month or 0, self.day or 0)


class _PeopleField:
    """A dataclass field descriptor that turns stored `{"name", "post"}` dicts into Person on first read.

    A large store names officials many times over; the tree and the list never look at them, so
    they are made only for the documents someone reads.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return ()  # the field's default: every Extraction starts with no people
        value = obj.__dict__[self.slot]
        if value and isinstance(value[0], dict):
            value = obj.__dict__[self.slot] = [Person(**p) for p in value]
        return value

    def __set__(self, obj: object, value: Any) -> None:
        obj.__dict__[self.slot] = list(value)


class _TextField:
    """A str field that may hold a `StoredText` instead: then each read fetches it from the texts file.

    A 10k-document store holds 65 M characters of raw and cleaned text; keeping them out of memory is
    what keeps opening a store and searching it within a few hundred MB. Reports are small (a few
    thousand characters), so reading one again on each access costs microseconds and needs no cache.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            raise AttributeError(self.slot)  # no class-level default: the dataclass field stays required
        value = obj.__dict__[self.slot]
        return value if isinstance(value, str) else value.read()

    def __set__(self, obj: object, value: Any) -> None:
        obj.__dict__[self.slot] = value


@dataclass
class Participant:
    """A participating province and, where the text says, the prefecture-level units that took part."""

    province: str
    prefectures: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    """What a report is about. Province names are full standard names (甘肃省, 西藏自治区)."""

    title: str = ""
    date: MeetingDate | None = None
    location: str = ""
    kind: str = ""
    provinces: list[str] = field(default_factory=list)
    mentioned_provinces: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    people: list[Person] = _PeopleField()  # type: ignore[assignment]
    participants: list[Participant] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; the CLI prints these keys as they are. What `asdict` gives, built directly:
        asdict deep-copies through every field recursively, which costs more than the rest of `list`."""
        people = self.__dict__["_people"]
        return {
            "title": self.title,
            "date": asdict(self.date) if self.date else None,
            "location": self.location,
            "kind": self.kind,
            "provinces": list(self.provinces),
            "mentioned_provinces": list(self.mentioned_provinces),
            "places": list(self.places),
            "people": [dict(p) if isinstance(p, dict) else {"name": p.name, "post": p.post} for p in people],
            "participants": [
                {"province": p.province, "prefectures": list(p.prefectures)} for p in self.participants
            ],
        }

    def people_names(self) -> list[str]:
        """The officials' names, without making Person objects of records nobody reads."""
        return [p["name"] if isinstance(p, dict) else p.name for p in self.__dict__["_people"]]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        date = data.get("date")
        return cls(
            title=data.get("title", ""),
            date=MeetingDate(**date) if date else None,
            location=data.get("location", ""),
            kind=data.get("kind", ""),
            provinces=list(data.get("provinces", [])),
            mentioned_provinces=list(data.get("mentioned_provinces", [])),
            places=list(data.get("places", [])),
            people=data.get("people", []),  # made into Person objects on first read
            participants=[Participant(**p) for p in data.get("participants", [])],
        )


@dataclass
class Document:
    """One report: its cleaned text, the raw text it came from, and what was extracted.

    `id` is the first 12 hex digits of the SHA-256 of the raw decoded text, so the same report saved
    under two paths (or in two encodings) is one document that knows both paths.
    """

    id: str
    sha256: str
    paths: list[str]
    raw: str = _TextField()  # type: ignore[assignment]
    text: str = _TextField()  # type: ignore[assignment]
    encoding: str
    script: DocScript
    imported_at: str
    meta: Extraction = field(default_factory=Extraction)

    @property
    def chars(self) -> int:
        text = self.__dict__["_text"]
        return len(text) if isinstance(text, str) else int(text.chars)

    def stored(self, name: Literal["raw", "text"]) -> Any:
        """The field as held: a str, or the `StoredText` it is read from."""
        return self.__dict__["_" + name]

    @property
    def title(self) -> str:
        """The extracted title, or the first non-empty line until extraction has run."""
        if self.meta.title:
            return self.meta.title
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")

    def to_record(self) -> dict[str, Any]:
        """The TinyDB record; `meta` is stored as the extraction's JSON form.

        A text kept in the texts file is stored as its reference (`raw_at`/`text_at`), one still in
        memory inline (`raw`/`text`, as schema 1 stores held every text).
        """
        record: dict[str, Any] = {"id": self.id, "sha256": self.sha256, "paths": list(self.paths)}
        for name in ("raw", "text"):
            value = self.stored(name)  # type: ignore[arg-type]
            if isinstance(value, str):
                record[name] = value
            else:
                record[name + "_at"] = value.ref.to_json()
        return record | {
            "encoding": self.encoding,
            "script": self.script,
            "imported_at": self.imported_at,
            "meta": self.meta.to_dict(),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], texts: TextSource | None = None) -> Document:
        """A document from its record; texts stored by reference are read from `texts` when used."""
        return cls(
            id=record["id"],
            sha256=record["sha256"],
            paths=list(record["paths"]),
            raw=_text_of(record, "raw", texts),
            text=_text_of(record, "text", texts),
            encoding=record["encoding"],
            script=record["script"],
            imported_at=record["imported_at"],
            meta=Extraction.from_dict(record.get("meta") or {}),
        )

    def summary(self) -> dict[str, Any]:
        """The `list --json` object: identity, source paths, script, size and what it is about."""
        meta = self.meta.to_dict()
        meta.pop("participants", None)
        meta["title"] = self.title
        if meta["date"] is None:  # scripts read date.month etc. on every object; an undated report has nulls
            meta["date"] = dict.fromkeys(("year", "month", "day", "text", "source", "basis"))
        head = {"id": self.id, "paths": list(self.paths), "script": self.script, "chars": self.chars}
        return head | meta


def _text_of(record: dict[str, Any], name: str, texts: TextSource | None) -> str | LazyText:
    if name in record:
        return str(record[name])
    if texts is None:
        raise ValueError(f"document {record.get('id')} keeps its {name} in a texts file; none given")
    return texts.stored(record[name + "_at"])


def resolve_id(ids: Iterable[str], id_or_prefix: str) -> str:
    """The full id `id_or_prefix` names among `ids`: itself, or the one id it begins, as git does; a
    LookupError saying why when none or several."""
    key = id_or_prefix.strip().lower()
    if not key:
        raise LookupError("no document id given")
    ids = ids if isinstance(ids, (set, dict)) else list(ids)
    if key in ids:
        return key
    matches = [doc_id for doc_id in ids if doc_id.startswith(key)]
    if not matches:
        raise LookupError(f"no document with id {id_or_prefix!r}")
    if len(matches) > 1:
        shown = ", ".join(sorted(matches)[:5])
        raise LookupError(f"id prefix {id_or_prefix!r} is ambiguous: {shown}")
    return matches[0]


def newest_first(docs: Iterable[Document]) -> list[Document]:
    """The one order documents are listed in (the CLI's list, the browser's tree): by date, newest first;
    undated meetings last; ties by title then id, so the order is stable."""
    docs = list(docs)
    dated = sorted(
        (d for d in docs if d.meta.date),
        key=lambda d: (d.meta.date.sort_key(), d.title, d.id),  # type: ignore[union-attr]
        reverse=True,
    )
    undated = sorted((d for d in docs if not d.meta.date), key=lambda d: (d.title, d.id))
    return dated + undated


@dataclass(frozen=True)
class Span:
    """A half-open range of character offsets into `Document.text`."""

    start: int
    end: int


@dataclass
class Snippet:
    """Keyword in context: `text` is `Document.text[start:start+len(text)]`; `hits` are relative to it."""

    text: str
    start: int
    hits: list[Span] = field(default_factory=list)


@dataclass
class SearchResult:
    """One matching document: its score, every hit in the original text, and snippets around them."""

    doc_id: str
    title: str
    score: float
    hits: list[Span] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The `search --json` object."""
        return {
            "id": self.doc_id,
            "title": self.title,
            "score": round(self.score, 4),
            "hits": [{"start": h.start, "end": h.end} for h in self.hits],
            "snippets": [s.text for s in self.snippets],
        }


@dataclass
class SearchAnswer:
    """The answer to one query, best first. `total` counts every matching document, not only `results`."""

    query: str
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    words: tuple[str, ...] = ()  # set when nothing matched as typed and the words ANDed did (西藏合作)
