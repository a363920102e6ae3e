"""The query language and the forms a term is looked up under.

`团结 "对口 援藏" -旅游 province:甘肃 person:何谋保 kind:座谈 date:2024-08`: space-separated terms are
ANDed, a quoted phrase is matched as written, `-` excludes, filters narrow by what extraction found.
Every term is folded to Simplified (`fold`) and expanded across regional vocabulary, so
高质量 also finds Taiwan's 高品質 and 互联网 finds 網際網路; documents are never rewritten for this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from store.extract.gazetteer import resolve_province
from store.text.regional import REGIONAL, regional_forms
from store.text.script import converter, fold, has_lone_surrogate, shown_bytes


class QueryError(ValueError):
    """A malformed query; the message is one line, fit to show after 'bad query: '."""


FILTER_KEYS = ("province", "person", "kind", "date")
# What one query may cost. A search's time grows with its terms (each is looked up under several forms
# and scored over every document) times the results asked for (each result's hits and snippets);
# within these bounds every query answers in well under a second at 10k documents (README, Performance).
MAX_QUERY_CHARS = 200
MAX_TERMS = 10  # terms, excluded terms and filter values together
MAX_LIMIT = 200  # results: enforced where a person asks for them (`--limit`; the browser lists 200)
_SPACE = re.compile(r"[\s\u3000]+")
# Only the ASCII quote is syntax: “” and 「」 are ordinary characters of the text, searchable as they are.
_QUOTES = {'"': '"'}
_FILTER = re.compile(r"([A-Za-z]+)[:：]")
_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2}))?")
_PINYIN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")


@dataclass(frozen=True)
class Term:
    """One search term as typed (quotes and '-' removed)."""

    text: str
    phrase: bool = False
    negated: bool = False

    @property
    def is_pinyin(self) -> bool:
        """ASCII letters only: looked up literally and as pinyin (full or initials)."""
        return not self.phrase and bool(_PINYIN.fullmatch(self.text))


@dataclass(frozen=True)
class Filters:
    """Filter values, already normalised: full province names, folded names and kinds, (year, month)."""

    provinces: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    dates: tuple[tuple[int, int | None], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.provinces or self.people or self.kinds or self.dates)


@dataclass(frozen=True)
class Query:
    """A parsed query."""

    text: str
    terms: tuple[Term, ...] = ()
    filters: Filters = field(default_factory=Filters)

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.negated)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.filters


def parse(text: str) -> Query:
    """Parse a query; raise QueryError on an unclosed quote, an unknown filter or an empty value."""
    if has_lone_surrogate(text):  # `yuelan search $'\xff'`: bytes that are not UTF-8 match nothing
        raise QueryError(f"not UTF-8 text: {shown_bytes(text)}")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(text):,} characters (at most {MAX_QUERY_CHARS})")
    terms: list[Term] = []
    filters: dict[str, list[str]] = {key: [] for key in FILTER_KEYS}
    position = 0
    while True:
        match = _SPACE.match(text, position)
        if match:
            position = match.end()
        if position >= len(text):
            break
        position = _parse_token(text, position, terms, filters)
        count = len(terms) + sum(map(len, filters.values()))
        if count > MAX_TERMS:
            raise QueryError(f"too many terms (at most {MAX_TERMS}, counting -exclusions and filters)")
    return Query(text=text, terms=tuple(terms), filters=_normalise_filters(filters))


def _parse_token(text: str, position: int, terms: list[Term], filters: dict[str, list[str]]) -> int:
    """Read one token starting at `position`; return where the next one may start."""
    negated = text[position] == "-"
    if negated:
        position += 1
    key = None
    match = _FILTER.match(text, position)
    if match:
        key = match.group(1).lower()
        if key not in FILTER_KEYS:
            raise QueryError(f"unknown filter {match.group(1)}: (filters: {', '.join(FILTER_KEYS)})")
        position = match.end()
    value, phrase, position = _read_value(text, position)
    if key:
        if negated:
            raise QueryError(f"filters cannot be negated: -{key}:")
        if not value.strip():
            raise QueryError(f"filter {key}: needs a value")
        filters[key].append(value.strip())
    elif not value.strip():
        raise QueryError("empty phrase" if phrase else "'-' needs a term after it")
    else:
        terms.append(Term(text=value if phrase else value.strip(), phrase=phrase, negated=negated))
    return position


def _read_value(text: str, position: int) -> tuple[str, bool, int]:
    """A quoted phrase or a bare word at `position`: (value, quoted, next position)."""
    if position < len(text) and text[position] in _QUOTES:
        closing = _QUOTES[text[position]]
        end = text.find(closing, position + 1)
        if end < 0:
            raise QueryError(f"unclosed quote {text[position]}")
        return text[position + 1 : end], True, end + 1
    match = _SPACE.search(text, position)
    end = match.start() if match else len(text)
    word = text[position:end]
    if '"' in word:
        raise QueryError('quote " inside a word: put a space before it')
    return word, False, end


def _normalise_filters(raw: dict[str, list[str]]) -> Filters:
    return Filters(
        provinces=tuple(_province(value) for value in raw["province"]),
        people=tuple(fold(value) for value in raw["person"]),
        kinds=tuple(fold(value) for value in raw["kind"]),
        dates=tuple(_date(value) for value in raw["date"]),
    )


def _province(value: str) -> str:
    """A full standard province name (甘肃省) from any script or short form."""
    name = resolve_province(value)
    if name is None:
        raise QueryError(f"unknown province {value!r}")
    return name


def _date(value: str) -> tuple[int, int | None]:
    match = _DATE.fullmatch(value)
    if not match:
        raise QueryError(f"date: wants YYYY or YYYY-MM, not {value!r}")
    year, month = int(match.group(1)), match.group(2)
    if month is not None and not 1 <= int(month) <= 12:
        raise QueryError(f"date: month must be 1–12, not {month}")
    return year, int(month) if month is not None else None


# -- the forms a term is looked up under -----------------------------------------------------------

# Mainland ↔ Taiwan/Hong Kong vocabulary that OpenCC's phrase tables miss; seed 004 was written through
# a converter that turned 高质量 into 高品質 and 水平 into 水準. Both sides are in folded (t2s) form.
REGIONAL_TERMS: tuple[tuple[str, str], ...] = (
    ("质量", "品质"),
    ("水平", "水准"),
    ("支持", "支援"),
    ("信息", "资讯"),
    ("网络", "网路"),
    ("互联网", "网际网路"),
    ("软件", "软体"),
    ("硬件", "硬体"),
    ("视频", "视讯"),
    ("项目", "专案"),
    ("打印", "列印"),
    ("程序", "程式"),
    ("默认", "预设"),
    ("服务器", "伺服器"),
    ("出租车", "计程车"),
    ("激光", "雷射"),
    ("营销", "行销"),
    ("策划", "企划"),
    ("短信", "简讯"),
    ("博客", "部落格"),
    ("鼠标", "滑鼠"),
    ("移动电话", "行动电话"),
    ("方便面", "泡面"),
    ("自行车", "脚踏车"),
)


def _replacer(pairs: dict[str, str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True)))


_TO_REGIONAL = dict(REGIONAL_TERMS)
_TO_MAINLAND = {b: a for a, b in REGIONAL_TERMS}
_TO_REGIONAL_RE = _replacer(_TO_REGIONAL)
_TO_MAINLAND_RE = _replacer(_TO_MAINLAND)


@cache
def expansions(text: str) -> tuple[str, ...]:
    """Folded forms a term is searched under: itself, then its regional-vocabulary variants.

    OpenCC in both directions (s2twp, s2hkp; tw2sp, hk2sp), each folded back with t2s, then the
    table above. The first form is always `fold(text)`; forms are distinct and never empty.
    """
    folded = fold(text)
    forms = [folded]
    if folded.isascii():  # letters typed in any case find the text's APEC, Apec or apec
        return tuple(dict.fromkeys((folded, folded.lower(), folded.upper(), folded.capitalize())))
    forms += regional_forms(folded)  # only the converters this term needs are built
    forms.append(_TO_REGIONAL_RE.sub(lambda m: _TO_REGIONAL[m.group()], folded))
    forms.append(_TO_MAINLAND_RE.sub(lambda m: _TO_MAINLAND[m.group()], folded))
    return tuple(dict.fromkeys(f for f in forms if f))


def warm_up() -> None:
    """Build every OpenCC converter expansion may use before the first keystroke needs one (a term
    builds only those it needs: a shell search pays for no others)."""
    for name in ("s2t", *REGIONAL, "tw2sp", "hk2sp"):
        converter(name)
    expansions("阅览")


def term_forms(term: Term) -> tuple[str, ...]:
    """A quoted phrase is matched as written (script-blind only); a bare term is also expanded."""
    return (fold(term.text),) if term.phrase else expansions(term.text)


def split_into_words(parsed: Query) -> Query | None:
    """The query with each bare Chinese term of 3+ characters cut into jieba words, or None if none is.

    People type 西藏合作 for 西藏 合作; when the exact string occurs nowhere, its words ANDed are the
    answer they meant. Phrases, pinyin and excluded terms are left as typed.
    """
    from store.text import segment  # jieba loads only when a query falls back to its words

    terms: list[Term] = []
    changed = False
    for term in parsed.terms:
        words = [w for w in segment.cut_untaught(fold(term.text)) if w.strip()] if _splittable(term) else []
        if len(words) > 1:
            terms += [Term(word) for word in words]
            changed = True
        else:
            terms.append(term)
    if len(terms) > MAX_TERMS:  # a pasted sentence: its words would cost what a typed query may not
        return None
    return replace(parsed, terms=tuple(terms)) if changed else None


def _splittable(term: Term) -> bool:
    return not (term.phrase or term.negated or term.is_pinyin) and len(term.text) >= 3
